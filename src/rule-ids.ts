/**
 * The ids of goward's rules (public API: configs and suppressions name them), without loading
 * the rules themselves: the CLI validates configs and flags with this list and loads the rules
 * only when it lints (a warm cached run does not). rules.ts checks that the two agree.
 */
export const RULE_IDS = [
  "cookie-flags",
  "jwt-require-algorithm",
  "jwt-require-claims",
  "no-cors-wildcard-credentials",
  "no-fatal-outside-main",
  "no-hardcoded-secret",
  "no-ignored-error",
  "no-insecure-tls",
  "no-secret-logging",
  "no-sql-injection",
  "no-unchecked-assertion",
  "no-weak-random",
  "redis-ticket-single-use",
  "redis-ticket-ttl",
  "require-auth-middleware",
  "require-body-limit",
  "require-db-context",
  "require-http-timeout",
  "require-rows-close",
  "require-rows-err",
  "require-stable-pagination",
  "require-tx-rollback",
  "websocket-check-origin",
] as const;

export const ruleIds: ReadonlySet<string> = new Set(RULE_IDS);
