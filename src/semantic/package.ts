/**
 * The package model: the `.go` files of one directory (one Go package) analysed together, with
 * no Go toolchain. It knows the package's named types (struct fields, embedded fields too),
 * package-level vars and consts (with constant string/bool/number values), and functions and
 * methods (parameters, results, receivers). Built lazily, cached per directory, invalidated per
 * file; editor buffers are fed in as overlays.
 */
import fs from "node:fs";
import path from "node:path";
import { readRegularFile, stripBom } from "../read-file.js";
import type { GoNode, SourceFileNode } from "../language/node-types.generated.js";
import { parseGo, type ParseOutput } from "../language/parser.js";
import { field, fieldAll, stringValue, unparen } from "./ast.js";
import { importsOf, type ImportEntry, type ImportTable } from "./imports.js";
import { LIBRARY_TYPES, type LibraryId, type TypeRef } from "./library.js";
import { ModuleResolver } from "./modules.js";
import { BoundedMap } from "./memo.js";

/**
 * A type goward can name: `"gorm.DB"`, `"fiber.Ctx"` (library types, pointer-ness dropped),
 * `"pkg.Server"` (a named type declared in the current package), `"builtin.string"`.
 */
export type { TypeRef };

export type ConstValue = string | boolean | number;

export interface FieldFact {
  name: string;
  typeNode?: GoNode;
  embedded: boolean;
}

export interface TypeFact {
  name: string;
  file: PackageFile;
  spec: GoNode;
  /** Fields when the type is a struct. */
  fields?: FieldFact[];
  /** The underlying type node (struct, map, another named type, ...). */
  underlying?: GoNode;
}

export interface ValueFact {
  name: string;
  kind: "var" | "const";
  file: PackageFile;
  id: GoNode;
  typeNode?: GoNode;
  /** The initialising expression, when one value per name. */
  init?: GoNode;
}

export interface FuncFact {
  name: string;
  /** Receiver type name for methods (`Server` for `func (s *Server) M()`). */
  receiver?: string;
  file: PackageFile;
  node: GoNode;
  params: Array<{ name?: string; typeNode?: GoNode }>;
  results: GoNode[];
}

export interface PackageFile {
  path: string;
  ast: SourceFileNode;
  imports: ImportTable;
  packageName: string;
}

const GENERATED_HEAD = /^\/\/ Code generated .* DO NOT EDIT\.\r?$/mu;

const BUILTIN_TYPES = new Set([
  "bool", "byte", "complex128", "complex64", "error", "float32", "float64", "int", "int16", "int32", "int64", "int8",
  "rune", "string", "uint", "uint16", "uint32", "uint64", "uint8", "uintptr", "any",
]);

export function packageNameOf(ast: SourceFileNode): string {
  const clause = ast.children.find((c) => c.type === "package_clause");
  return clause?.children[0]?.text ?? "";
}

/** What a lazily loaded model still has to parse: files not yet read into its maps. */
interface LazyFiles {
  pending: Array<{ path: string; text: string }>;
  parse(path: string, text: string): SourceFileNode;
}

/**
 * A map of declarations that loads them on demand. A lookup by name parses only the files whose
 * text contains the name (a declaration of `Name` contains the word, so the answer is the same
 * as with every file loaded); enumerating it loads every file.
 */
class LazyMap<V> extends Map<string, V> {
  #owner: PackageModel | undefined;
  #word: (key: string) => string;

  constructor(word: (key: string) => string = (k) => k) {
    super();
    this.#word = word;
  }

  attach(owner: PackageModel): void {
    this.#owner = owner;
  }

  override get(key: string): V | undefined {
    this.#owner?.loadWord(this.#word(key));
    return super.get(key);
  }

  override has(key: string): boolean {
    this.#owner?.loadWord(this.#word(key));
    return super.has(key);
  }

  override get size(): number {
    this.#owner?.loadAll();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.#owner?.loadAll();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.#owner?.loadAll();
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    this.#owner?.loadAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(cb: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.#owner?.loadAll();
    super.forEach(cb, thisArg);
  }

  /** Sets without loading (used while loading). */
  put(key: string, value: V): void {
    super.set(key, value);
  }

  peek(key: string): V | undefined {
    return super.get(key);
  }
}

/** The package name of a Go file from its text, without parsing it. */
export function packageClauseOf(text: string): string | undefined {
  return /^package\s+([\p{L}_][\p{L}\p{N}_]*)/mu.exec(text)?.[1];
}

export class PackageModel {
  readonly dir: string;
  readonly packageName: string;
  readonly files: Map<string, PackageFile> = new LazyMap<PackageFile>();
  readonly types: Map<string, TypeFact> = new LazyMap<TypeFact>();
  readonly values: Map<string, ValueFact> = new LazyMap<ValueFact>();
  /** Functions by name, methods by `Receiver.Name`. */
  readonly funcs: Map<string, FuncFact> = new LazyMap<FuncFact>((k) => k.slice(k.lastIndexOf(".") + 1));
  readonly #fileOfRoot = new WeakMap<SourceFileNode, PackageFile>();
  #lazy: LazyFiles | undefined;

  /** The import path of this package when it was loaded as a dependency of another package of the module. */
  readonly importPath: string | undefined;

  /**
   * `files` are read into the model at once; `lazy` files (a package imported by the one being
   * linted) are parsed when a lookup needs them. Where two files declare the same name (build
   * variants), the file with the later path wins, whatever the order of loading.
   */
  constructor(dir: string, packageName: string, files: Array<{ path: string; ast: SourceFileNode }>, importPath?: string, lazy?: LazyFiles) {
    this.dir = dir;
    this.packageName = packageName;
    this.importPath = importPath;
    for (const f of files) this.#addFile(f.path, f.ast);
    if (lazy && lazy.pending.length) {
      this.#lazy = { pending: [...lazy.pending], parse: lazy.parse };
      for (const m of [this.files, this.types, this.values, this.funcs] as Array<LazyMap<unknown>>) m.attach(this);
    }
  }

  /** Loads the pending files whose text contains `word`. */
  loadWord(word: string): void {
    const lazy = this.#lazy;
    if (!lazy) return;
    const keep: LazyFiles["pending"] = [];
    const load: LazyFiles["pending"] = [];
    for (const f of lazy.pending) (f.path === word || f.text.includes(word) ? load : keep).push(f);
    if (!load.length) return;
    lazy.pending = keep;
    if (!keep.length) this.#lazy = undefined;
    for (const f of load) this.#addFile(f.path, lazy.parse(f.path, f.text), true);
  }

  loadAll(): void {
    const lazy = this.#lazy;
    if (!lazy) return;
    this.#lazy = undefined;
    for (const f of lazy.pending) this.#addFile(f.path, lazy.parse(f.path, f.text), true);
  }

  /** Answers about the package's imports, by question (`library:gorm`, `module:example.com/app`). */
  readonly #importAnswers = new Map<string, boolean>();

  /** Whether some import of some file of the package passes `test` (an imported package loads all its files to tell). */
  #someImport(question: string, test: (e: ImportEntry) => boolean): boolean {
    let yes = this.#importAnswers.get(question);
    if (yes === undefined) {
      this.loadAll();
      yes = [...this.files.values()].some((f) => f.imports.entries.some(test));
      this.#importAnswers.set(question, yes);
    }
    return yes;
  }

  /** Whether some file of the package imports `library`. */
  importsLibrary(library: LibraryId): boolean {
    return this.#someImport(`library:${library}`, (e) => e.library === library);
  }

  /**
   * Whether some file of the package imports another package of the Go module `modulePath`
   * (the only other packages whose functions and types goward follows; see modelForImport).
   */
  importsFromModule(modulePath: string): boolean {
    return this.#someImport(`module:${modulePath}`, (e) => e.path === modulePath || e.path.startsWith(`${modulePath}/`));
  }

  fileOf(root: SourceFileNode): PackageFile | undefined {
    return this.#fileOfRoot.get(root);
  }

  #addFile(filePath: string, ast: SourceFileNode, byPath = false): void {
    const file: PackageFile = { path: filePath, ast, imports: importsOf(ast), packageName: packageNameOf(ast) };
    (this.files as LazyMap<PackageFile>).put(filePath, file);
    this.#fileOfRoot.set(ast, file);
    // Loading out of order (lazily), the later path must still win, as when loading in order.
    const set = <V extends { file: PackageFile }>(map: Map<string, V>, key: string, value: V) => {
      const m = map as LazyMap<V>;
      const old = byPath ? m.peek(key) : undefined;
      if (!old || old.file.path < filePath) m.put(key, value);
    };
    for (const decl of ast.children) {
      switch (decl.type) {
        case "type_declaration":
          for (const spec of decl.children) {
            if (spec.type !== "type_spec" && spec.type !== "type_alias") continue;
            const name = field(spec, "name")?.text;
            if (!name) continue;
            const underlying = field(spec, "type");
            const fact: TypeFact = { name, file, spec, underlying };
            if (underlying?.type === "struct_type") fact.fields = structFields(underlying);
            set(this.types, name, fact);
          }
          break;
        case "var_declaration":
        case "const_declaration": {
          const kind = decl.type === "var_declaration" ? "var" : "const";
          const specs: GoNode[] = [];
          for (const c of decl.children) {
            if (c.type === "var_spec" || c.type === "const_spec") specs.push(c);
            else if (c.type === "var_spec_list") specs.push(...c.children.filter((s) => s.type === "var_spec"));
          }
          for (const spec of specs) {
            const ids = fieldAll(spec, "name").filter((n) => n.type === "identifier");
            const values = field(spec, "value")?.children ?? [];
            ids.forEach((id, i) => {
              if (!id.text || id.text === "_") return;
              set(this.values, id.text, {
                name: id.text,
                kind,
                file,
                id,
                typeNode: field(spec, "type"),
                init: values.length === ids.length ? values[i] : undefined,
              });
            });
          }
          break;
        }
        case "function_declaration":
        case "method_declaration": {
          const name = field(decl, "name")?.text;
          if (!name) break;
          let receiver: string | undefined;
          if (decl.type === "method_declaration") {
            const recvDecl = field(decl, "receiver")?.children.find((c) => c.type === "parameter_declaration");
            receiver = baseTypeName(field(recvDecl, "type"));
          }
          const params: FuncFact["params"] = [];
          for (const p of field(decl, "parameters")?.children ?? []) {
            if (p.type !== "parameter_declaration" && p.type !== "variadic_parameter_declaration") continue;
            const names = fieldAll(p, "name");
            const typeNode = field(p, "type");
            if (names.length === 0) params.push({ typeNode });
            for (const n of names) params.push({ name: n.text, typeNode });
          }
          const result = field(decl, "result");
          const results: GoNode[] = [];
          if (result?.type === "parameter_list") {
            for (const p of result.children) {
              if (p.type !== "parameter_declaration") continue;
              const n = Math.max(1, fieldAll(p, "name").length);
              const t = field(p, "type");
              if (t) for (let i = 0; i < n; i++) results.push(t);
            }
          } else if (result) results.push(result);
          const fact: FuncFact = { name, receiver, file, node: decl, params, results };
          set(this.funcs, receiver ? `${receiver}.${name}` : name, fact);
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * The TypeRef of a written type, in the context of the file that wrote it: library types by
   * import, the package's own named types, builtins.
   */
  typeRefOf(node: GoNode | undefined, imports: ImportTable): TypeRef | undefined {
    while (node && (node.type === "pointer_type" || node.type === "parenthesized_type")) node = node.children[0];
    if (!node) return undefined;
    if (node.type === "generic_type") node = field(node, "type");
    if (!node) return undefined;
    if (node.type === "qualified_type") {
      const entry = imports.byLocalName(field(node, "package")?.text ?? "");
      const name = field(node, "name")?.text;
      if (!entry || !name) return undefined;
      const known = entry.library ? LIBRARY_TYPES[entry.library]?.[name] : undefined;
      return known ?? `${entry.path}.${name}`;
    }
    if (node.type === "type_identifier" && node.text) {
      const t = this.types.get(node.text);
      if (t) {
        // A named type whose underlying type is a library type (`type DB = *gorm.DB`, `type Store struct{...}` stays local).
        if (t.underlying && t.underlying.type !== "struct_type" && t.underlying.type !== "interface_type") {
          const under = this.typeRefOf(t.underlying, t.file.imports);
          if (under && !under.startsWith("builtin.") && !under.startsWith("pkg.")) return under;
        }
        return `pkg.${node.text}`;
      }
      if (BUILTIN_TYPES.has(node.text)) return `builtin.${node.text}`;
      for (const dot of imports.dotImports()) {
        const known = dot.library ? LIBRARY_TYPES[dot.library]?.[node.text] : undefined;
        if (known) return known;
      }
      return undefined;
    }
    if (node.type === "map_type") return "builtin.map";
    if (node.type === "slice_type" || node.type === "array_type") return "builtin.slice";
    if (node.type === "function_type") return "builtin.func";
    if (node.type === "interface_type") return "builtin.interface";
    return undefined;
  }

  /** The field `name` of the package type `pkg.T`, following embedded fields (promotion). */
  field(typeRef: TypeRef, name: string, depth = 0): { fact: FieldFact; owner: TypeFact } | undefined {
    if (!typeRef.startsWith("pkg.") || depth > 4) return undefined;
    const t = this.types.get(typeRef.slice(4));
    if (!t?.fields) return undefined;
    const direct = t.fields.find((f) => f.name === name);
    if (direct) return { fact: direct, owner: t };
    for (const f of t.fields) {
      if (!f.embedded) continue;
      const ref = this.typeRefOf(f.typeNode, t.file.imports);
      if (!ref) continue;
      const found = this.field(ref, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The TypeRef of field `name` of `typeRef` (a package struct), with embedded promotion. */
  fieldType(typeRef: TypeRef, name: string): TypeRef | undefined {
    const f = this.field(typeRef, name);
    return f ? this.typeRefOf(f.fact.typeNode, f.owner.file.imports) : undefined;
  }

  /** The embedded library types of a package type (a struct embedding `*gorm.DB` has its methods). */
  embeddedLibraryTypes(typeRef: TypeRef): TypeRef[] {
    if (!typeRef.startsWith("pkg.")) return [];
    const t = this.types.get(typeRef.slice(4));
    const out: TypeRef[] = [];
    for (const f of t?.fields ?? []) {
      if (!f.embedded) continue;
      const ref = this.typeRefOf(f.typeNode, t!.file.imports);
      if (ref && !ref.startsWith("pkg.")) out.push(ref);
    }
    return out;
  }

  method(typeRef: TypeRef, name: string): FuncFact | undefined {
    return typeRef.startsWith("pkg.") ? this.funcs.get(`${typeRef.slice(4)}.${name}`) : undefined;
  }

  /** The constant value of a package-level const or var initialised with a constant expression. */
  constValue(name: string, depth = 0): ConstValue | undefined {
    const v = this.values.get(name);
    if (!v?.init || depth > 8) return undefined;
    return this.evalConst(v.init, depth + 1);
  }

  /** Evaluates string/bool/number constant expressions: literals, `+` of strings, package consts. */
  evalConst(node: GoNode | undefined, depth = 0): ConstValue | undefined {
    node = unparen(node);
    if (!node || depth > 8) return undefined;
    switch (node.type) {
      case "interpreted_string_literal":
      case "raw_string_literal":
        return stringValue(node);
      case "true":
        return true;
      case "false":
        return false;
      case "int_literal": {
        const n = Number((node.text ?? "").replace(/_/gu, ""));
        return Number.isFinite(n) ? n : undefined;
      }
      case "identifier":
        return node.text ? this.constValue(node.text, depth + 1) : undefined;
      case "binary_expression": {
        const op = field(node, "operator")?.text;
        const l = this.evalConst(field(node, "left"), depth + 1);
        const r = this.evalConst(field(node, "right"), depth + 1);
        if (l === undefined || r === undefined) return undefined;
        if (op === "+" && typeof l === "string" && typeof r === "string") return l + r;
        if (op === "+" && typeof l === "number" && typeof r === "number") return l + r;
        if (op === "*" && typeof l === "number" && typeof r === "number") return l * r;
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

function structFields(struct: GoNode): FieldFact[] {
  const list = struct.children.find((c) => c.type === "field_declaration_list");
  const out: FieldFact[] = [];
  for (const decl of list?.children ?? []) {
    if (decl.type !== "field_declaration") continue;
    const typeNode = field(decl, "type");
    const names = fieldAll(decl, "name");
    if (names.length === 0) {
      const n = baseTypeName(typeNode);
      if (n) out.push({ name: n, typeNode, embedded: true });
    } else for (const n of names) if (n.text) out.push({ name: n.text, typeNode, embedded: false });
  }
  return out;
}

/** `*Server` → `Server`, `Store[T]` → `Store`, `gorm.DB` → `DB`. */
export function baseTypeName(node: GoNode | undefined): string | undefined {
  while (node && (node.type === "pointer_type" || node.type === "parenthesized_type")) node = node.children[0];
  if (!node) return undefined;
  if (node.type === "generic_type") return baseTypeName(field(node, "type"));
  if (node.type === "qualified_type") return field(node, "name")?.text;
  return node.type === "type_identifier" ? node.text : undefined;
}

/**
 * Package models per directory. The CLI, the ESLint plugin and the editor server share one
 * cache per process; parses of sibling files are handed to the linter so that no file is
 * parsed twice.
 */
/** Sibling and imported files larger than this are left out of package models. */
const MODEL_MAX_BYTES = 2 * 1024 * 1024;

export class PackageCache {
  readonly #models = new Map<string, PackageModel>();
  readonly #overlays = new Map<string, string>();
  /**
   * Parses of the files of the packages in use, shared by the models (a package seen by its
   * tests and by its other files) and by the linter's own parse of the same text, so that a
   * file is parsed once per run. Entries leave with their package's models.
   */
  readonly #parsed = new ParsesByDir();
  readonly #maxModels: number;
  /**
   * Directory listings, read once per run: a package's directory is listed by its model, by the
   * model of the packages importing it and by the route model (a third of a second on moby).
   * A file's change drops its directory's listing (the editor server reports created files).
   */
  readonly #listings = new BoundedMap<string, readonly string[]>(1024);
  /**
   * Files a package model read from disk before the linter got to them (the siblings of the
   * first file linted in a directory): the linter takes the bytes instead of reading the file
   * again (about 0.7 s of a one-thread run on moby). Only for processes that lint files from
   * disk (see `shareReads`); bounded, so the files of imported packages that are never linted
   * leave as newer reads come in.
   */
  #readAhead: BoundedMap<string, Buffer> | undefined;

  /**
   * `maxModels` package models are kept (and eight times as many imported ones). With packages
   * linted in path order (see cli/pool.ts) 8 re-parse 4% of moby's files and keep a worker's
   * live heap near 100 MB; 16 re-parsed none but held 260 MB.
   */
  constructor(maxModels = 8) {
    this.#maxModels = maxModels;
  }

  /** Feed an unsaved editor buffer (or `undefined` to drop it); the package is rebuilt on next use. */
  setOverlay(filePath: string, text: string | undefined): void {
    if (text === undefined) this.#overlays.delete(filePath);
    else this.#overlays.set(filePath, text);
    this.invalidate(filePath);
  }

  /** Forget what is known about the package of `filePath` (the file changed on disk). */
  invalidate(filePath: string): void {
    this.#models.delete(path.dirname(filePath));
    this.#models.delete(`${path.dirname(filePath)}${path.sep}*_test`);
    this.#dirModels.delete(path.dirname(filePath));
    this.#dirModels.delete(`${path.dirname(filePath)}${path.sep}*main`);
    this.#parsed.delete(filePath);
    this.#listings.delete(path.dirname(filePath));
    this.#readAhead?.delete(filePath);
    this.derived.clear();
    if (path.basename(filePath) === "go.mod") this.#modules.clear();
  }

  clear(): void {
    this.derived.clear();
    this.#listings.clear();
    this.#readAhead?.clear();
    this.#models.clear();
    this.#dirModels.clear();
    this.#modules.clear();
    this.#parsed.clear();
  }

  /** A parse of `text` for `filePath` made earlier for a package model, if the text still matches. */
  takeParse(filePath: string, text: string): ParseOutput | undefined {
    const p = this.#parsed.get(filePath);
    return p && p.text === text ? p.out : undefined;
  }

  /** Remembers the linter's parse of a file so that a package model built later reuses it. */
  rememberParse(filePath: string, text: string, out: ParseOutput): void {
    this.#parsed.set(filePath, { text, out });
    const dir = path.dirname(filePath);
    if (this.#parsed.size > 64) {
      // Keep the parses of this directory and of the packages whose models are in use.
      this.#parsed.keepDirs((d) => d === dir || this.#models.has(d) || this.#dirModels.has(d) || this.#models.has(`${d}${path.sep}*_test`));
    }
  }

  #parse(filePath: string, text: string): ParseOutput {
    const hit = this.takeParse(filePath, text);
    if (hit) return hit;
    const out = parseGo(text);
    this.#parsed.set(filePath, { text, out });
    registerFile(out.ast, filePath, this);
    return out;
  }

  /**
   * The text of a sibling or imported file as the package models read it (overlay or disk, BOM
   * dropped), or undefined for what they leave out: non-files, files over 2 MB, binary text and
   * generated code (deep-copy functions, mocks: skipped by the linter, rarely relevant to rules,
   * often the bulk of a package). File-system errors are thrown.
   */
  #modelSource(p: string): string | undefined {
    let text = this.#overlays.get(p);
    if (text === undefined) {
      let buf = this.#readAhead?.get(p);
      if (buf === undefined) {
        const read = readRegularFile(p, MODEL_MAX_BYTES);
        if (!("buf" in read)) return undefined;
        buf = read.buf;
        this.#readAhead?.set(p, buf);
      }
      text = buf.toString("utf8");
    }
    if (text.includes("\u0000")) return undefined;
    text = stripBom(text);
    return GENERATED_HEAD.test(text.slice(0, 2048)) ? undefined : text;
  }

  /**
   * The bytes of `filePath` as a package model read them earlier in this run, if it did and the
   * linter has not taken them yet (each read is handed out once).
   */
  takeRead(filePath: string): Buffer | undefined {
    const buf = this.#readAhead?.get(filePath);
    if (buf !== undefined) this.#readAhead!.delete(filePath);
    return buf;
  }

  /**
   * From now on, keep what the models read from disk for `takeRead` (the CLI and its workers,
   * which read every file they lint; not the editor server, whose files come from the editor).
   */
  shareReads(): void {
    this.#readAhead ??= new BoundedMap(256);
  }

  /** The names in `dir` (plus unsaved editor buffers there), listed once per run; throws what readdir throws. */
  #listDir(dir: string): string[] {
    let names = this.#listings.get(dir);
    if (names === undefined) this.#listings.set(dir, (names = fs.readdirSync(dir)));
    const out = [...names];
    for (const o of this.#overlays.keys()) if (path.dirname(o) === dir && !out.includes(path.basename(o))) out.push(path.basename(o));
    return out;
  }

  #evict(): void {
    while (this.#models.size > this.#maxModels) {
      const oldest = this.#models.keys().next().value as string;
      this.#models.delete(oldest);
    }
    const live = new Set<string>();
    for (const key of this.#models.keys()) live.add(key.endsWith("*_test") ? path.dirname(key) : key);
    for (const key of this.#dirModels.keys()) live.add(key.endsWith("*main") ? path.dirname(key) : key);
    this.#parsed.keepDirs((d) => live.has(d));
  }

  readonly #modules = new ModuleResolver();
  readonly #dirModels = new Map<string, PackageModel | null>();

  /** The Go module (directory holding go.mod, and its module path) that `dir` belongs to. */
  moduleOf(dir: string): { root: string; path: string } | undefined {
    return this.#modules.moduleOf(dir);
  }



  /**
   * The model of another package of the same module, imported by `fromFile` as `importPath`
   * (`database.DB` where `database` is `example.com/app/internal/database`).
   */
  modelForImport(fromFile: string, importPath: string): PackageModel | undefined {
    const mod = this.moduleOf(path.dirname(fromFile));
    if (!mod || (importPath !== mod.path && !importPath.startsWith(`${mod.path}/`))) return undefined;
    return this.packageInDir(path.join(mod.root, importPath.slice(mod.path.length)), importPath, false);
  }

  /**
   * The package in `dir` (non-test files), loaded from disk and overlays. Imported packages
   * never include `package main` files; the route model asks for them (`withMain`).
   */
  packageInDir(dir: string, importPath?: string, withMain = true): PackageModel | undefined {
    const key = withMain ? `${dir}${path.sep}*main` : dir;
    const hit = this.#dirModels.get(key);
    if (hit !== undefined) {
      // Least recently used leaves first.
      this.#dirModels.delete(key);
      this.#dirModels.set(key, hit);
      return hit ?? undefined;
    }
    this.#dirModels.set(key, null); // cycles between packages resolve to "unknown"
    let model: PackageModel | undefined;
    try {
      const files = this.#listDir(dir).filter((n) => n.endsWith(".go") && !n.endsWith("_test.go")).sort();
      const texts: Array<{ path: string; text: string }> = [];
      for (const name of files) {
        const p = path.join(dir, name);
        const text = this.#modelSource(p);
        if (text !== undefined) texts.push({ path: p, text });
      }
      let ip = importPath;
      const ipOf = () => {
        if (ip !== undefined) return ip;
        const mod = this.moduleOf(dir);
        if (mod) ip = path.relative(mod.root, dir) ? `${mod.path}/${path.relative(mod.root, dir).split(path.sep).join("/")}` : mod.path;
        return ip;
      };
      if (withMain) {
        const parsed = texts.map((t) => ({ path: t.path, ast: this.#parse(t.path, t.text).ast }));
        if (parsed.length) {
          const name = packageNameOf(parsed[0].ast);
          model = new PackageModel(dir, name, parsed.filter((f) => packageNameOf(f.ast) === name), ipOf());
        }
      } else {
        // An imported package: its files are parsed when a lookup needs them (most importers use
        // a few of its names). `package main` files are never part of an imported package.
        const own = texts.filter((t) => packageClauseOf(t.text) !== "main");
        const name = own.length ? packageClauseOf(own[0].text) : undefined;
        if (name !== undefined) {
          const pending = own.filter((t) => packageClauseOf(t.text) === name);
          model = new PackageModel(dir, name, [], ipOf(), { pending, parse: (p, text) => this.#parse(p, text).ast });
        }
      }
    } catch {
      model = undefined;
    }
    this.#dirModels.set(key, model ?? null);
    while (this.#dirModels.size > this.#maxModels * 8) this.#dirModels.delete(this.#dirModels.keys().next().value as string);
    return model;
  }

  /**
   * Whether the text of a non-test `.go` file of `dir` (overlays included; the files a model
   * would read, see #modelSource) passes `test`: a cheap look at a package before parsing it.
   */
  dirTextMatches(dir: string, test: (text: string) => boolean): boolean {
    let names: string[];
    try {
      names = this.#listDir(dir);
    } catch {
      return false;
    }
    for (const name of names) {
      if (!name.endsWith(".go") || name.endsWith("_test.go")) continue;
      let text: string | undefined;
      try {
        text = this.#modelSource(path.join(dir, name));
      } catch {
        continue;
      }
      if (text !== undefined && test(text)) return true;
    }
    return false;
  }

  /** The text a file was parsed from (overlay, parse cache, or disk). */
  sourceText(filePath: string): string {
    const parsed = this.#parsed.get(filePath)?.text ?? this.#overlays.get(filePath);
    if (parsed !== undefined) return parsed;
    try {
      return stripBom(fs.readFileSync(filePath, "utf8"));
    } catch {
      return "";
    }
  }

  /** Derived module-wide data (the route inventory: whole ASTs, so few entries), dropped whenever a file changes. */
  readonly derived = new BoundedMap<string, unknown>(8);

  /** The model of the package that `filePath` (whose AST is `ast`) belongs to. */
  modelFor(filePath: string, ast: SourceFileNode): PackageModel {
    const dir = path.dirname(filePath);
    // _test.go files see the test files of the package too: they get a model of their own.
    const key = filePath.endsWith("_test.go") ? `${dir}${path.sep}*_test` : dir;
    const cached = this.#models.get(key);
    if (cached && cached.fileOf(ast)) return cached;
    if (key === dir) {
      // A file reached through another package's import (or the route model) already belongs to
      // a model of its directory: view the same parses as the package itself, rather than
      // building (and parsing) it again and pushing the packages being linted out of the cache.
      for (const k of [dir, `${dir}${path.sep}*main`]) {
        const loaded = this.#dirModels.get(k);
        if (loaded?.fileOf(ast)) return localView(loaded);
      }
    }
    const model = this.#build(dir, filePath, ast);
    this.#models.delete(key);
    this.#models.set(key, model);
    this.#evict();
    return model;
  }

  #build(dir: string, filePath: string, ast: SourceFileNode): PackageModel {
    const pkgName = packageNameOf(ast);
    const isTest = filePath.endsWith("_test.go");
    const files: Array<{ path: string; ast: SourceFileNode }> = [{ path: filePath, ast }];
    let names: string[] = [];
    try {
      names = this.#listDir(dir);
    } catch {
      names = [];
    }
    for (const name of names.sort()) {
      if (!name.endsWith(".go")) continue;
      if (!isTest && name.endsWith("_test.go")) continue;
      const p = path.join(dir, name);
      if (p === filePath) continue;
      let text: string | undefined;
      try {
        text = this.#modelSource(p);
      } catch {
        continue;
      }
      if (text === undefined) continue;
      const out = this.#parse(p, text);
      const siblingPkg = packageNameOf(out.ast);
      // External test packages (`x_test`) see the package under test; other names are other packages.
      if (siblingPkg !== pkgName && !(isTest && (pkgName === `${siblingPkg}_test` || siblingPkg === `${pkgName}_test`))) continue;
      files.push({ path: p, ast: out.ast });
    }
    return new PackageModel(dir, pkgName, files);
  }
}

/**
 * Parses by file, grouped by directory: the cache drops whole packages' parses, and scanning
 * directories instead of files keeps that from costing a pass over every parse per file linted.
 */
class ParsesByDir {
  readonly #dirs = new Map<string, Map<string, { text: string; out: ParseOutput }>>();
  size = 0;
  get(filePath: string): { text: string; out: ParseOutput } | undefined {
    return this.#dirs.get(path.dirname(filePath))?.get(filePath);
  }
  set(filePath: string, entry: { text: string; out: ParseOutput }): void {
    const dir = path.dirname(filePath);
    let files = this.#dirs.get(dir);
    if (!files) this.#dirs.set(dir, (files = new Map()));
    if (!files.has(filePath)) this.size++;
    files.set(filePath, entry);
  }
  delete(filePath: string): void {
    const files = this.#dirs.get(path.dirname(filePath));
    if (files?.delete(filePath)) this.size--;
  }
  clear(): void {
    this.#dirs.clear();
    this.size = 0;
  }
  /** Drops the parses of every directory `keep` rejects. */
  keepDirs(keep: (dir: string) => boolean): void {
    for (const [dir, files] of this.#dirs) {
      if (keep(dir)) continue;
      this.#dirs.delete(dir);
      this.size -= files.size;
    }
  }
}

const localViews = new WeakMap<PackageModel, PackageModel>();

/** The model of `m`'s package as its own files see it: the same files, no import path. */
function localView(m: PackageModel): PackageModel {
  if (m.importPath === undefined) return m;
  let v = localViews.get(m);
  // In path order: where two files declare a name (build variants), the later path wins, as in
  // the model itself, which may have loaded its files lazily, out of that order.
  if (!v) localViews.set(m, (v = new PackageModel(m.dir, m.packageName, [...m.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))));
  return v;
}

/** The process-wide cache used by the Go language (and so by the CLI, ESLint and the editor server). */
export const packageCache = new PackageCache();

/** Which file and package an AST belongs to, registered by the language when it parses. */
const registry = new WeakMap<SourceFileNode, { path: string; cache: PackageCache }>();

export function registerFile(ast: SourceFileNode, filePath: string, cache: PackageCache = packageCache): void {
  registry.set(ast, { path: filePath, cache });
}

/** The path of the file `root` was parsed from, and the cache that parsed it. */
export function fileOfRoot(root: SourceFileNode): { path: string; cache: PackageCache } | undefined {
  return registry.get(root);
}

/** The model of a module-local package imported by the file whose AST is `root`. */
export function importedModel(root: SourceFileNode, importPath: string): PackageModel | undefined {
  const reg = registry.get(root);
  return reg ? reg.cache.modelForImport(reg.path, importPath) : undefined;
}

/**
 * TypeRefs are relative to the package that produced them ("pkg.Server"). Crossing a package
 * boundary, a local ref becomes qualified by the import path ("example.com/app/db.Server").
 */
export function qualify(ref: TypeRef | undefined, model: PackageModel): TypeRef | undefined {
  return ref && ref.startsWith("pkg.") && model.importPath ? `${model.importPath}.${ref.slice(4)}` : ref;
}

/** The model that owns a TypeRef seen from `root`, and the ref as that model names it. */
export function ownerOf(root: SourceFileNode, ref: TypeRef): { model: PackageModel; local: TypeRef } | undefined {
  if (ref.startsWith("pkg.")) return { model: packageOf(root), local: ref };
  const dot = ref.lastIndexOf(".");
  if (dot <= 0 || !ref.includes("/")) return undefined;
  const model = importedModel(root, ref.slice(0, dot));
  return model ? { model, local: `pkg.${ref.slice(dot + 1)}` } : undefined;
}

const singleFileModels = new WeakMap<SourceFileNode, PackageModel>();

/**
 * The package model of the file whose AST root is `root`. A tree that was not parsed from a
 * path (unit tests of the model) gets a model of just itself.
 */
export function packageOf(root: SourceFileNode): PackageModel {
  const reg = registry.get(root);
  if (reg) return reg.cache.modelFor(reg.path, root);
  let m = singleFileModels.get(root);
  if (!m) singleFileModels.set(root, (m = new PackageModel("", packageNameOf(root), [{ path: "<text>", ast: root }])));
  return m;
}

/**
 * Whether the functions and types that code in the package of `root` can reach all resolve
 * within that package: it is in no Go module, or imports no other package of its module
 * (goward follows no other imports).
 */
export function seesOnlyItsOwnPackage(root: SourceFileNode): boolean {
  const reg = registry.get(root);
  if (!reg) return true;
  const mod = reg.cache.moduleOf(path.dirname(reg.path));
  return !mod || !packageOf(root).importsFromModule(mod.path);
}

/**
 * The path of the file `root` was parsed from, relative to its Go module (the directory of the
 * nearest go.mod). Rules use it for path conventions (`tests/`, `internal/`) that must not
 * depend on where the checkout lives; outside a module there is no such anchor (undefined).
 */
export function modulePathOf(root: SourceFileNode): string | undefined {
  const reg = registry.get(root);
  const mod = reg ? reg.cache.moduleOf(path.dirname(reg.path)) : undefined;
  return mod && reg ? path.relative(mod.root, reg.path).split(path.sep).join("/") : undefined;
}
