/** What the report formats say about each rule (SARIF's tool.driver.rules, `--list-rules`). */
import { rules as allRules } from "../rules.js";
import { ruleDocMarkdown } from "../package-info.js";
import type { RuleInfo } from "../formatters/types.js";

export function ruleInfos(): RuleInfo[] {
  return Object.entries(allRules)
    .map(([id, r]) => ({
      id,
      description: r.meta.docs.description,
      url: r.meta.docs.url,
      recommended: r.meta.docs.recommended,
      security: r.meta.docs.security,
      docsMarkdown: ruleDocMarkdown(id),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
