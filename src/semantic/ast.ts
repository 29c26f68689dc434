/** Small, allocation-free helpers over goward's plain Go nodes. */
import { checkBudget } from "./budget.js";
import { fieldAllOf, fieldOf } from "../language/parser.js";
import type { GoNode, FuncLiteralNode, FunctionDeclarationNode, MethodDeclarationNode, SourceFileNode } from "../language/node-types.generated.js";

export type FunctionLike = FunctionDeclarationNode | MethodDeclarationNode | FuncLiteralNode;

export function isFunctionLike(node: GoNode): node is FunctionLike {
  return node.type === "function_declaration" || node.type === "method_declaration" || node.type === "func_literal";
}

/** The innermost function, method or function literal that contains `node`. */
export function enclosingFunction(node: GoNode): FunctionLike | null {
  for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return null;
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(node: GoNode | undefined): GoNode | undefined {
  while (node && node.type === "parenthesized_expression") node = node.children[0];
  return node;
}

/** The single node of a field (first one when the field holds several). */
export function field(node: GoNode | undefined, name: string): GoNode | undefined {
  return node === undefined ? undefined : fieldOf(node, name);
}

/** All nodes of a field, as an array. */
export function fieldAll(node: GoNode | undefined, name: string): GoNode[] {
  return node === undefined ? [] : fieldAllOf(node, name);
}

/** The text of a leaf node (identifiers), or undefined. */
export function nameOf(node: GoNode | undefined): string | undefined {
  return node?.text;
}

/** Value of a Go string literal node, or undefined when it is not a plain literal. */
export function stringValue(node: GoNode | undefined): string | undefined {
  node = unparen(node);
  if (!node) return undefined;
  if (node.type === "raw_string_literal") {
    const c = node.children.find((k) => k.type === "raw_string_literal_content");
    return c?.text ?? "";
  }
  if (node.type === "interpreted_string_literal") {
    let out = "";
    for (const c of node.children) {
      if (c.type === "interpreted_string_literal_content") out += c.text ?? "";
      else if (c.type === "escape_sequence") {
        try {
          out += JSON.parse(`"${(c.text ?? "").replace(/^\\'/u, "'")}"`) as string;
        } catch {
          out += c.text ?? "";
        }
      }
    }
    return out;
  }
  return undefined;
}

/** Visits every named descendant of `root` (iteratively), stopping descent where `visit` returns false. */
export function walk(root: GoNode, visit: (node: GoNode) => boolean | void): void {
  const stack: GoNode[] = [...root.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    checkBudget();
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** The source_file node at the top of `node`'s tree. */
export function rootOf(node: GoNode): SourceFileNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n as SourceFileNode;
}
