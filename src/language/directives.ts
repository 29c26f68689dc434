/**
 * Suppression comments. Three spellings are understood, all turned into ESLint disable
 * directives so that ESLint's own machinery applies them and reports unused ones:
 *
 *   // eslint-disable-next-line goward/<rule> -- reason     (ESLint's own, also -line, disable/enable)
 *   //goward:ignore <rule>[,<rule>] <reason>                 (this line when trailing code, else the next line)
 *   //goward:file-ignore <rule>[,<rule>] <reason>            (the whole file)
 *   //nolint:<rule>[,<rule>] // reason                       (golangci-lint; names of other linters are left alone)
 *
 * A suppression without a reason, or naming a rule goward does not have, is reported.
 */
import { ConfigCommentParser, Directive } from "@eslint/plugin-kit";
import type { Comment } from "./parser.js";
import type { SourceLocation } from "./node-types.generated.js";

export const PLUGIN_NAMESPACE = "goward";

export interface DirectiveProblem {
  ruleId: null;
  message: string;
  loc: SourceLocation;
}

export interface DirectiveScan {
  directives: Directive[];
  problems: DirectiveProblem[];
  /** `/* eslint ... *\/` inline-config comments. */
  inlineConfigComments: Comment[];
}

const commentParser = new ConfigCommentParser();
const ESLINT_DIRECTIVE = /^\s*(?:eslint-disable|eslint-enable|eslint-disable-line|eslint-disable-next-line|eslint)(?:\s|$)/u;
const GOWARD_DIRECTIVE = /^goward:(ignore|file-ignore)(?:\s+|$)/u;
const NOLINT = /^nolint(?::(\S+))?/u;

/** A node-like object whose location ESLint uses for a directive's start. */
export interface DirectiveNode {
  type: "Directive";
  range: [number, number];
  loc: SourceLocation;
}

/**
 * Scans comments for suppressions.
 * @param knownRules bare rule ids that goward defines (used to report unknown names)
 * @param lineHasCodeBefore whether code precedes the comment on its line (a trailing comment)
 */
export function scanDirectives(
  comments: readonly Comment[],
  knownRules: ReadonlySet<string>,
  lineHasCodeBefore: (c: Comment) => boolean,
): DirectiveScan {
  const directives: Directive[] = [];
  const problems: DirectiveProblem[] = [];
  const inlineConfigComments: Comment[] = [];
  const at = (node: Comment | DirectiveNode) => node;

  for (const comment of comments) {
    const value = comment.value;

    if (ESLINT_DIRECTIVE.test(value)) {
      const parsed = commentParser.parseDirective(value);
      if (!parsed) continue;
      const { label, value: ruleList, justification } = parsed;
      if (label === "eslint") {
        if (comment.type === "Block") inlineConfigComments.push(comment);
        continue;
      }
      const type = label.slice("eslint-".length) as "disable" | "enable" | "disable-line" | "disable-next-line";
      if (type === "disable-line" && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      directives.push(new Directive({ type, node: at(comment), value: ruleList, justification }));
      if (type !== "enable" && !justification.trim()) {
        problems.push({
          ruleId: null,
          message: `Suppression without a reason: write '// ${label} ${ruleList.trim() || "goward/<rule>"} -- <why this is safe>'.`,
          loc: comment.loc,
        });
      }
      continue;
    }

    const gw = GOWARD_DIRECTIVE.exec(value) ?? GOWARD_DIRECTIVE.exec(value.trimStart());
    if (gw) {
      const kind = gw[1] as "ignore" | "file-ignore";
      const rest = value.trimStart().slice(gw[0].length).trim();
      const [ruleField = "", ...reasonWords] = rest.split(/\s+/u);
      const reason = reasonWords.join(" ").trim();
      const names = ruleField.split(",").map((r) => r.trim()).filter(Boolean);
      if (names.length === 0) {
        problems.push({ ruleId: null, message: `//goward:${kind} needs a rule and a reason: //goward:${kind} <rule>[,<rule>] <reason>.`, loc: comment.loc });
        continue;
      }
      const ruleIds: string[] = [];
      let bad = false;
      for (const name of names) {
        const bare = name.startsWith(`${PLUGIN_NAMESPACE}/`) ? name.slice(PLUGIN_NAMESPACE.length + 1) : name;
        if (!knownRules.has(bare)) {
          problems.push({ ruleId: null, message: `//goward:${kind} names unknown rule '${name}'.`, loc: comment.loc });
          bad = true;
          continue;
        }
        ruleIds.push(`${PLUGIN_NAMESPACE}/${bare}`);
      }
      if (!reason) {
        problems.push({
          ruleId: null,
          message: `//goward:${kind} without a reason is not applied: write //goward:${kind} ${names.join(",")} <why this is safe>.`,
          loc: comment.loc,
        });
        continue;
      }
      if (bad && ruleIds.length === 0) continue;
      if (kind === "file-ignore") {
        const node: DirectiveNode = {
          type: "Directive",
          range: comment.range,
          loc: { start: { line: 1, column: 0 }, end: comment.loc.end },
        };
        directives.push(new Directive({ type: "disable", node, value: ruleIds.join(", "), justification: reason }));
      } else {
        const type = lineHasCodeBefore(comment) ? "disable-line" : "disable-next-line";
        directives.push(new Directive({ type, node: at(comment), value: ruleIds.join(", "), justification: reason }));
      }
      continue;
    }

    const nl = NOLINT.exec(value);
    if (nl && nl[1]) {
      // golangci-lint: `//nolint:a,b // reason`. Only names of goward rules (or `goward` itself) concern us.
      const names = nl[1].split(",").map((s) => s.trim());
      const ours = names.includes(PLUGIN_NAMESPACE)
        ? [...knownRules]
        : names.map((n) => (n.startsWith(`${PLUGIN_NAMESPACE}/`) ? n.slice(PLUGIN_NAMESPACE.length + 1) : n)).filter((n) => knownRules.has(n));
      if (ours.length === 0) continue;
      const reasonMatch = /\/\/\s*(.*)$/u.exec(value.slice(nl[0].length));
      const reason = reasonMatch?.[1]?.trim() ?? "";
      if (!reason) {
        problems.push({ ruleId: null, message: `//nolint without a reason: write //nolint:${nl[1]} // <why this is safe>.`, loc: comment.loc });
      }
      const type = lineHasCodeBefore(comment) ? "disable-line" : "disable-next-line";
      directives.push(
        new Directive({ type, node: at(comment), value: ours.map((r) => `${PLUGIN_NAMESPACE}/${r}`).join(", "), justification: reason }),
      );
    }
  }
  return { directives, problems, inlineConfigComments };
}
