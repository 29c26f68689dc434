/**
 * The one place that touches web-tree-sitter. It loads the Go grammar once per process or
 * worker (top-level await: ESLint's `parse` must be synchronous), parses text, converts the
 * tree into plain JS nodes with a TreeCursor and deletes the tree. No wasm object leaves here.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { Language, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION, Parser } from "web-tree-sitter";
import { MULTIPLE_FIELDS } from "./node-types.generated.js";
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

/** Parses Go source (BOM already stripped) into plain nodes. Never throws on bad input. */
export function parseGo(text: string): ParseOutput {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return convert(tree.walk(), text);
  } finally {
    tree.delete();
  }
}

/** Bare parse without conversion, for the benchmark's baseline. */
export function parseOnly(text: string): void {
  parser.parse(text)?.delete();
}

type Cursor = ReturnType<NonNullable<ReturnType<Parser["parse"]>>["walk"]>;

function convert(cursor: Cursor, text: string): ParseOutput {
  const comments: Comment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const mk = (parent: GoNode | null): GoNode => {
    const start = cursor.startPosition;
    const end = cursor.endPosition;
    const node = {
      type: cursor.nodeType,
      range: [cursor.startIndex, cursor.endIndex] as [number, number],
      loc: { start: { line: start.row + 1, column: start.column }, end: { line: end.row + 1, column: end.column } },
      children: [] as GoNode[],
      fields: {} as Record<string, GoNode | GoNode[] | undefined>,
      parent,
    } as GoNode;
    return node;
  };

  const root = mk(null) as SourceFileNode;
  // Iterative depth-first walk: deep nesting must not overflow the JS stack.
  const stack: GoNode[] = [root];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const parent = stack[stack.length - 1];
      const named = cursor.nodeIsNamed;
      const fieldName = cursor.currentFieldName;
      const type = cursor.nodeType;
      let node: GoNode | null = null;
      if (type === "comment") {
        const [s, e] = [cursor.startIndex, cursor.endIndex];
        const raw = text.slice(s, e);
        const block = raw.startsWith("/*");
        const sp = cursor.startPosition, ep = cursor.endPosition;
        comments.push({
          type: block ? "Block" : "Line",
          value: block ? raw.slice(2, raw.endsWith("*/") ? -2 : undefined) : raw.slice(2),
          range: [s, e],
          loc: { start: { line: sp.row + 1, column: sp.column }, end: { line: ep.row + 1, column: ep.column } },
        });
      } else {
        const missing = cursor.nodeIsMissing;
        if (missing || type === "ERROR") {
          const sp = cursor.startPosition, ep = cursor.endPosition;
          syntaxProblems.push({
            kind: missing ? "missing" : "error",
            ...(missing ? { token: type } : {}),
            range: [cursor.startIndex, cursor.endIndex],
            loc: { start: { line: sp.row + 1, column: sp.column }, end: { line: ep.row + 1, column: ep.column } },
          });
        }
        if (named || fieldName) {
          node = mk(parent);
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
          finish(root, text);
          return { ast: root, comments, syntaxProblems };
        }
        const done = stack.pop()!;
        if (done.children.length === 0) done.text = text.slice(done.range[0], done.range[1]);
      }
    }
  }
  cursor.delete();
  finish(root, text);
  return { ast: root, comments, syntaxProblems };
}

function finish(root: GoNode, text: string): void {
  // The root spans the whole text (tree-sitter's source_file starts at the first token).
  root.range = [0, text.length];
  const lines = text.split("\n");
  root.loc = { start: { line: 1, column: 0 }, end: { line: lines.length, column: lines[lines.length - 1].length } };
}
