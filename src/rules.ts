/** The registry of goward's rules (bare ids). Add a rule here and to docs/rules/. */
import type { GoRule } from "./create-rule.js";
import noUncheckedAssertion from "../rules/no-unchecked-assertion.js";
import requireDbContext from "../rules/require-db-context.js";

export const rules: Record<string, GoRule> = {
  "no-unchecked-assertion": noUncheckedAssertion,
  "require-db-context": requireDbContext,
};

export const ruleIds: ReadonlySet<string> = new Set(Object.keys(rules));
