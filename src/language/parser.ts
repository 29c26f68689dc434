/**
 * The one place that touches web-tree-sitter. It loads the Go grammar once per process or
 * worker (top-level await: ESLint's `parse` must be synchronous), parses text, converts the
 * tree into plain JS nodes with a TreeCursor and deletes the tree. No wasm object leaves here.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { Language, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION, Parser } from "web-tree-sitter";
import { ANON_FIELD_PARENTS, FIELD_NAMES, MULTIPLE_FIELDS } from "./node-types.generated.js";
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

await Parser.init();
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
const HAS_FIELDS: ReadonlySet<string> = new Set(Object.keys(FIELD_NAMES));

/** Parses Go source (BOM already stripped) into plain nodes. Never throws on bad input. */
export function parseGo(text: string): ParseOutput {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return convert(tree.walk(), text, tree.rootNode.hasError);
  } finally {
    tree.delete();
  }
}

/** Bare parse without conversion, for the benchmark's baseline. */
export function parseOnly(text: string): void {
  parser.parse(text)?.delete();
}

type Cursor = ReturnType<NonNullable<ReturnType<Parser["parse"]>>["walk"]>;

/** Line starts of one file, shared by its nodes to compute `loc` on demand. */
class LineIndex {
  constructor(readonly starts: number[]) {}
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

/**
 * A plain data node. `loc` is computed from `range` when first read (most nodes are never
 * reported), then kept; it is an ordinary enumerable-looking property for rules and ESLint.
 */
class GoAstNode {
  type: string;
  range: [number, number];
  children: GoNode[] = [];
  fields: Record<string, GoNode | GoNode[] | undefined> = {};
  parent: GoNode | null;
  declare text?: string;
  declare missing?: boolean;
  #lines: LineIndex;
  #loc: SourceLocation | undefined;
  constructor(type: string, s: number, e: number, parent: GoNode | null, lines: LineIndex) {
    this.type = type;
    this.range = [s, e];
    this.parent = parent;
    this.#lines = lines;
  }
  get loc(): SourceLocation {
    return (this.#loc ??= { start: this.#lines.position(this.range[0]), end: this.#lines.position(this.range[1]) });
  }
  set loc(v: SourceLocation) {
    this.#loc = v;
  }
}

/** Start offsets of every line, for turning offsets into 1-based lines without asking wasm. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function convert(cursor: Cursor, text: string, hasError: boolean): ParseOutput {
  const comments: Comment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const starts = lineStarts(text);
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
  const lines = new LineIndex(starts);
  const mk = (type: string, parent: GoNode | null, s: number, e: number): GoNode => new GoAstNode(type, s, e, parent, lines) as unknown as GoNode;

  const root = mk("source_file", null, 0, text.length) as SourceFileNode;
  const stack: GoNode[] = [root];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const parent = stack[stack.length - 1];
      const typeId = cursor.nodeTypeId;
      const type = TYPE_NAMES[typeId] ?? "ERROR";
      const named = IS_NAMED[typeId] ?? true;
      // Ask wasm for the field only where the parent's type can have one for this kind of node.
      const mayHaveField = named ? HAS_FIELDS.has(parent.type) : ANON_FIELD_PARENTS.has(parent.type);
      const fieldId = mayHaveField ? cursor.currentFieldId : 0;
      const fieldName = fieldId ? FIELD_NAMES_BY_ID[fieldId] : null;
      let node: GoNode | null = null;
      if (type === "comment") {
        const s = cursor.startIndex;
        const e = cursor.endIndex;
        const raw = text.slice(s, e);
        const block = raw.startsWith("/*");
        comments.push({
          type: block ? "Block" : "Line",
          value: block ? raw.slice(2, raw.endsWith("*/") ? -2 : undefined) : raw.slice(2),
          range: [s, e],
          loc: locOf(s, e),
        });
      } else {
        const missing = hasError && cursor.nodeIsMissing;
        if (missing || type === "ERROR") {
          const s = cursor.startIndex;
          const e = cursor.endIndex;
          syntaxProblems.push({ kind: missing ? "missing" : "error", ...(missing ? { token: type } : {}), range: [s, e], loc: locOf(s, e) });
        }
        if (named || fieldName) {
          node = mk(type, parent, cursor.startIndex, cursor.endIndex);
          if (missing) node.missing = true;
          if (named) parent.children.push(node);
          if (fieldName) {
            const fields = parent.fields as Record<string, GoNode | GoNode[] | undefined>;
            const existing = fields[fieldName];
            if (existing === undefined) fields[fieldName] = MULTIPLE_FIELDS[parent.type]?.includes(fieldName) ? [node] : node;
            else if (Array.isArray(existing)) existing.push(node);
            else fields[fieldName] = [existing, node];
          }
        }
      }
      if (node && cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      if (node && node.children.length === 0) node.text = text.slice(node.range[0], node.range[1]);
      // Climb until a sibling exists.
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) {
          cursor.delete();
          return { ast: root, comments, syntaxProblems };
        }
        const done = stack.pop()!;
        if (done.children.length === 0) done.text = text.slice(done.range[0], done.range[1]);
      }
    }
  }
  cursor.delete();
  return { ast: root, comments, syntaxProblems };
}
