/** The import table of one Go file: which local name refers to which import path. */
import type { GoNode, SourceFileNode } from "../language/node-types.generated.js";
import { field, stringValue } from "./ast.js";
import { LIBRARY_PATHS, type LibraryId } from "./library.js";

export interface ImportEntry {
  path: string;
  /** The name the file uses: the alias, or the package name guessed from the path; "." or "_" for dot/blank imports. */
  localName: string;
  library?: LibraryId;
  node: GoNode;
}

export class ImportTable {
  readonly entries: ImportEntry[] = [];
  readonly #byName = new Map<string, ImportEntry>();

  constructor(root: SourceFileNode) {
    for (const decl of root.children) {
      if (decl.type !== "import_declaration") continue;
      const specs: GoNode[] = [];
      for (const c of decl.children) {
        if (c.type === "import_spec") specs.push(c);
        else if (c.type === "import_spec_list") specs.push(...c.children.filter((s) => s.type === "import_spec"));
      }
      for (const spec of specs) {
        const path = stringValue(field(spec, "path"));
        if (path === undefined) continue;
        const alias = field(spec, "name");
        const localName = alias ? (alias.type === "dot" ? "." : alias.type === "blank_identifier" ? "_" : alias.text ?? "") : defaultPackageName(path);
        const entry: ImportEntry = { path, localName, library: LIBRARY_PATHS[path], node: spec };
        this.entries.push(entry);
        if (localName !== "_" && localName !== ".") this.#byName.set(localName, entry);
      }
    }
  }

  /** The import that the identifier `name` denotes in this file, if any. */
  byLocalName(name: string): ImportEntry | undefined {
    return this.#byName.get(name);
  }

  /** The library behind `name`, e.g. `fiberv2` → "fiber". */
  library(name: string): LibraryId | undefined {
    return this.#byName.get(name)?.library;
  }

  /** The local name under which `library` is imported (first one), for writing fixes. */
  localNameOf(library: LibraryId): string | undefined {
    return this.entries.find((e) => e.library === library && e.localName !== "_")?.localName;
  }

  /** Dot-imported libraries: their exported names are used unqualified. */
  dotImports(): ImportEntry[] {
    return this.entries.filter((e) => e.localName === ".");
  }
}

/**
 * The package name Go would use for an import path without alias: the last element,
 * skipping a major-version suffix (`/v2`) and the `gopkg.in` `.vN` suffix; `go-` prefixes and
 * `-go` suffixes are common in names but are not stripped by Go, so neither are they here,
 * except that a name with a dash cannot be an identifier, where the usual conventions apply.
 */
export function defaultPackageName(path: string): string {
  const parts = path.split("/");
  let last = parts[parts.length - 1];
  if (/^v\d+$/u.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/\.v\d+$/u, "");
  if (last.includes("-") || last.includes(".")) {
    // e.g. github.com/dgrijalva/jwt-go declares `package jwt`; go-redis declares `package redis`.
    last = last.replace(/^go-/u, "").replace(/[-.]go$/u, "").replace(/[-.]/gu, "");
  }
  return last;
}

const cache = new WeakMap<SourceFileNode, ImportTable>();

/** The (cached) import table of the file that `root` is the AST of. */
export function importsOf(root: SourceFileNode): ImportTable {
  let t = cache.get(root);
  if (!t) cache.set(root, (t = new ImportTable(root)));
  return t;
}
