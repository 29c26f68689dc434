/**
 * Security metadata that every goward rule carries. The formatters (SARIF, stylish),
 * the generated README table and the docs pages read it; it is data, not behaviour.
 */
export type Precision = "very-high" | "high" | "medium" | "low";

export interface SecurityMeta {
  /** CWE numbers, most specific first: `[248]` for CWE-248. */
  cwe: number[];
  /**
   * GitHub code scanning `security-severity` (0.0–10.0, CVSS-like).
   * >= 9 critical, >= 7 high, >= 4 medium, else low.
   */
  securitySeverity: number;
  /** How often a finding is a true positive (SARIF `precision`). */
  precision: Precision;
  /** Frameworks and libraries the rule understands (for docs and the README table). */
  frameworks: string[];
  /** Extra SARIF tags besides `security` and `external/cwe/cwe-N`. */
  tags?: string[];
}

/** What `meta.docs` holds for a goward rule (injected by `createRule`). */
export interface GowardRuleDocs {
  description: string;
  /** Link to the rule's documentation page; injected by `createRule`. */
  url: string;
  /** Whether the rule is in `configs.recommended`, and at which severity. */
  recommended: false | "error" | "warn";
  security: SecurityMeta;
}

export const REPOSITORY_URL = "https://github.com/goward-dev/goward";
export const docsUrl = (ruleId: string): string => `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
