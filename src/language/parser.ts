/**
 * The one place that touches web-tree-sitter. It loads the Go grammar once per process or
 * worker (top-level await: ESLint's `parse` must be synchronous), parses text, converts the
 * tree into plain JS nodes with a TreeCursor and deletes the tree. No wasm object leaves here.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { Edit, Language, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION, Parser } from "web-tree-sitter";
import { CHILD_FIELDS, MULTIPLE_FIELDS } from "./node-types.generated.js";
import type { GoNode, SourceLocation, SourceFileNode } from "./node-types.generated.js";

const require = createRequire(import.meta.url);

/** A `//` or `/* *\/` comment, kept out of the AST like ESLint's JavaScript comments. */
export interface Comment {
  type: "Line" | "Block";
  /** Comment text without the `//` or `/* *\/` markers. */
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

/** Where tree-sitter had to recover: an ERROR node or a MISSING token. */
export interface SyntaxProblem {
  kind: "error" | "missing";
  /** For missing tokens, the token that was expected (e.g. `}`). */
  token?: string;
  range: [number, number];
  loc: SourceLocation;
}

export interface ParseOutput {
  ast: SourceFileNode;
  comments: Comment[];
  syntaxProblems: SyntaxProblem[];
}

export class GrammarLoadError extends Error {}

function loadGrammar(): Promise<Language> {
  const wasmPath = require.resolve("tree-sitter-go/tree-sitter-go.wasm");
  return Language.load(fs.readFileSync(wasmPath));
}

/**
 * The Emscripten module of web-tree-sitter. `Parser.init` makes the object it is given the
 * module, so its wasm exports land here: the conversion calls the tree cursor's exports
 * directly (see FastCursor) instead of through `TreeCursor`, whose every call copies the cursor
 * in and out of wasm memory with `setValue`/`getValue`, which cost as much as the parse itself.
 */
interface CursorExports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}
const wasmModule: Partial<CursorExports> = {};
await Parser.init(wasmModule as never);
const CURSOR_EXPORTS: CursorExports | undefined = (
  [
    "_ts_init",
    "_ts_tree_cursor_current_node_type_id_wasm",
    "_ts_tree_cursor_current_field_id_wasm",
    "_ts_tree_cursor_start_index_wasm",
    "_ts_tree_cursor_end_index_wasm",
    "_ts_tree_cursor_current_node_is_missing_wasm",
    "_ts_tree_cursor_goto_first_child_wasm",
    "_ts_tree_cursor_goto_next_sibling_wasm",
    "_ts_tree_cursor_goto_parent_wasm",
  ] as const
).every((k) => typeof wasmModule[k] === "function") && wasmModule.HEAP32 instanceof Int32Array
  ? (wasmModule as CursorExports)
  : undefined;
/** Where web-tree-sitter passes a cursor to wasm (`ts_init` only reports that static buffer's address). */
const TRANSFER_BUFFER = CURSOR_EXPORTS ? CURSOR_EXPORTS._ts_init() : 0;
const GO: Language = await loadGrammar();
checkAbi(GO);

/** Fails loudly when web-tree-sitter and tree-sitter-go disagree on the ABI. */
export function checkAbi(language: Language): void {
  const abi = language.abiVersion;
  if (!(abi <= LANGUAGE_VERSION && abi >= MIN_COMPATIBLE_VERSION)) {
    throw new GrammarLoadError(
      `tree-sitter-go.wasm has ABI ${abi} but web-tree-sitter supports ${MIN_COMPATIBLE_VERSION}..${LANGUAGE_VERSION}: install the pinned versions (npm ci)`,
    );
  }
}

export const grammarInfo = { abiVersion: GO.abiVersion };

const parser = new Parser();
parser.setLanguage(GO);

// Per-language tables, so that the conversion asks wasm only for ids and offsets.
const TYPE_NAMES: readonly string[] = GO.types;
const FIELD_NAMES_BY_ID: readonly (string | null)[] = GO.fields;
const IS_NAMED: readonly boolean[] = TYPE_NAMES.map((_, id) => GO.nodeTypeIsNamed(id));

/** In a FIELD_ROWS row: tree-sitter must be asked for the child's field. */
const ASK = -1;
/**
 * By the type of a node with fields, by the type id of a child: its field id, 0 for none, or
 * ASK. Most children's field follows from the grammar (CHILD_FIELDS), so the conversion asks
 * wasm only for the rest. Types without fields have no row: their children are in none.
 */
const FIELD_ROWS: ReadonlyMap<string, Int16Array> = new Map(
  Object.entries(CHILD_FIELDS).map(([parentType, byChild]) => {
    const row = new Int16Array(TYPE_NAMES.length);
    TYPE_NAMES.forEach((name, id) => {
      const named = IS_NAMED[id] ?? true;
      const known = name ? byChild[named ? name : `"${name}`] : undefined;
      if (known === undefined) row[id] = named ? ASK : 0;
      else if (known === 0) row[id] = 0;
      else if (known === null) row[id] = ASK;
      else {
        const fieldId = GO.fieldIdForName(known);
        row[id] = typeof fieldId === "number" && fieldId > 0 ? fieldId : ASK;
      }
    });
    return [parentType, row];
  }),
);

/**
 * Parses Go source (BOM already stripped) into plain nodes. Never throws on bad input.
 * `publicApi` (web-tree-sitter's TreeCursor) and `askFields` (every field from tree-sitter, none
 * from the grammar) give the same tree more slowly: tests compare them.
 */
export function parseGo(text: string, publicApi = false, askFields = false): ParseOutput {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return convert(tree, text, new LineIndex(lineStarts(text), text), undefined, publicApi, askFields).out;
  } finally {
    tree.delete();
  }
}

/** Bare parse without conversion, for the benchmark's baseline. */
export function parseOnly(text: string): void {
  parser.parse(text)?.delete();
}

type Tree = NonNullable<ReturnType<Parser["parse"]>>;
type TreeCursor = ReturnType<Tree["walk"]>;

/** The cursor moves and reads the conversion needs. */
interface Cursor {
  nodeTypeId(): number;
  currentFieldId(): number;
  startIndex(): number;
  endIndex(): number;
  nodeIsMissing(): boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Whether the current node's subtree holds a syntax error. */
  currentHasError(): boolean;
  /** Whether the current node certainly has no children (false: unknown, ask `gotoFirstChild`). */
  isLeaf(): boolean;
  delete(): void;
}

/** The handles web-tree-sitter keeps in its objects' numeric properties (cursor state, tree address). */
type Handles = Record<0 | 1 | 2 | 3, number>;

/**
 * A tree cursor driven through the wasm exports. The cursor's state (four words) lives in
 * web-tree-sitter's transfer buffer for the whole walk: the wasm functions read it from there
 * and the moves write it back, so nothing is copied per call. It is copied back into the
 * `TreeCursor` before anything else of web-tree-sitter runs (`currentHasError`, `delete`).
 */
class FastCursor implements Cursor {
  readonly #c: CursorExports;
  readonly #cursor: TreeCursor;
  readonly #tree: number;
  constructor(exports: CursorExports, cursor: TreeCursor) {
    this.#c = exports;
    this.#cursor = cursor;
    this.#tree = (cursor as unknown as { tree: Handles }).tree[0];
    this.#store();
  }
  /** Cursor object -> transfer buffer. */
  #store(): void {
    const h = this.#cursor as unknown as Handles;
    const heap = this.#c.HEAP32; // read each time: wasm memory growth replaces the view
    const i = TRANSFER_BUFFER >> 2;
    heap[i] = h[0];
    heap[i + 1] = h[1];
    heap[i + 2] = h[2];
    heap[i + 3] = h[3];
  }
  /** Transfer buffer -> cursor object. */
  #load(): void {
    const h = this.#cursor as unknown as Handles;
    const heap = this.#c.HEAP32;
    const i = TRANSFER_BUFFER >> 2;
    h[0] = heap[i];
    h[1] = heap[i + 1];
    h[2] = heap[i + 2];
    h[3] = heap[i + 3];
  }
  nodeTypeId(): number {
    return this.#c._ts_tree_cursor_current_node_type_id_wasm(this.#tree);
  }
  currentFieldId(): number {
    return this.#c._ts_tree_cursor_current_field_id_wasm(this.#tree);
  }
  startIndex(): number {
    return MEMORY_READS ? this.#readStart() : this.#c._ts_tree_cursor_start_index_wasm(this.#tree);
  }
  endIndex(): number {
    return MEMORY_READS ? this.#readEnd() : this.#c._ts_tree_cursor_end_index_wasm(this.#tree);
  }
  /** Whether the current node certainly has no children (then `gotoFirstChild` need not be asked). */
  isLeaf(): boolean {
    return MEMORY_READS && this.#readLeaf();
  }
  #readStart(): number {
    return (this.#c.HEAP32[entryOf(this.#c.HEAP32) + 1] >>> 0) / 2;
  }
  #readEnd(): number {
    const heap = this.#c.HEAP32;
    const entry = entryOf(heap);
    return ((heap[entry + 1] >>> 0) + subtreeSizeBytes(heap, heap[entry] >>> 2)) / 2;
  }
  #readLeaf(): boolean {
    const heap = this.#c.HEAP32;
    const word = heap[heap[entryOf(heap)] >>> 2];
    return (word & 1) === 1 || heap[(word >>> 2) + HEAP_CHILD_COUNT] === 0;
  }
  /** Compares the memory reads with tree-sitter's own answers at the current node. */
  checkMemoryReads(): boolean {
    if (this.#readStart() !== this.#c._ts_tree_cursor_start_index_wasm(this.#tree)) return false;
    if (this.#readEnd() !== this.#c._ts_tree_cursor_end_index_wasm(this.#tree)) return false;
    if (!this.#readLeaf()) return true;
    // A leaf must refuse to go down.
    if (this.#c._ts_tree_cursor_goto_first_child_wasm(this.#tree) === 1) {
      this.#c._ts_tree_cursor_goto_parent_wasm(this.#tree);
      return false;
    }
    return true;
  }
  nodeIsMissing(): boolean {
    return this.#c._ts_tree_cursor_current_node_is_missing_wasm(this.#tree) === 1;
  }
  gotoFirstChild(): boolean {
    return this.#c._ts_tree_cursor_goto_first_child_wasm(this.#tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.#c._ts_tree_cursor_goto_next_sibling_wasm(this.#tree) === 1;
  }
  gotoParent(): boolean {
    return this.#c._ts_tree_cursor_goto_parent_wasm(this.#tree) === 1;
  }
  currentHasError(): boolean {
    this.#load();
    const has = this.#cursor.currentNode.hasError; // uses the transfer buffer
    this.#store();
    return has;
  }
  delete(): void {
    this.#load();
    this.#cursor.delete();
  }
}

/*
 * Reads of the cursor's current node straight from wasm memory, in tree-sitter's own layout
 * (lib/src/tree_cursor.c, subtree.h; wasm32, little-endian). The cursor in the transfer buffer is
 * a TreeCursor: its stack (entries' address, count, capacity) and root alias. An entry is seven
 * words: the Subtree's address, the node's start (bytes, row, column; after its padding), child
 * index, structural child index, descendant index. A Subtree is either inline (low bit set; a
 * token: no children, its size in bytes in the top byte of the second word) or the address of
 * its heap data: reference count, padding (3 words), size (3 words, bytes first), lookahead
 * bytes, error cost, child count. Offsets count UTF-16 code units at two bytes each.
 *
 * Each read replaces a call into wasm that rebuilds the current node: start, end and "does it
 * have children" for every named node were almost half of the wasm time the conversion adds
 * to the parse (profiled over 3,000 files of moby's vendor tree). They are on
 * only when the self-check below, run when this module loads, finds them equal to tree-sitter's
 * answers on every node of a sample: another web-tree-sitter keeps working, just slower.
 */
let MEMORY_READS = false;
const ENTRY_WORDS = 7;
const HEAP_SIZE_BYTES = 4;
const HEAP_CHILD_COUNT = 9;

/** The word index of the cursor's current stack entry. */
function entryOf(heap: Int32Array): number {
  const i = TRANSFER_BUFFER >> 2;
  return (heap[i] >>> 2) + (heap[i + 1] - 1) * ENTRY_WORDS;
}

/** The size in bytes of the Subtree at word index `subtree`. */
function subtreeSizeBytes(heap: Int32Array, subtree: number): number {
  const word = heap[subtree];
  return (word & 1) === 1 ? heap[subtree + 1] >>> 24 : heap[(word >>> 2) + HEAP_SIZE_BYTES] >>> 0;
}

/** The same through web-tree-sitter's public `TreeCursor`, where its module's exports are not reachable. */
class PublicCursor implements Cursor {
  constructor(readonly c: TreeCursor) {}
  nodeTypeId(): number {
    return this.c.nodeTypeId;
  }
  currentFieldId(): number {
    return this.c.currentFieldId;
  }
  startIndex(): number {
    return this.c.startIndex;
  }
  endIndex(): number {
    return this.c.endIndex;
  }
  nodeIsMissing(): boolean {
    return this.c.nodeIsMissing;
  }
  gotoFirstChild(): boolean {
    return this.c.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.c.gotoNextSibling();
  }
  gotoParent(): boolean {
    return this.c.gotoParent();
  }
  currentHasError(): boolean {
    return this.c.currentNode.hasError;
  }
  isLeaf(): boolean {
    return false;
  }
  delete(): void {
    this.c.delete();
  }
}

/** A cursor over `tree` for the conversion: the direct one unless `publicApi` (tests compare both). */
function walk(tree: Tree, publicApi = false): Cursor {
  const c = tree.walk();
  return CURSOR_EXPORTS && !publicApi ? new FastCursor(CURSOR_EXPORTS, c) : new PublicCursor(c);
}

/** Whether the conversion runs on the direct cursor (false: web-tree-sitter's module was initialised elsewhere first). */
export const directCursor = CURSOR_EXPORTS !== undefined;

/** Line starts of one file, shared by its nodes to compute `loc` on demand. */
class LineIndex {
  /** The `loc` of the nodes whose `loc` was read (few are: most nodes are never reported). */
  readonly locs = new Map<GoAstNode, SourceLocation>();
  /**
   * Of the nodes with anonymous nodes in a field (operators), which `children` does not list:
   * those nodes, each after the number of named children that precede it ([position, node, ...]).
   */
  readonly anonymous = new Map<GoAstNode, Array<number | GoNode>>();
  constructor(public starts: number[], public text = "") {}
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] };
  }
}

/** Shared by every node without named children or fields (most nodes are leaves): never mutated. */
const NO_CHILDREN: GoNode[] = Object.freeze([]) as unknown as GoNode[];
const NO_FIELDS: Record<string, GoNode | GoNode[] | undefined> = Object.freeze({});

/** GoAstNode flags: named nodes are in their parent's `children`, anonymous ones only in its `fields`. */
const NAMED = 1;
/** GoAstNode flags: some field holds an anonymous node (see LineIndex.anonymous). */
const HAS_ANONYMOUS = 2;
/** GoAstNode flags: bits 8-15 hold the node's field in its parent (tree-sitter's field id), bits 16-30 its type. */
const FIELD_SHIFT = 8;
const FIELD_MASK = 0xff;
const TYPE_SHIFT = 16;
/** Node types by index: tree-sitter's type ids, then ERROR (whose id, 65535, does not fit). */
const NODE_TYPES: readonly string[] = [...Array.from(TYPE_NAMES, (t) => t ?? "ERROR"), "ERROR"];
const ERROR_TYPE = NODE_TYPES.length - 1;
const SOURCE_FILE_TYPE = NODE_TYPES.indexOf("source_file");
const FIELD_IDS: ReadonlyMap<string, number> = new Map(FIELD_NAMES_BY_ID.flatMap((name, id) => (name && id ? [[name, id] as const] : [])));
/** `fields` objects built for callers that read them (goward's own code asks `fieldOf`). */
const FIELDS_SEEN = new WeakMap<GoAstNode, Record<string, GoNode | GoNode[] | undefined>>();

/**
 * A plain data node. A file has tens of thousands, which live while its package is in use (the
 * GC copies each one young, and marks it while it lives, so every slot counts): one object of
 * six slots. `type` (an index in the flags), `range` (a fresh array), a leaf's `text` (a slice of
 * the file) and `loc` (kept by the file's LineIndex once read) are computed on demand; so is
 * `fields`, from each child's field id (in its flags) and the rare anonymous nodes in a field,
 * which the file's LineIndex keeps.
 */
class GoAstNode {
  children: GoNode[] = NO_CHILDREN;
  parent: GoNode | null;
  declare missing?: boolean;
  #start: number;
  #end: number;
  #lines: LineIndex;
  #flags: number;
  constructor(typeIndex: number, s: number, e: number, parent: GoNode | null, lines: LineIndex, named: boolean, fieldId = 0) {
    this.#start = s;
    this.#end = e;
    this.parent = parent;
    this.#lines = lines;
    this.#flags = (named ? NAMED : 0) | (fieldId << FIELD_SHIFT) | (typeIndex << TYPE_SHIFT);
  }
  get type(): string {
    return NODE_TYPES[this.#flags >>> TYPE_SHIFT];
  }
  #anonymous(): Array<number | GoNode> | undefined {
    return this.#flags & HAS_ANONYMOUS ? this.#lines.anonymous.get(this) : undefined;
  }
  get range(): [number, number] {
    return [this.#start, this.#end];
  }
  get text(): string | undefined {
    return this.children.length === 0 ? this.#lines.text.slice(this.#start, this.#end) : undefined;
  }
  get loc(): SourceLocation {
    const locs = this.#lines.locs;
    let loc = locs.get(this);
    if (loc === undefined) locs.set(this, (loc = { start: this.#lines.position(this.#start), end: this.#lines.position(this.#end) }));
    return loc;
  }
  set loc(v: SourceLocation) {
    this.#lines.locs.set(this, v);
  }

  /** tree-sitter's fields of this node: a field of several nodes (MULTIPLE_FIELDS) is an array. */
  get fields(): Record<string, GoNode | GoNode[] | undefined> {
    let fields = FIELDS_SEEN.get(this);
    if (fields !== undefined) return fields;
    fields = NO_FIELDS;
    for (const node of this.#inFields()) {
      const name = FIELD_NAMES_BY_ID[fieldIdOf(node)]!;
      if (fields === NO_FIELDS) fields = {};
      const existing = fields[name];
      if (existing === undefined) fields[name] = MULTIPLE_FIELDS[this.type]?.includes(name) ? [node] : node;
      else if (Array.isArray(existing)) existing.push(node);
      else fields[name] = [existing, node];
    }
    if (fields !== NO_FIELDS) FIELDS_SEEN.set(this, fields);
    return fields;
  }

  /** The field id of `node` in its parent (0: none). */
  static fieldId(node: GoNode): number {
    return ((node as unknown as GoAstNode).#flags >> FIELD_SHIFT) & FIELD_MASK;
  }

  /** The nodes in some field, in the order of the text (named children and anonymous tokens merged). */
  *#inFields(): Generator<GoNode> {
    const anon = this.#anonymous();
    const children = this.children;
    let a = 0;
    for (let i = 0; i <= children.length; i++) {
      while (anon && a < anon.length && (anon[a] as number) <= i) {
        yield anon[a + 1] as GoNode;
        a += 2;
      }
      if (i < children.length && fieldIdOf(children[i])) yield children[i];
    }
  }

  /** The first node of field `id` (see fieldOf). */
  static first(node: GoAstNode, id: number): GoNode | undefined {
    const anon = node.#anonymous();
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      if (fieldIdOf(children[i]) !== id) continue;
      if (anon) for (let a = 0; a < anon.length && (anon[a] as number) <= i; a += 2) if (fieldIdOf(anon[a + 1] as GoNode) === id) return anon[a + 1] as GoNode;
      return children[i];
    }
    if (anon) for (let a = 1; a < anon.length; a += 2) if (fieldIdOf(anon[a] as GoNode) === id) return anon[a] as GoNode;
    return undefined;
  }

  /** Every node of field `id`, in order (see fieldAllOf). */
  static all(node: GoAstNode, id: number): GoNode[] {
    let out: GoNode[] | undefined;
    for (const n of node.#inFields()) if (fieldIdOf(n) === id) (out ??= []).push(n);
    return out ?? [];
  }

  static isNode(x: unknown): x is GoAstNode {
    return typeof x === "object" && x !== null && #flags in x;
  }

  /**
   * Moves a converted subtree by `delta` code units into a new version of its text (whose
   * lines are `lines`): ranges shift and `loc` is computed afresh when next read.
   */
  static rebase(top: GoNode, delta: number, lines: LineIndex): void {
    const stack: GoAstNode[] = [top as unknown as GoAstNode];
    while (stack.length) {
      const n = stack.pop()!;
      const anon = n.#anonymous();
      n.#start += delta;
      n.#end += delta;
      if (n.#lines !== lines) {
        n.#lines.anonymous.delete(n);
        n.#lines = lines;
        if (anon) lines.anonymous.set(n, anon);
      } else lines.locs.delete(n);
      const children = n.children;
      for (let i = 0; i < children.length; i++) stack.push(children[i] as unknown as GoAstNode);
      if (anon) for (let a = 1; a < anon.length; a += 2) stack.push(anon[a] as unknown as GoAstNode);
    }
  }

  /**
   * Forgets what `lines` keeps for nodes no longer in the tree under `root` (loc, anonymous field
   * nodes): the editor's parser reuses one line index for every version of a buffer.
   */
  static forgetDropped(lines: LineIndex, root: GoNode): void {
    const live = new Set<GoAstNode>();
    const stack: GoAstNode[] = [root as unknown as GoAstNode];
    while (stack.length) {
      const n = stack.pop()!;
      live.add(n);
      for (const c of n.children) stack.push(c as unknown as GoAstNode);
      const anon = n.#anonymous();
      if (anon) for (let a = 1; a < anon.length; a += 2) stack.push(anon[a] as unknown as GoAstNode);
    }
    for (const map of [lines.anonymous, lines.locs]) for (const k of map.keys()) if (!live.has(k)) map.delete(k);
  }

  /** Records `node`, an anonymous token in a field of `parent`, after its first `position` named children. */
  static addAnonymous(parent: GoNode, position: number, node: GoNode): void {
    const p = parent as unknown as GoAstNode;
    let anon = p.#anonymous();
    if (anon === undefined) {
      p.#flags |= HAS_ANONYMOUS;
      p.#lines.anonymous.set(p, (anon = []));
    }
    anon.push(position, node);
  }
}

const fieldIdOf = GoAstNode.fieldId;

/** The node of field `name` of `node` (the first one, for a field of several), without building `fields`. */
export function fieldOf(node: GoNode, name: string): GoNode | undefined {
  if (!GoAstNode.isNode(node)) {
    const v = (node.fields as Record<string, GoNode | GoNode[] | undefined>)[name];
    return Array.isArray(v) ? v[0] : v;
  }
  const id = FIELD_IDS.get(name);
  return id === undefined ? undefined : GoAstNode.first(node, id);
}

/** Every node of field `name` of `node`, in order. */
export function fieldAllOf(node: GoNode, name: string): GoNode[] {
  if (!GoAstNode.isNode(node)) {
    const v = (node.fields as Record<string, GoNode | GoNode[] | undefined>)[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
  const id = FIELD_IDS.get(name);
  return id === undefined ? [] : GoAstNode.all(node, id);
}

/** Start offsets of every line, for turning offsets into 1-based lines without asking wasm. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** A top-level declaration of a converted file, kept to be reused by the next version of the text. */
interface TopLevel {
  node: GoNode;
  /** The comments inside it, in order. */
  comments: Comment[];
  /** No syntax error or missing token inside. */
  clean: boolean;
}

/** Finds a converted top-level node of the previous version whose text is unchanged at [s, e). */
type Reuse = (type: string, s: number, e: number) => { top: TopLevel; delta: number; moved: boolean } | undefined;

function convert(tree: Tree, text: string, lines: LineIndex, reuse?: Reuse, publicApi = false, askFields = false): { out: ParseOutput; tops: TopLevel[] } {
  // Before the walk: reading the root node uses the transfer buffer, where the direct cursor lives.
  const hasError = tree.rootNode.hasError;
  const cursor = walk(tree, publicApi);
  const comments: Comment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const starts = lines.starts;
  let lastLine = 0;
  const position = (offset: number) => {
    // Offsets mostly grow during the walk: start the search from the last line found.
    let lo = starts[lastLine] <= offset ? lastLine : 0;
    let hi = starts.length - 1;
    if (lo < hi && starts[lo + 1] > offset) hi = lo;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    lastLine = lo;
    return { line: lo + 1, column: offset - starts[lo] };
  };
  const locOf = (s: number, e: number): SourceLocation => {
    const start = position(s);
    return { start, end: position(e) };
  };
  const mk = (typeIndex: number, parent: GoNode | null, s: number, e: number, named: boolean, fieldId = 0): GoNode =>
    new GoAstNode(typeIndex, s, e, parent, lines, named, fieldId) as unknown as GoNode;

  /**
   * Converts the node at the cursor and its subtree into `top`'s children; the cursor ends where
   * it started. The children of the nodes on the stack gather in `kids` (one reused array per
   * depth) and each node gets an array of exactly its children when it is done: pushing onto the
   * node's own array would leave most of them with room for 17 (V8's growth step), all retained.
   */
  const convertSubtree = (top: GoNode): void => {
    const stack: GoNode[] = [top];
    let depth = 0;
    for (;;) {
      const parent = stack[stack.length - 1];
      const typeId = cursor.nodeTypeId();
      const type = TYPE_NAMES[typeId] ?? "ERROR";
      const named = IS_NAMED[typeId] ?? true;
      // Ask wasm for the field only where the grammar leaves it open.
      const row = FIELD_ROWS.get(parent.type);
      const known = row === undefined ? 0 : typeId < row.length ? row[typeId] : ASK;
      const fieldId = known === ASK || (askFields && row !== undefined) ? cursor.currentFieldId() : known;
      let node: GoNode | null = null;
      if (type === "comment") {
        const s = cursor.startIndex();
        const e = cursor.endIndex();
        const raw = text.slice(s, e);
        const block = raw.startsWith("/*");
        comments.push({
          type: block ? "Block" : "Line",
          value: block ? raw.slice(2, raw.endsWith("*/") ? -2 : undefined) : raw.slice(2),
          range: [s, e],
          loc: locOf(s, e),
        });
      } else {
        const missing = hasError && cursor.nodeIsMissing();
        if (missing || type === "ERROR") {
          const s = cursor.startIndex();
          const e = cursor.endIndex();
          syntaxProblems.push({ kind: missing ? "missing" : "error", ...(missing ? { token: type } : {}), range: [s, e], loc: locOf(s, e) });
        }
        if (named || fieldId) {
          node = mk(typeId < ERROR_TYPE ? typeId : ERROR_TYPE, parent, cursor.startIndex(), cursor.endIndex(), named, fieldId);
          if (missing) node.missing = true;
          if (named) {
            if (depth === 0) {
              if (parent.children === NO_CHILDREN) parent.children = [node];
              else parent.children.push(node);
            } else kids[depth][kidCount[depth]++] = node;
          } else GoAstNode.addAnonymous(parent, depth === 0 ? parent.children.length : kidCount[depth], node);
        }
      }
      if (node && !cursor.isLeaf() && cursor.gotoFirstChild()) {
        stack.push(node);
        depth++;
        if (kids.length === depth) kids.push([]);
        kidCount[depth] = 0;
        continue;
      }
      // Climb until a sibling exists, or back to where this subtree started.
      for (;;) {
        if (depth === 0) return;
        if (cursor.gotoNextSibling()) break;
        cursor.gotoParent();
        depth--;
        const done = stack.pop()!;
        const count = kidCount[depth + 1];
        if (count > 0) done.children = kids[depth + 1].slice(0, count);
      }
    }
  };

  /**
   * By depth below the subtree's top: the children gathered so far for the node at that depth,
   * and how many (index 0 unused). Entries past the count are stale, and dropped with the arrays.
   */
  const kids: GoNode[][] = [[]];
  const kidCount: number[] = [0];
  const root = mk(SOURCE_FILE_TYPE, null, 0, text.length, true) as SourceFileNode;
  const tops: TopLevel[] = [];
  if (cursor.gotoFirstChild()) {
    do {
      const typeId = cursor.nodeTypeId();
      const type = TYPE_NAMES[typeId] ?? "ERROR";
      // Comments and tokens between declarations are cheap to convert; declarations may be reused.
      const decl = (IS_NAMED[typeId] ?? true) && type !== "comment";
      // In a file with syntax errors, only declarations that are themselves free of errors.
      if (decl && reuse && !(hasError && cursor.currentHasError())) {
        const s = cursor.startIndex();
        const e = cursor.endIndex();
        const hit = reuse(type, s, e);
        if (hit) {
          const { top, delta, moved } = hit;
          top.node.parent = root;
          if (root.children === NO_CHILDREN) root.children = [top.node];
          else root.children.push(top.node);
          let kept = top.comments;
          if (moved) {
            GoAstNode.rebase(top.node, delta, lines);
            kept = top.comments.map((c) => ({ type: c.type, value: c.value, range: [c.range[0] + delta, c.range[1] + delta], loc: locOf(c.range[0] + delta, c.range[1] + delta) }));
          }
          comments.push(...kept);
          tops.push({ node: top.node, comments: kept, clean: true });
          continue;
        }
      }
      const before = comments.length;
      const problems = syntaxProblems.length;
      const count = root.children.length;
      convertSubtree(root);
      if (decl && root.children.length === count + 1) {
        tops.push({ node: root.children[count], comments: comments.slice(before), clean: syntaxProblems.length === problems });
      }
    } while (cursor.gotoNextSibling());
  }
  cursor.delete();
  return { out: { ast: root, comments, syntaxProblems }, tops };
}

/**
 * Parses successive versions of one document (an editor buffer). The previous tree-sitter tree
 * is edited and handed to the parser (incremental parsing), and top-level declarations whose
 * text did not change are moved over from the previous conversion instead of being converted
 * again. The result equals `parseGo` of the same text. While either version has syntax errors
 * (where tree-sitter's recovery may depend on history) tree-sitter parses afresh, and only
 * declarations free of errors in both versions are moved over.
 *
 * The nodes of the previous result are reused, so once `parse` returns a new version the
 * previous result must no longer be used.
 */
export class IncrementalParser {
  #tree: Tree | null = null;
  #text = "";
  #out: ParseOutput | undefined;
  #tops: TopLevel[] = [];
  #lines: LineIndex | undefined;
  /** Entries the line index kept after the last forgetDropped. */
  #keptAfterForget = 0;
  /** How the last version was made, for tests and the latency tool. */
  lastMode: "fresh" | "incremental" | "unchanged" = "fresh";

  parse(text: string): ParseOutput {
    if (this.#out && text === this.#text) {
      this.lastMode = "unchanged";
      return this.#out;
    }
    const old = this.#tree;
    const oldText = this.#text;
    const oldLines = this.#lines;
    const oldTops = this.#tops;
    this.#tree = null;
    this.#out = undefined;
    let tree: Tree | null = null;
    let converted: ReturnType<typeof convert> | undefined;
    let lines: LineIndex | undefined;
    try {
      if (old && oldLines) {
        // The change as one edit: what lies between the common prefix and the common suffix.
        const max = Math.min(oldText.length, text.length);
        let p = 0;
        while (p < max && oldText.charCodeAt(p) === text.charCodeAt(p)) p++;
        if (p > 0 && isHighSurrogate(oldText.charCodeAt(p - 1))) p--;
        let oldEnd = oldText.length;
        let newEnd = text.length;
        while (oldEnd > p && newEnd > p && oldText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
          oldEnd--;
          newEnd--;
        }
        while (newEnd < text.length && oldEnd < oldText.length && isLowSurrogate(text.charCodeAt(newEnd))) {
          oldEnd++;
          newEnd++;
        }
        const newLines = lineStarts(text);
        // Top-level declarations of the previous version wholly before or after the change.
        const delta = newEnd - oldEnd;
        const byRange = new Map<string, { top: TopLevel; delta: number; moved: boolean }>();
        for (const top of oldTops) {
          if (!top.clean) continue;
          const [s, e] = top.node.range;
          if (e <= p) byRange.set(`${s}:${e}`, { top, delta: 0, moved: false });
          else if (s >= oldEnd) byRange.set(`${s + delta}:${e + delta}`, { top, delta, moved: true });
        }
        const reuse: Reuse = (type, s, e) => {
          const hit = byRange.get(`${s}:${e}`);
          return hit && hit.top.node.type === type ? hit : undefined;
        };
        if (!old.rootNode.hasError) {
          const point = (starts: number[], offset: number) => {
            const { line, column } = new LineIndex(starts).position(offset);
            return { row: line - 1, column };
          };
          old.edit(
            new Edit({
              startIndex: p,
              oldEndIndex: oldEnd,
              newEndIndex: newEnd,
              startPosition: point(oldLines.starts, p),
              oldEndPosition: point(oldLines.starts, oldEnd),
              newEndPosition: point(newLines, newEnd),
            }),
          );
          tree = parser.parse(text, old);
          if (!tree) throw new Error("tree-sitter returned no tree");
          // Where there are syntax errors, tree-sitter's recovery may depend on the previous tree.
          if (tree.rootNode.hasError) {
            tree.delete();
            tree = null;
          }
        }
        this.lastMode = tree ? "incremental" : "fresh";
        tree ??= parser.parse(text);
        if (!tree) throw new Error("tree-sitter returned no tree");
        // The nodes of the previous version now belong to this one: their line index follows the text.
        oldLines.starts = newLines;
        oldLines.text = text;
        lines = oldLines;
        converted = convert(tree, text, lines, reuse);
      } else {
        tree = parser.parse(text);
        if (!tree) throw new Error("tree-sitter returned no tree");
        lines = new LineIndex(lineStarts(text), text);
        converted = convert(tree, text, lines);
        this.lastMode = "fresh";
        this.#keptAfterForget = 0;
      }
    } catch (e) {
      tree?.delete();
      this.#text = "";
      this.#tops = [];
      this.#lines = undefined;
      throw e;
    } finally {
      old?.delete();
    }
    this.#tree = tree;
    this.#text = text;
    this.#out = converted.out;
    this.#tops = converted.tops;
    this.#lines = lines;
    // The reused line index also keeps entries for nodes of earlier versions: dropped once they
    // outnumber the last live count (amortized: one walk of the tree per doubling).
    const kept = lines.anonymous.size + lines.locs.size;
    if (kept > 2 * this.#keptAfterForget + 1024) {
      GoAstNode.forgetDropped(lines, converted.out.ast);
      this.#keptAfterForget = lines.anonymous.size + lines.locs.size;
    }
    return converted.out;
  }

  /** How many nodes the current line index keeps entries for (loc, anonymous field nodes): for tests. */
  get keptEntries(): number {
    return this.#lines ? this.#lines.anonymous.size + this.#lines.locs.size : 0;
  }

  /** Frees the tree-sitter tree; the parser can still be used (it starts afresh). */
  dispose(): void {
    this.#tree?.delete();
    this.#tree = null;
    this.#out = undefined;
    this.#text = "";
    this.#tops = [];
    this.#lines = undefined;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * The self-check behind MEMORY_READS: every node of a sample (tokens short and long, inline
 * and on the heap, non-ASCII text, comments, a syntax error and a missing token) read both ways.
 */
function memoryReadsAgree(): boolean {
  if (!CURSOR_EXPORTS) return false;
  const sample = [
    "package p // héllo ☃ 𝄞",
    "",
    'import "fmt"',
    "",
    `const long = "${"x".repeat(300)}"`,
    "",
    "/* a block comment */",
    "func f(a int, b ...string) (int, error) {",
    "\tx := []int{1, 2, 3}[a:] // 𝄞 after a surrogate pair",
    '\tfmt.Println("ü", `raw`, x, b, \'é\')',
    "\tif a > 0 { return a, nil }",
    "\tgo func() { defer recover() }()",
    "\treturn 0, fmt.Errorf(\"%w\", nil",
    "}",
    "func g() { var y = ) }",
    "",
  ].join("\n");
  const tree = parser.parse(sample);
  if (!tree) return false;
  const cursor = new FastCursor(CURSOR_EXPORTS, tree.walk());
  try {
    let nodes = 0;
    for (;;) {
      nodes++;
      if (!cursor.checkMemoryReads()) return false;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return nodes > 50;
    }
  } catch {
    return false;
  } finally {
    cursor.delete();
    tree.delete();
  }
}
MEMORY_READS = memoryReadsAgree();

/** Whether the conversion reads offsets from wasm memory (see MEMORY_READS); tests check both ways. */
export const memoryReads = MEMORY_READS;
