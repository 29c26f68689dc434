/**
 * createRule(): typed goward rules, in the spirit of typescript-eslint's RuleCreator.
 * It injects `meta.docs.url`, carries the security metadata, and types the visitor by
 * tree-sitter-go node type (`call_expression`, `type_assertion_expression`, ...).
 */
import type { RuleContext, RuleDefinition, RulesMeta } from "@eslint/core";
import type { GoNode, NodeOfType } from "./language/node-types.generated.js";
import { GoSourceCode } from "./language/source-code.js";
import { docsUrl, type GowardRuleDocs } from "./meta.js";

export type GoRuleVisitor = {
  [K in keyof NodeOfType]?: (node: NodeOfType[K]) => void;
} & {
  [K in keyof NodeOfType as `${K}:exit`]?: (node: NodeOfType[K]) => void;
};

export type GoRuleContext<Options extends unknown[], MessageIds extends string> = RuleContext<{
  LangOptions: Record<string, never>;
  Code: GoSourceCode;
  RuleOptions: Options;
  Node: GoNode;
  MessageIds: MessageIds;
}>;

export interface GoRuleMeta<Options extends unknown[], MessageIds extends string>
  extends Omit<RulesMeta<MessageIds, Options, GowardRuleDocs>, "docs" | "messages"> {
  docs: Omit<GowardRuleDocs, "url">;
  messages: Record<MessageIds, string>;
}

export interface GoRuleSpec<Options extends unknown[], MessageIds extends string> {
  /** The rule id without the `goward/` prefix: public API, used in configs and suppressions. */
  name: string;
  meta: GoRuleMeta<Options, MessageIds>;
  defaultOptions?: Options;
  /**
   * A necessary condition on the file text: when the text does not match, the rule cannot
   * report anything in that file, so it is not run there (and a file that no enabled rule's
   * prefilter matches is not even parsed by the CLI). It must be sound: a word every report
   * needs (`InsecureSkipVerify`, a method name), never a guess. Without it the rule runs on
   * every file.
   */
  prefilter?: RegExp;
  create(context: GoRuleContext<Options, MessageIds>): GoRuleVisitor;
}

export type GoRule = RuleDefinition<{
  LangOptions: Record<string, never>;
  Code: GoSourceCode;
  RuleOptions: unknown[];
  Visitor: Record<string, (node: GoNode) => void>;
  Node: GoNode;
  MessageIds: string;
  ExtRuleDocs: GowardRuleDocs;
}> & { name: string; meta: RulesMeta<string, unknown[], GowardRuleDocs> & { docs: GowardRuleDocs }; prefilter?: RegExp };

/** The rules' own `create`, without the prefilter: for tests that check the prefilters are sound. */
const unfiltered = new WeakMap<GoRule, GoRule["create"]>();

/** `rule` with its prefilter switched off (the rule runs on every file): for soundness tests. */
export function withoutPrefilter(rule: GoRule): GoRule {
  const run = unfiltered.get(rule);
  if (!run || !rule.prefilter) return rule;
  const { prefilter: _prefilter, ...rest } = rule;
  return { ...rest, create: run } as GoRule;
}

export function createRule<Options extends unknown[] = [], MessageIds extends string = string>(
  spec: GoRuleSpec<Options, MessageIds>,
): GoRule {
  const { name, meta, create, defaultOptions, prefilter } = spec;
  const own = create as unknown as GoRule["create"];
  // The listeners go to the source code too: with `onlyGowardRules` it visits only their node types.
  const run: GoRule["create"] = (context) => {
    const listeners = own(context);
    if (context.sourceCode instanceof GoSourceCode) context.sourceCode.listen(Object.keys(listeners));
    return listeners;
  };
  const rule = {
    name,
    meta: {
      ...meta,
      ...(defaultOptions ? { defaultOptions } : {}),
      docs: { ...meta.docs, url: docsUrl(name) },
    },
    ...(prefilter ? { prefilter } : {}),
    create: prefilter ? (context) => (prefilter.test(context.sourceCode.text) ? run(context) : {}) : run,
  } as GoRule;
  unfiltered.set(rule, run);
  return rule;
}

/**
 * A prefilter that matches when the text contains one of `words` as a whole word (identifiers:
 * method, function or field names a rule keys on), built from the library tables the rule reads
 * so that it stays in step with them.
 */
export function anyWord(words: Iterable<string>): RegExp {
  const list = [...new Set(words)].sort();
  for (const w of list) if (!/^\w+$/u.test(w)) throw new Error(`anyWord: not an identifier: ${w}`);
  return new RegExp(`\\b(?:${list.join("|")})\\b`, "u");
}

/**
 * For prefilters: whitespace and comments, which Go allows between any two tokens (`x. // c` then `(T)`).
 * Each comment is matched in one way only, so the pattern stays linear.
 */
export const GAP = String.raw`(?:\s|//[^\n]*\n|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)*`;
