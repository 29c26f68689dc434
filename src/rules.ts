/** The registry of goward's rules (bare ids). Add a rule here, to src/rule-ids.ts and to docs/rules/. */
import { ruleIds } from "./rule-ids.js";
import type { GoRule } from "./create-rule.js";
import cookieFlags from "../rules/cookie-flags.js";
import jwtRequireAlgorithm from "../rules/jwt-require-algorithm.js";
import jwtRequireClaims from "../rules/jwt-require-claims.js";
import noCorsWildcardCredentials from "../rules/no-cors-wildcard-credentials.js";
import noFatalOutsideMain from "../rules/no-fatal-outside-main.js";
import noHardcodedSecret from "../rules/no-hardcoded-secret.js";
import noIgnoredError from "../rules/no-ignored-error.js";
import noInsecureTls from "../rules/no-insecure-tls.js";
import noSecretLogging from "../rules/no-secret-logging.js";
import noSqlInjection from "../rules/no-sql-injection.js";
import noUncheckedAssertion from "../rules/no-unchecked-assertion.js";
import noWeakRandom from "../rules/no-weak-random.js";
import redisTicketSingleUse from "../rules/redis-ticket-single-use.js";
import redisTicketTtl from "../rules/redis-ticket-ttl.js";
import requireAuthMiddleware from "../rules/require-auth-middleware.js";
import requireBodyLimit from "../rules/require-body-limit.js";
import requireDbContext from "../rules/require-db-context.js";
import requireHttpTimeout from "../rules/require-http-timeout.js";
import requireRowsClose from "../rules/require-rows-close.js";
import requireRowsErr from "../rules/require-rows-err.js";
import requireStablePagination from "../rules/require-stable-pagination.js";
import requireTxRollback from "../rules/require-tx-rollback.js";
import websocketCheckOrigin from "../rules/websocket-check-origin.js";

export const rules: Record<string, GoRule> = {
  "cookie-flags": cookieFlags,
  "jwt-require-algorithm": jwtRequireAlgorithm,
  "jwt-require-claims": jwtRequireClaims,
  "no-cors-wildcard-credentials": noCorsWildcardCredentials,
  "no-fatal-outside-main": noFatalOutsideMain,
  "no-hardcoded-secret": noHardcodedSecret,
  "no-ignored-error": noIgnoredError,
  "no-insecure-tls": noInsecureTls,
  "no-secret-logging": noSecretLogging,
  "no-sql-injection": noSqlInjection,
  "no-unchecked-assertion": noUncheckedAssertion,
  "no-weak-random": noWeakRandom,
  "redis-ticket-single-use": redisTicketSingleUse,
  "redis-ticket-ttl": redisTicketTtl,
  "require-auth-middleware": requireAuthMiddleware,
  "require-body-limit": requireBodyLimit,
  "require-db-context": requireDbContext,
  "require-http-timeout": requireHttpTimeout,
  "require-rows-close": requireRowsClose,
  "require-rows-err": requireRowsErr,
  "require-stable-pagination": requireStablePagination,
  "require-tx-rollback": requireTxRollback,
  "websocket-check-origin": websocketCheckOrigin,
};

export { ruleIds };
if (Object.keys(rules).join() !== [...ruleIds].join()) throw new Error("src/rule-ids.ts must list the rules of src/rules.ts, in the same order");
