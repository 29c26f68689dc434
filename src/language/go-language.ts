/**
 * The Go language for ESLint (the `Language` interface of ESLint's language plugins).
 * Lines are 1-based and columns 0-based, both in UTF-16 code units, as ESLint and LSP use.
 */
import type { File, FileError, Language, OkParseResult } from "@eslint/core";
import { VISITOR_KEYS, type SourceFileNode, type GoNode } from "./node-types.generated.js";
import { parseGo, type ParseOutput } from "./parser.js";
import { packageCache, registerFile } from "../semantic/package.js";
import { GoSourceCode } from "./source-code.js";
import { checkBudgetNow } from "../semantic/budget.js";

export interface GoParseResult extends OkParseResult<SourceFileNode> {
  comments: ParseOutput["comments"];
  syntaxProblems: ParseOutput["syntaxProblems"];
}

export class GoLanguage implements Language<{ LangOptions: Record<string, never>; Code: GoSourceCode; RootNode: SourceFileNode; Node: GoNode }> {
  readonly fileType = "text" as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 0 as const;
  readonly nodeTypeKey = "type";
  readonly visitorKeys = VISITOR_KEYS as Record<string, string[]>;
  readonly defaultLanguageOptions = {};
  readonly #knownRules: () => ReadonlySet<string>;

  /** @param knownRules the bare ids of goward's rules, for checking suppression comments. */
  constructor(knownRules: () => ReadonlySet<string>) {
    this.#knownRules = knownRules;
  }

  validateLanguageOptions(options: Record<string, unknown>): void {
    const keys = Object.keys(options ?? {});
    if (keys.length) throw new TypeError(`goward/go has no language options; got: ${keys.join(", ")}`);
  }

  parse(file: File): GoParseResult | { ok: false; errors: FileError[] } {
    const text = String(file.body);
    if (text.includes("\u0000")) {
      return { ok: false, errors: [{ message: "File contains NUL bytes: not Go source (binary?)", line: 1, column: 1 }] };
    }
    const filePath = String(file.physicalPath ?? file.path);
    // A sibling's package model may already have parsed this very text.
    let out = packageCache.takeParse(filePath, text);
    if (!out) {
      out = parseGo(text);
      packageCache.rememberParse(filePath, text, out);
      registerFile(out.ast, filePath);
    }
    checkBudgetNow();
    return { ok: true, ast: out.ast, comments: out.comments, syntaxProblems: out.syntaxProblems };
  }

  createSourceCode(file: File, result: GoParseResult): GoSourceCode {
    return new GoSourceCode({
      text: String(file.body),
      ast: result.ast,
      comments: result.comments,
      syntaxProblems: result.syntaxProblems,
      knownRules: this.#knownRules(),
    });
  }
}
