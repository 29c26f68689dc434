/** The registry of goward's rules (bare ids). Add a rule here and to docs/rules/. */
import type { GoRule } from "./create-rule.js";
import jwtRequireAlgorithm from "../rules/jwt-require-algorithm.js";
import jwtRequireClaims from "../rules/jwt-require-claims.js";
import noCorsWildcardCredentials from "../rules/no-cors-wildcard-credentials.js";
import noFatalOutsideMain from "../rules/no-fatal-outside-main.js";
import noHardcodedSecret from "../rules/no-hardcoded-secret.js";
import noIgnoredError from "../rules/no-ignored-error.js";
import noSecretLogging from "../rules/no-secret-logging.js";
import noUncheckedAssertion from "../rules/no-unchecked-assertion.js";
import requireAuthMiddleware from "../rules/require-auth-middleware.js";
import requireDbContext from "../rules/require-db-context.js";
import requireRowsClose from "../rules/require-rows-close.js";
import requireRowsErr from "../rules/require-rows-err.js";

export const rules: Record<string, GoRule> = {
  "jwt-require-algorithm": jwtRequireAlgorithm,
  "jwt-require-claims": jwtRequireClaims,
  "no-cors-wildcard-credentials": noCorsWildcardCredentials,
  "no-fatal-outside-main": noFatalOutsideMain,
  "no-hardcoded-secret": noHardcodedSecret,
  "no-ignored-error": noIgnoredError,
  "no-secret-logging": noSecretLogging,
  "no-unchecked-assertion": noUncheckedAssertion,
  "require-auth-middleware": requireAuthMiddleware,
  "require-db-context": requireDbContext,
  "require-rows-close": requireRowsClose,
  "require-rows-err": requireRowsErr,
};

export const ruleIds: ReadonlySet<string> = new Set(Object.keys(rules));
