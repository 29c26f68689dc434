/**
 * Finding the Go files to lint: `**\/*.go` under each path, honouring .gitignore files (nested
 * ones too), skipping vendor/, testdata/, node_modules/, .git/ and directories Go itself ignores
 * (names starting with "." or "_"). `_test.go` files only with `tests: true`.
 */
import fs from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

export interface DiscoverOptions {
  cwd: string;
  tests: boolean;
  /** Extra ignore patterns (gitignore syntax, relative to cwd) from the config. */
  ignorePatterns: string[];
}

export interface Discovery {
  files: string[];
  /** One-line problems met on the way (unreadable directories). */
  warnings: string[];
  /**
   * The `.go` file names (tests included) of every directory walked, the directories walked from,
   * and the walked directories that hold a go.mod.
   */
  listing?: { goNames: Map<string, string[]>; roots: string[]; goMods: Set<string> };
}

const SKIP_DIRS = new Set(["vendor", "testdata", "node_modules", ".git"]);

export class PathError extends Error {}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
  /** Whether a pattern can ignore a `.go` file (see layerOf). */
  files: boolean;
}

function readGitignore(dir: string): IgnoreLayer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, ".gitignore"), "utf8");
  } catch {
    return undefined;
  }
  return layerOf(dir, text.split(/\r?\n/u));
}

/**
 * Whether some pattern can ignore a file named `*.go` (as opposed to a directory, which the walk
 * tests and prunes on its own): a negation, or a last segment that can end in `.go`. A glob's
 * matches all end with the literal text after its last special character: `*.bak`, `*~` or
 * `.*.swp` cannot match a Go file, `*go`, `*.g?` and `*_gen.go` can. Most .gitignore files hold
 * none, and files below them are then not tested against them (the hot part of a walk).
 */
export function canIgnoreGoFiles(patterns: string[]): boolean {
  return patterns.some((raw) => {
    const p = raw.trim();
    if (!p || p.startsWith("#")) return false;
    if (p.startsWith("!")) return true;
    if (p.endsWith("/")) return false;
    const last = p.slice(p.lastIndexOf("/") + 1);
    const special = Math.max(last.lastIndexOf("*"), last.lastIndexOf("?"), last.lastIndexOf("]"), last.lastIndexOf("\\"));
    if (special < 0) return last.endsWith(".go");
    const tail = last.slice(special + 1);
    return tail.endsWith(".go") || ".go".endsWith(tail);
  });
}

function layerOf(dir: string, patterns: string[]): IgnoreLayer {
  const files = canIgnoreGoFiles(patterns);
  return { dir, ig: ignore().add(patterns), files };
}

function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  if (layers.length === 0) return false;
  for (const { dir, ig, files } of layers) {
    if (!isDir && !files) continue;
    // Paths below the layer's directory are sliced, not computed with path.relative (hot: once per file and layer).
    const rel = abs.startsWith(dir + path.sep) ? abs.slice(dir.length + 1) : path.relative(dir, abs);
    if (!rel || rel.startsWith("..")) continue;
    const posix = (path.sep === "/" ? rel : rel.split(path.sep).join("/")) + (isDir ? "/" : "");
    if (ig.ignores(posix)) return true;
  }
  return false;
}

/** The .gitignore layers that apply above `start` (up to the repository root or the filesystem root). */
function ancestorLayers(start: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = start;
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    if (fs.existsSync(path.join(dir, ".git"))) break;
    dir = parent;
    const layer = readGitignore(dir);
    if (layer) layers.unshift(layer);
    if (fs.existsSync(path.join(dir, ".git"))) break;
  }
  return layers;
}

export function isGoFileName(name: string, tests: boolean): boolean {
  return name.endsWith(".go") && (tests || !name.endsWith("_test.go"));
}

export function discover(paths: string[], opts: DiscoverOptions): Discovery {
  const files = new Set<string>();
  const warnings: string[] = [];
  const goNames = new Map<string, string[]>();
  const goMods = new Set<string>();
  const roots: string[] = [];
  const configIgnore: IgnoreLayer = layerOf(opts.cwd, opts.ignorePatterns);

  for (const p of paths) {
    const abs = path.resolve(opts.cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new PathError(`no such file or directory: ${p}`);
    }
    if (st.isFile()) {
      // A file named explicitly is linted even if ignored, as long as it is Go.
      if (!abs.endsWith(".go")) throw new PathError(`not a Go file: ${p}`);
      files.add(abs);
      continue;
    }
    if (!st.isDirectory()) throw new PathError(`not a file or directory: ${p}`);
    roots.push(abs);

    // Layers above the root see the root and the directories between them, which the walk never
    // tests: they are tested once here. If one of them is ignored, every file is tested against
    // the layers (and is ignored); otherwise files only against layers that can ignore a .go name,
    // as below the root, where every directory on a file's path is tested by the walk.
    const aboveRoot = [...(opts.ignorePatterns.length ? [configIgnore] : []), ...ancestorLayers(abs)];
    const rootIgnored = aboveRoot.length > 0 && isIgnored(aboveRoot.map((l) => ({ ...l, files: true })), abs, true);
    const rootLayers = rootIgnored ? aboveRoot.map((l) => ({ ...l, files: true })) : aboveRoot;
    // `real` is the directory's real path: asked of the file system only for the root and for
    // directories reached through a symbolic link (a plain subdirectory's is its parent's plus its name).
    const stack: Array<{ dir: string; real?: string; layers: IgnoreLayer[] }> = [{ dir: abs, layers: rootLayers }];
    const seen = new Set<string>();
    while (stack.length) {
      const { dir, real: known, layers: inherited } = stack.pop()!;
      let real: string;
      try {
        real = known ?? fs.realpathSync(dir);
      } catch {
        continue;
      }
      if (seen.has(real)) continue; // symlink loops
      seen.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        warnings.push(`cannot read directory ${path.relative(opts.cwd, dir) || "."}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        continue;
      }
      const own = entries.some((e) => e.name === ".gitignore") ? readGitignore(dir) : undefined;
      const layers = own ? [...inherited, own] : inherited;
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: Array<{ dir: string; real?: string }> = [];
      const names: string[] = [];
      goNames.set(dir, names);
      for (const e of entries) {
        const full = path.join(dir, e.name);
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        const link = e.isSymbolicLink();
        if (link) {
          try {
            const s = fs.statSync(full);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDir) {
          if (SKIP_DIRS.has(e.name) || e.name.startsWith(".") || e.name.startsWith("_")) continue;
          if (isIgnored(layers, full, true)) continue;
          subdirs.push({ dir: full, real: link ? undefined : path.join(real, e.name) });
        } else if (isFile && e.name === "go.mod") {
          goMods.add(dir);
        } else if (isFile && e.name.endsWith(".go")) {
          names.push(e.name);
          if (isGoFileName(e.name, opts.tests) && !isIgnored(layers, full, false)) files.add(full);
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ ...subdirs[i], layers });
    }
  }
  return { files: [...files].sort(), warnings, listing: { goNames, roots, goMods } };
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.\r?$/mu;

/**
 * Go's convention (https://go.dev/s/generatedcode): a line `// Code generated ... DO NOT EDIT.`
 * before the package clause marks a generated file.
 */
export function isGenerated(text: string): boolean {
  const pkg = /^package\s/mu.exec(text);
  const head = pkg ? text.slice(0, pkg.index) : text.slice(0, 4096);
  return GENERATED.test(head);
}
