/**
 * `--cache`: results of files whose inputs did not change are reused. A file's result depends on
 * its own text, on the other files of its package (package facts), on the module-local packages
 * it imports, transitively (types and functions looked up there), and, for files that register
 * routes, on the whole module (the route inventory). The cache records, per file, a key over all
 * of these, made from file metadata (path, size, mtime) as ESLint's default cache strategy does:
 * a warm run stats files and reads none of them (or, with the "content" strategy, from hashes
 * of the files' contents). Any change of goward's version, the config or
 * the command-line rule settings empties it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FileResult } from "../formatters/types.js";
import type { LintRun } from "./engine.js";
import { discover, type Discovery } from "./files.js";
import { ModuleResolver } from "../semantic/modules.js";

/** 2: `routes` and `result` are left out when false and empty (most files: a smaller file to parse on a warm run). */
const FORMAT = 2;

export type CacheStrategy = "metadata" | "content";

interface CachedFile {
  /** Key over everything the result depends on. */
  key: string;
  /** Whether the result depends on the module's route inventory (absent: no). */
  routes?: true;
  generated?: true;
  /** Absent: no messages, nothing suppressed, not skipped. */
  result?: Omit<FileResult, "filePath" | "source">;
}

interface CacheData {
  format: number;
  /** goward version and settings: a different one empties the cache. */
  settings: string;
  /** Per directory: the fingerprint it was read at and the module-local packages its files import. */
  dirs: Record<string, { fp: string; imports: string[] }>;
  files: Record<string, CachedFile>;
}

const sha = (s: string) => crypto.createHash("sha1").update(s).digest("hex");

/** The import paths in a Go file's text (the import declarations at its top). */
export function importPathsOf(text: string): string[] {
  const out: string[] = [];
  const decl = /^import\s*(\((?:[^)"`]|"[^"\n]*"|`[^`]*`)*\)|[^\n]*)/gmu;
  for (let m = decl.exec(text); m; m = decl.exec(text)) {
    for (const s of m[1].matchAll(/"([^"\n]+)"|`([^`]+)`/gu)) out.push(s[1] ?? s[2]);
  }
  return out;
}

export class LintCache {
  readonly #file: string;
  readonly #settings: string;
  #data: CacheData;
  readonly #modules = new ModuleResolver();
  readonly #dirFp = new Map<string, string>();
  readonly #closure = new Map<string, string>();
  readonly #moduleFp = new Map<string, string>();
  /** Keys computed for this run, by file. */
  readonly #keys = new Map<string, { key: string }>();

  readonly #strategy: CacheStrategy;
  #listing: Discovery["listing"];
  /** Whether this run learnt anything the file on disk does not hold. */
  #dirty = false;

  /**
   * `strategy` "metadata" (default) compares sizes and modification times, as ESLint does; with
   * "content" the files' contents are hashed, for checkouts whose times change on every clone (CI).
   */
  constructor(file: string, settings: unknown, version: string, strategy: CacheStrategy = "metadata") {
    this.#file = file;
    this.#strategy = strategy;
    this.#settings = sha(JSON.stringify({ version, settings, strategy }));
    this.#data = { format: FORMAT, settings: this.#settings, dirs: {}, files: {} };
    try {
      const d = JSON.parse(fs.readFileSync(file, "utf8")) as CacheData;
      if (d.format === FORMAT && d.settings === this.#settings && d.dirs && d.files) this.#data = d;
      else this.#dirty = true;
    } catch {
      this.#dirty = true; // no cache yet, or unreadable: start empty
    }
  }

  /** Fingerprint of a directory: names, sizes and mtimes of its `.go` files. */
  #fingerprint(dir: string): string {
    let fp = this.#dirFp.get(dir);
    if (fp !== undefined) return fp;
    const parts: string[] = [];
    try {
      for (const name of [...(this.#listing?.goNames.get(dir) ?? fs.readdirSync(dir))].sort()) {
        if (!name.endsWith(".go")) continue;
        try {
          const p = path.join(dir, name);
          const st = fs.statSync(p);
          parts.push(`${name}\0${st.size}\0${this.#strategy === "content" ? sha(fs.readFileSync(p, "latin1")) : st.mtimeMs}`);
        } catch {
          parts.push(`${name}\0gone`);
        }
      }
    } catch {
      parts.push("unreadable");
    }
    fp = sha(parts.join("\n"));
    this.#dirFp.set(dir, fp);
    return fp;
  }

  /** Module-local directories imported by the files of `dir`, from the cache when the directory did not change. */
  #importsOf(dir: string): string[] {
    const fp = this.#fingerprint(dir);
    const rel = path.resolve(dir);
    const hit = this.#data.dirs[rel];
    if (hit && hit.fp === fp) return hit.imports;
    const mod = this.#modules.moduleOf(dir);
    const imports = new Set<string>();
    if (mod) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        names = [];
      }
      for (const name of names) {
        if (!name.endsWith(".go")) continue;
        let text = "";
        try {
          text = fs.readFileSync(path.join(dir, name), "utf8");
        } catch {
          continue;
        }
        for (const p of importPathsOf(text)) {
          if (p === mod.path || p.startsWith(`${mod.path}/`)) imports.add(path.join(mod.root, p.slice(mod.path.length)));
        }
      }
    }
    const list = [...imports].sort();
    this.#data.dirs[rel] = { fp, imports: list };
    this.#dirty = true;
    return list;
  }

  /** Fingerprint of `dir` and every module-local package it imports, transitively. */
  #closureFp(dir: string): string {
    const hit = this.#closure.get(dir);
    if (hit !== undefined) return hit;
    const seen = new Set<string>([dir]);
    const todo = [dir];
    while (todo.length) {
      const d = todo.pop()!;
      for (const i of this.#importsOf(d)) if (!seen.has(i)) (seen.add(i), todo.push(i));
    }
    const fp = sha([...seen].sort().map((d) => `${d}\0${this.#fingerprint(d)}`).join("\n"));
    this.#closure.set(dir, fp);
    return fp;
  }

  /** Fingerprint of every package of the module holding `dir` (for results that use the route inventory). */
  #moduleFpOf(dir: string): string {
    const mod = this.#modules.moduleOf(dir);
    const root = mod?.root ?? dir;
    let fp = this.#moduleFp.get(root);
    if (fp === undefined) {
      // The module's Go directories: from this run's discovery when it walked the module root,
      // else from a discovery of its own (the one the route inventory itself makes).
      const listing = this.#listing?.roots.includes(root) ? this.#listing.goNames : undefined;
      const under = (d: string) => d === root || d.startsWith(root + path.sep);
      const dirs = !mod
        ? [dir]
        : listing
          ? [...listing.keys()].filter((d) => under(d) && listing.get(d)!.length).sort()
          : [...new Set(discover([root], { cwd: root, tests: false, ignorePatterns: [] }).files.map((f) => path.dirname(f)))].sort();
      fp = sha(dirs.map((d) => `${d}\0${this.#fingerprint(d)}`).join("\n"));
      this.#moduleFp.set(root, fp);
    }
    return fp;
  }

  #key(file: string, routes: boolean): string {
    const dir = path.dirname(file);
    return sha(`${file}\0${this.#closureFp(dir)}${routes ? `\0${this.#moduleFpOf(dir)}` : ""}`);
  }

  /**
   * Splits `files` into reusable results (in the order given) and the files to lint.
   * `generated` counts reused results of generated files.
   */
  partition(files: readonly string[], listing?: Discovery["listing"]): { reused: Map<string, FileResult | "generated">; toLint: string[] } {
    this.#listing = listing;
    if (listing) this.#modules.useListing(listing.goNames, listing.goMods);
    const reused = new Map<string, FileResult | "generated">();
    const toLint: string[] = [];
    for (const f of files) {
      const entry = this.#data.files[path.resolve(f)];
      if (entry && entry.key === this.#key(f, entry.routes === true)) {
        reused.set(f, entry.generated ? "generated" : { filePath: f, ...(entry.result ?? { messages: [], suppressedMessages: [] }) });
      } else toLint.push(f);
    }
    return { reused, toLint };
  }

  /**
   * Records the results of a run. `dependsOnRoutes(file)` tells whether a file's result may
   * depend on the module's route inventory.
   */
  record(run: LintRun, generatedFiles: readonly string[], dependsOnRoutes: (file: string) => boolean): void {
    if (run.results.length || generatedFiles.length) this.#dirty = true;
    for (const r of run.results) {
      if (r.skipped?.startsWith("cannot read")) continue;
      const routes = dependsOnRoutes(r.filePath);
      const empty = r.messages.length === 0 && r.suppressedMessages.length === 0 && !r.skipped;
      this.#data.files[path.resolve(r.filePath)] = {
        key: this.#key(r.filePath, routes),
        ...(routes ? { routes: true as const } : {}),
        ...(empty ? {} : { result: { messages: r.messages, suppressedMessages: r.suppressedMessages, ...(r.skipped ? { skipped: r.skipped } : {}) } }),
      };
    }
    for (const f of generatedFiles) this.#data.files[path.resolve(f)] = { key: this.#key(f, false), generated: true };
  }

  /** Writes the cache (atomically); a failure to write is not an error of the run. */
  save(): string | undefined {
    if (!this.#dirty) return undefined; // nothing new: the file on disk says it all
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.#file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(this.#data));
      fs.renameSync(tmp, this.#file);
      return undefined;
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* nothing to clean */
      }
      return `cannot write the cache ${this.#file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
  }
}
