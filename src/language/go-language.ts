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

/**
 * `onlyGowardRules: true` states that every rule enabled for the files is one of goward's: the
 * traversal then visits only the node types those rules listen to (see GoSourceCode.listen).
 * The CLI sets it; an ESLint config that adds rules of its own must leave it unset.
 */
export type GoLanguageOptions = {
  onlyGowardRules?: boolean;
};

export class GoLanguage implements Language<{ LangOptions: GoLanguageOptions; Code: GoSourceCode; RootNode: SourceFileNode; Node: GoNode }> {
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
    const keys = Object.keys(options ?? {}).filter((k) => k !== "onlyGowardRules");
    if (keys.length) throw new TypeError(`goward/go has no language options but onlyGowardRules; got: ${keys.join(", ")}`);
    const only = options?.onlyGowardRules;
    if (only !== undefined && typeof only !== "boolean") throw new TypeError(`goward/go: onlyGowardRules must be true or false, got ${JSON.stringify(only)}`);
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

  createSourceCode(file: File, result: GoParseResult, context?: { languageOptions?: GoLanguageOptions }): GoSourceCode {
    return new GoSourceCode({
      visitListenedOnly: context?.languageOptions?.onlyGowardRules === true,
      text: String(file.body),
      ast: result.ast,
      comments: result.comments,
      syntaxProblems: result.syntaxProblems,
      knownRules: this.#knownRules(),
    });
  }
}
