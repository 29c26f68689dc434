/** Where goward is installed, its version, and its rule documentation. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, "utf8")) as { name?: string }).name === "goward") return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find goward's package.json");
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();
export const VERSION = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** The markdown of docs/rules/<id>.md, or undefined when the page is missing. */
export function ruleDocMarkdown(id: string): string | undefined {
  try {
    return fs.readFileSync(path.join(PACKAGE_ROOT, "docs", "rules", `${id}.md`), "utf8");
  } catch {
    return undefined;
  }
}
