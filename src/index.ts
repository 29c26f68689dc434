/**
 * The goward ESLint plugin: `import goward from "goward"; export default [goward.configs.recommended];`
 */
import { GoLanguage } from "./language/go-language.js";
import { rules, ruleIds } from "./rules.js";

import { VERSION } from "./package-info.js";

const recommendedRules = Object.fromEntries(
  Object.entries(rules)
    .filter(([, r]) => r.meta.docs.recommended)
    .map(([id, r]) => [`goward/${id}`, r.meta.docs.recommended as "error" | "warn"]),
);

const plugin = {
  meta: { name: "goward", version: VERSION, namespace: "goward" },
  languages: { go: new GoLanguage(() => ruleIds) },
  rules,
  configs: {} as Record<string, unknown>,
};

plugin.configs.recommended = {
  name: "goward/recommended",
  files: ["**/*.go"],
  plugins: { goward: plugin },
  language: "goward/go",
  rules: recommendedRules,
};

export default plugin as typeof plugin & {
  configs: { recommended: { name: string; files: string[]; plugins: { goward: typeof plugin }; language: string; rules: Record<string, "error" | "warn"> } };
};
export { GoLanguage } from "./language/go-language.js";
export { GoSourceCode } from "./language/source-code.js";
export { createRule } from "./create-rule.js";
export type * from "./language/node-types.generated.js";
