/**
 * What goward knows about Go libraries, as data. Rules ask the table instead of hard-coding
 * import paths and method names. The core-rules issue extends it (GORM, database/sql, sqlx,
 * pgx, go-redis, loggers, CORS packages); keep entries checked against each library's docs.
 */

/** A canonical library name, independent of module major versions and forks. */
export type LibraryId = "fiber" | "gin" | "echo" | "context" | "net/http" | "jwt" | "errors" | "fmt";

/** Import path → canonical library. */
export const LIBRARY_PATHS: Readonly<Record<string, LibraryId>> = {
  "github.com/gofiber/fiber/v2": "fiber",
  "github.com/gofiber/fiber/v3": "fiber",
  "github.com/gin-gonic/gin": "gin",
  "github.com/labstack/echo/v4": "echo",
  "github.com/labstack/echo/v5": "echo",
  "github.com/labstack/echo": "echo",
  context: "context",
  "net/http": "net/http",
  "github.com/golang-jwt/jwt/v5": "jwt",
  "github.com/golang-jwt/jwt/v4": "jwt",
  "github.com/golang-jwt/jwt": "jwt",
  "github.com/dgrijalva/jwt-go": "jwt",
  "github.com/form3tech-oss/jwt-go": "jwt",
  errors: "errors",
  fmt: "fmt",
};

/** A type goward can name: `fiber.Ctx`, `context.Context`, ... (pointer-ness is ignored). */
export type KnownType =
  | "fiber.Ctx"
  | "gin.Context"
  | "echo.Context"
  | "context.Context"
  | "http.Request"
  | "http.ResponseWriter"
  | "jwt.Token"
  | "jwt.MapClaims"
  | "jwt.Claims";

/** Exported type names per library that map to a KnownType. */
export const LIBRARY_TYPES: Readonly<Partial<Record<LibraryId, Readonly<Record<string, KnownType>>>>> = {
  fiber: { Ctx: "fiber.Ctx" },
  gin: { Context: "gin.Context" },
  echo: { Context: "echo.Context" },
  context: { Context: "context.Context" },
  "net/http": { Request: "http.Request", ResponseWriter: "http.ResponseWriter" },
  jwt: { Token: "jwt.Token", MapClaims: "jwt.MapClaims", Claims: "jwt.Claims" },
};

/** Results of methods on known types (first result only), used for local type inference. */
export const METHOD_RESULTS: Readonly<Partial<Record<KnownType, Readonly<Record<string, KnownType>>>>> = {
  // fiber v2: UserContext() context.Context; Context() *fasthttp.RequestCtx (a context.Context).
  // fiber v3: Context() context.Context; RequestCtx() *fasthttp.RequestCtx.
  "fiber.Ctx": { UserContext: "context.Context", Context: "context.Context", RequestCtx: "context.Context" },
  "gin.Context": {},
  "echo.Context": { Request: "http.Request" },
  "http.Request": { Context: "context.Context" },
  "context.Context": {},
};

/** Struct fields of known types. */
export const FIELD_TYPES: Readonly<Partial<Record<KnownType, Readonly<Record<string, KnownType>>>>> = {
  "gin.Context": { Request: "http.Request" },
  "jwt.Token": { Claims: "jwt.Claims" },
};

/** Package-level functions whose first result has a known type. */
export const FUNCTION_RESULTS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, KnownType>>>>> = {
  jwt: { Parse: "jwt.Token", ParseWithClaims: "jwt.Token" },
  context: { Background: "context.Context", TODO: "context.Context", WithValue: "context.Context", WithTimeout: "context.Context", WithCancel: "context.Context", WithDeadline: "context.Context" },
};

/**
 * Request-scoped values: methods whose result is whatever a middleware (or the client) put
 * there. A single-value type assertion on them panics when the value is missing or of
 * another type. `arity` is the number of arguments of the getter form.
 */
export interface RequestValueSource {
  type: KnownType;
  method: string;
  arity: number;
  /** How to describe the value in messages. */
  describe: string;
}

export const REQUEST_VALUE_SOURCES: readonly RequestValueSource[] = [
  { type: "fiber.Ctx", method: "Locals", arity: 1, describe: "fiber Locals value" },
  { type: "gin.Context", method: "MustGet", arity: 1, describe: "gin context value" },
  { type: "gin.Context", method: "Get", arity: 1, describe: "gin context value" },
  { type: "gin.Context", method: "Value", arity: 1, describe: "gin context value" },
  { type: "echo.Context", method: "Get", arity: 1, describe: "echo context value" },
  { type: "context.Context", method: "Value", arity: 1, describe: "context value" },
];
