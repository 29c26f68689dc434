/** The registry of goward's rules (bare ids). Add a rule here and to docs/rules/. */
import type { GoRule } from "./create-rule.js";
import noUncheckedAssertion from "../rules/no-unchecked-assertion.js";

export const rules: Record<string, GoRule> = {
  "no-unchecked-assertion": noUncheckedAssertion,
};

export const ruleIds: ReadonlySet<string> = new Set(Object.keys(rules));
