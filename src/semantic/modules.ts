/**
 * Which Go module a directory belongs to: the nearest go.mod above it and its module path.
 * Kept apart from the package model so that the CLI's cache can ask without loading the parser.
 */
import fs from "node:fs";
import path from "node:path";

export class ModuleResolver {
  readonly #known = new Map<string, { root: string; path: string } | null>();
  /** Directories whose entries a discovery listed, and those of them that hold a go.mod. */
  #listed: { has(dir: string): boolean } | undefined;
  #goMods: ReadonlySet<string> = new Set();

  /** Answers "is there a go.mod here" from a discovery's listing where it walked (a warm run asks for every directory). */
  useListing(listed: { has(dir: string): boolean }, goMods: ReadonlySet<string>): void {
    this.#listed = listed;
    this.#goMods = goMods;
  }

  #hasGoMod(dir: string): boolean {
    return this.#listed?.has(dir) ? this.#goMods.has(dir) : fs.existsSync(path.join(dir, "go.mod"));
  }

  clear(): void {
    this.#known.clear();
    this.#listed = undefined;
  }

  /** The Go module (directory holding go.mod, and its module path) that `dir` belongs to. */
  moduleOf(dir: string): { root: string; path: string } | undefined {
    const hit = this.#known.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: { root: string; path: string } | null = null;
    let text: string | undefined;
    // existsSync first: a read that throws, in every directory on the way up, is the slow path.
    if (this.#hasGoMod(dir)) {
      try {
        text = fs.readFileSync(path.join(dir, "go.mod"), "utf8");
      } catch {
        text = undefined;
      }
    }
    if (text !== undefined) {
      const m = /^module\s+("?)([^\s"]+)\1/mu.exec(text);
      if (m) found = { root: dir, path: m[2] };
    } else {
      const up = path.dirname(dir);
      // Vendored packages belong to other modules (vendor/modules.txt), not to the one holding them.
      if (path.basename(dir) === "vendor" && this.#hasGoMod(up)) found = null;
      else if (up !== dir) found = this.moduleOf(up) ?? null;
    }
    this.#known.set(dir, found);
    return found ?? undefined;
  }}
