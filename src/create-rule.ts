/**
 * createRule(): typed goward rules, in the spirit of typescript-eslint's RuleCreator.
 * It injects `meta.docs.url`, carries the security metadata, and types the visitor by
 * tree-sitter-go node type (`call_expression`, `type_assertion_expression`, ...).
 */
import type { RuleContext, RuleDefinition, RulesMeta } from "@eslint/core";
import type { GoNode, NodeOfType } from "./language/node-types.generated.js";
import type { GoSourceCode } from "./language/source-code.js";
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

export function createRule<Options extends unknown[] = [], MessageIds extends string = string>(
  spec: GoRuleSpec<Options, MessageIds>,
): GoRule {
  const { name, meta, create, defaultOptions, prefilter } = spec;
  const run = create as unknown as GoRule["create"];
  return {
    name,
    meta: {
      ...meta,
      ...(defaultOptions ? { defaultOptions } : {}),
      docs: { ...meta.docs, url: docsUrl(name) },
    },
    ...(prefilter ? { prefilter } : {}),
    create: prefilter
      ? (context) => (prefilter.test(context.sourceCode.text) ? run(context) : {})
      : run,
  } as GoRule;
}
