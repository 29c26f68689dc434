/**
 * What goward knows about Go libraries, as data. Rules ask this table instead of hard-coding
 * import paths and method names. Types are named by TypeRef strings: "<lib>.<Type>" with the
 * canonical library name ("gorm.DB", "fiber.Ctx", "sql.Rows"); pointer-ness is dropped.
 * Names were checked against each library's documentation (pkg.go.dev).
 */

/** A canonical library name, independent of module major versions and forks. */
export type LibraryId =
  | "fiber" | "gin" | "echo" | "chi" | "context" | "net/http" | "jwt" | "errors" | "fmt"
  | "gorm" | "sql" | "sqlx" | "pgx" | "pgxpool" | "pgconn" | "redis" | "websocket" | "fiberws"
  | "log" | "slog" | "zap" | "zerolog" | "logrus" | "fiberlog"
  | "fibercors" | "gincors" | "rscors" | "chicors" | "echomw" | "gorillahandlers" | "strings" | "os"
  // Added for the issue-4 rules (JWT middleware, WebSocket, TLS, randomness, cookies, config, drivers, I/O).
  | "jwtrequest" | "echojwt" | "fiberjwt" | "nhooyrws" | "tls" | "mathrand" | "cryptorand" | "sessions"
  | "fibersession" | "viper" | "flag" | "pflag" | "mysql" | "pq" | "gormpostgres" | "gormmysql" | "io" | "ioutil"
  | "json" | "xml" | "strconv" | "time" | "fiberlimiter" | "ginsessions" | "redsync" | "gorillamux" | "testing"
  | "url" | "bcrypt" | "uuid" | "yaml" | "hmac" | "securecookie" | "ginjwt" | "ginsessionscookie" | "fiberencryptcookie"
  // Routing and middleware (the route model of issue 5).
  | "fiberkeyauth" | "fiberbasicauth" | "jwtauth" | "httprate" | "chimw" | "ginsize" | "fiberadaptor";

/** Import path → canonical library. */
export const LIBRARY_PATHS: Readonly<Record<string, LibraryId>> = {
  "github.com/gofiber/fiber/v2": "fiber",
  "github.com/gofiber/fiber/v3": "fiber",
  "github.com/gin-gonic/gin": "gin",
  "github.com/labstack/echo/v4": "echo",
  "github.com/labstack/echo/v5": "echo",
  "github.com/labstack/echo": "echo",
  "github.com/go-chi/chi/v5": "chi",
  "github.com/go-chi/chi": "chi",
  context: "context",
  "net/http": "net/http",
  "github.com/golang-jwt/jwt/v5": "jwt",
  "github.com/golang-jwt/jwt/v4": "jwt",
  "github.com/golang-jwt/jwt": "jwt",
  "github.com/dgrijalva/jwt-go": "jwt",
  "github.com/form3tech-oss/jwt-go": "jwt",
  errors: "errors",
  fmt: "fmt",
  strings: "strings",
  os: "os",
  "gorm.io/gorm": "gorm",
  "github.com/jinzhu/gorm": "gorm",
  "database/sql": "sql",
  "github.com/jmoiron/sqlx": "sqlx",
  "github.com/jackc/pgx/v5": "pgx",
  "github.com/jackc/pgx/v4": "pgx",
  "github.com/jackc/pgx/v5/pgxpool": "pgxpool",
  "github.com/jackc/pgx/v4/pgxpool": "pgxpool",
  "github.com/jackc/pgx/v5/pgconn": "pgconn",
  "github.com/redis/go-redis/v9": "redis",
  "github.com/go-redis/redis/v8": "redis",
  "github.com/go-redis/redis/v9": "redis",
  "github.com/gorilla/websocket": "websocket",
  "github.com/fasthttp/websocket": "websocket",
  "github.com/gofiber/contrib/websocket": "fiberws",
  "github.com/gofiber/websocket/v2": "fiberws",
  log: "log",
  "log/slog": "slog",
  "go.uber.org/zap": "zap",
  "github.com/rs/zerolog": "zerolog",
  "github.com/rs/zerolog/log": "zerolog",
  "github.com/sirupsen/logrus": "logrus",
  "github.com/gofiber/fiber/v2/log": "fiberlog",
  "github.com/gofiber/fiber/v3/log": "fiberlog",
  "github.com/gofiber/fiber/v2/middleware/cors": "fibercors",
  "github.com/gofiber/fiber/v3/middleware/cors": "fibercors",
  "github.com/gin-contrib/cors": "gincors",
  "github.com/rs/cors": "rscors",
  "github.com/go-chi/cors": "chicors",
  "github.com/labstack/echo/v4/middleware": "echomw",
  "github.com/labstack/echo/v5/middleware": "echomw",
  "github.com/gorilla/handlers": "gorillahandlers",
  "github.com/golang-jwt/jwt/v5/request": "jwtrequest",
  "github.com/golang-jwt/jwt/v4/request": "jwtrequest",
  "github.com/dgrijalva/jwt-go/request": "jwtrequest",
  "github.com/labstack/echo-jwt/v4": "echojwt",
  "github.com/gofiber/contrib/jwt": "fiberjwt",
  "github.com/gofiber/jwt/v2": "fiberjwt",
  "github.com/gofiber/jwt/v3": "fiberjwt",
  "github.com/gofiber/contrib/v3/jwt": "fiberjwt",
  "nhooyr.io/websocket": "nhooyrws",
  "github.com/coder/websocket": "nhooyrws",
  "github.com/gofiber/contrib/v3/websocket": "fiberws",
  "crypto/tls": "tls",
  "math/rand": "mathrand",
  "math/rand/v2": "mathrand",
  "crypto/rand": "cryptorand",
  "github.com/gorilla/sessions": "sessions",
  "github.com/gin-contrib/sessions": "ginsessions",
  "github.com/gofiber/fiber/v2/middleware/session": "fibersession",
  "github.com/gofiber/fiber/v3/middleware/session": "fibersession",
  "github.com/spf13/viper": "viper",
  flag: "flag",
  "github.com/spf13/pflag": "pflag",
  "github.com/go-sql-driver/mysql": "mysql",
  "github.com/lib/pq": "pq",
  "gorm.io/driver/postgres": "gormpostgres",
  "gorm.io/driver/mysql": "gormmysql",
  io: "io",
  "io/ioutil": "ioutil",
  "encoding/json": "json",
  "encoding/xml": "xml",
  strconv: "strconv",
  time: "time",
  "github.com/gofiber/fiber/v2/middleware/limiter": "fiberlimiter",
  "github.com/gofiber/fiber/v3/middleware/limiter": "fiberlimiter",
  "github.com/go-redsync/redsync/v4": "redsync",
  "github.com/gorilla/mux": "gorillamux",
  testing: "testing",
  "net/url": "url",
  "golang.org/x/crypto/bcrypt": "bcrypt",
  "github.com/google/uuid": "uuid",
  "github.com/gofrs/uuid": "uuid",
  "github.com/satori/go.uuid": "uuid",
  "gopkg.in/yaml.v3": "yaml",
  "gopkg.in/yaml.v2": "yaml",
  "sigs.k8s.io/yaml": "yaml",
  "crypto/hmac": "hmac",
  "github.com/gorilla/securecookie": "securecookie",
  "github.com/appleboy/gin-jwt/v2": "ginjwt",
  "github.com/appleboy/gin-jwt/v3": "ginjwt",
  "github.com/gin-contrib/sessions/cookie": "ginsessionscookie",
  "github.com/gin-contrib/sessions/redis": "ginsessionscookie",
  "github.com/gofiber/fiber/v2/middleware/encryptcookie": "fiberencryptcookie",
  "github.com/gofiber/fiber/v3/middleware/encryptcookie": "fiberencryptcookie",
  "github.com/gofiber/fiber/v2/middleware/keyauth": "fiberkeyauth",
  "github.com/gofiber/fiber/v3/middleware/keyauth": "fiberkeyauth",
  "github.com/gofiber/keyauth/v2": "fiberkeyauth",
  "github.com/gofiber/fiber/v2/middleware/basicauth": "fiberbasicauth",
  "github.com/gofiber/fiber/v3/middleware/basicauth": "fiberbasicauth",
  "github.com/go-chi/jwtauth/v5": "jwtauth",
  "github.com/go-chi/jwtauth": "jwtauth",
  "github.com/go-chi/httprate": "httprate",
  "github.com/go-chi/chi/v5/middleware": "chimw",
  "github.com/go-chi/chi/middleware": "chimw",
  "github.com/gin-contrib/size": "ginsize",
  "github.com/gofiber/fiber/v2/middleware/adaptor": "fiberadaptor",
  "github.com/gofiber/adaptor/v2": "fiberadaptor",
};

export type TypeRef = string;

/** Exported type names per library. */
export const LIBRARY_TYPES: Readonly<Partial<Record<LibraryId, Readonly<Record<string, TypeRef>>>>> = {
  fiber: { Ctx: "fiber.Ctx", App: "fiber.App", Router: "fiber.Router", Config: "fiber.Config", Cookie: "fiber.Cookie" },
  gin: { Context: "gin.Context", Engine: "gin.Engine", RouterGroup: "gin.RouterGroup", IRouter: "gin.IRouter", IRoutes: "gin.IRoutes", HandlerFunc: "gin.HandlerFunc" },
  gorillamux: { Router: "gorillamux.Router", Route: "gorillamux.Route" },
  echo: { Context: "echo.Context", Echo: "echo.Echo", Group: "echo.Group" },
  chi: { Router: "chi.Router", Mux: "chi.Mux" },
  context: { Context: "context.Context" },
  "net/http": {
    Request: "http.Request", ResponseWriter: "http.ResponseWriter", Header: "http.Header", Client: "http.Client",
    Server: "http.Server", Cookie: "http.Cookie", ServeMux: "http.ServeMux", Transport: "http.Transport",
  },
  jwt: { Token: "jwt.Token", MapClaims: "jwt.MapClaims", Claims: "jwt.Claims", RegisteredClaims: "jwt.RegisteredClaims", StandardClaims: "jwt.StandardClaims", Parser: "jwt.Parser" },
  gorm: { DB: "gorm.DB", Config: "gorm.Config" },
  json: { Decoder: "json.Decoder", Encoder: "json.Encoder" },
  xml: { Decoder: "xml.Decoder" },
  sql: { DB: "sql.DB", Tx: "sql.Tx", Conn: "sql.Conn", Stmt: "sql.Stmt", Rows: "sql.Rows", Row: "sql.Row" },
  sqlx: { DB: "sqlx.DB", Tx: "sqlx.Tx", Rows: "sqlx.Rows", Row: "sqlx.Row", Stmt: "sqlx.Stmt", NamedStmt: "sqlx.NamedStmt" },
  pgx: { Conn: "pgx.Conn", Tx: "pgx.Tx", Rows: "pgx.Rows", Row: "pgx.Row", Batch: "pgx.Batch", ConnConfig: "pgx.ConnConfig" },
  pgxpool: { Pool: "pgxpool.Pool", Conn: "pgxpool.Conn" },
  redis: {
    Client: "redis.Client", ClusterClient: "redis.ClusterClient", UniversalClient: "redis.UniversalClient", Options: "redis.Options", Cmdable: "redis.Cmdable",
    ClusterOptions: "redis.ClusterOptions", UniversalOptions: "redis.UniversalOptions", FailoverOptions: "redis.FailoverOptions",
    Pipeliner: "redis.Pipeliner", Script: "redis.Script", SetArgs: "redis.SetArgs",
  },
  websocket: { Upgrader: "websocket.Upgrader", Conn: "websocket.Conn", FastHTTPUpgrader: "websocket.FastHTTPUpgrader" },
  nhooyrws: { AcceptOptions: "nhooyrws.AcceptOptions" },
  tls: { Config: "tls.Config" },
  sessions: { Options: "sessions.Options", CookieStore: "sessions.CookieStore", FilesystemStore: "sessions.FilesystemStore", Session: "sessions.Session" },
  ginsessions: { Options: "ginsessions.Options" },
  fibersession: { Config: "fibersession.Config" },
  fiberws: { Config: "fiberws.Config", Conn: "fiberws.Conn" },
  zap: { Logger: "zap.Logger", SugaredLogger: "zap.SugaredLogger" },
  zerolog: { Logger: "zerolog.Logger", Event: "zerolog.Event" },
  logrus: { Logger: "logrus.Logger", Entry: "logrus.Entry" },
  log: { Logger: "log.Logger" },
  slog: { Logger: "slog.Logger" },
  fibercors: { Config: "fibercors.Config" },
  gincors: { Config: "gincors.Config" },
  gorillahandlers: {},
  rscors: { Options: "rscors.Options", Cors: "rscors.Cors" },
  chicors: { Options: "chicors.Options" },
  echomw: { CORSConfig: "echomw.CORSConfig", JWTConfig: "echomw.JWTConfig" },
  fiberjwt: { Config: "fiberjwt.Config", SigningKey: "fiberjwt.SigningKey" },
  echojwt: { Config: "echojwt.Config" },
  ginjwt: { GinJWTMiddleware: "ginjwt.GinJWTMiddleware" },
  fiberencryptcookie: { Config: "fiberencryptcookie.Config" },
  mysql: { Config: "mysql.Config" },
  mathrand: { Rand: "mathrand.Rand" },
};

const GORM_CHAIN = [
  "Model", "Table", "Distinct", "Select", "Omit", "Where", "Not", "Or", "Joins", "InnerJoins", "Group", "Having", "Order",
  "Limit", "Offset", "Scopes", "Preload", "Attrs", "Assign", "Unscoped", "Raw", "Session", "WithContext", "Debug",
  "Clauses", "Set", "InstanceSet", "Begin", "Create", "CreateInBatches", "Save", "First", "Take", "Last", "Find",
  "FindInBatches", "FirstOrInit", "FirstOrCreate", "Update", "Updates", "UpdateColumn", "UpdateColumns", "Delete",
  "Count", "Scan", "Pluck", "Exec", "Commit", "Rollback", "SavePoint", "RollbackTo", "Omit", "MapColumns", "Assign",
  "Returning", "Having",
];

/** Results of methods on library types (first result), for local type inference. */
export const METHOD_RESULTS: Readonly<Record<TypeRef, Readonly<Record<string, TypeRef>>>> = {
  // fiber v2: UserContext() context.Context; Context() *fasthttp.RequestCtx (a context.Context).
  // fiber v3: Context() context.Context; RequestCtx() *fasthttp.RequestCtx.
  "fiber.Ctx": { UserContext: "context.Context", Context: "context.Context", RequestCtx: "context.Context", Get: "builtin.string", GetReqHeaders: "builtin.map" },
  "gin.Context": { GetHeader: "builtin.string" },
  "echo.Context": { Request: "http.Request", Response: "echo.Response" },
  "echo.Response": { Header: "http.Header" },
  "http.ResponseWriter": { Header: "http.Header" },
  "http.Request": { Context: "context.Context", WithContext: "http.Request", Clone: "http.Request" },
  "http.Header": { Get: "builtin.string", Values: "builtin.slice" },
  "url.URL": { Query: "url.Values" },
  "http.Transport": { Clone: "http.Transport" },
  "tls.Config": { Clone: "tls.Config" },
  "context.Context": {},
  "gorm.DB": {
    ...Object.fromEntries(GORM_CHAIN.map((m) => [m, "gorm.DB"])),
    Row: "sql.Row",
    Rows: "sql.Rows",
    DB: "sql.DB",
  },
  "sql.DB": { Query: "sql.Rows", QueryContext: "sql.Rows", QueryRow: "sql.Row", QueryRowContext: "sql.Row", Begin: "sql.Tx", BeginTx: "sql.Tx", Prepare: "sql.Stmt", PrepareContext: "sql.Stmt", Conn: "sql.Conn" },
  "sql.Tx": { Query: "sql.Rows", QueryContext: "sql.Rows", QueryRow: "sql.Row", QueryRowContext: "sql.Row", Prepare: "sql.Stmt", PrepareContext: "sql.Stmt", Stmt: "sql.Stmt", StmtContext: "sql.Stmt" },
  "sql.Conn": { QueryContext: "sql.Rows", QueryRowContext: "sql.Row", BeginTx: "sql.Tx", PrepareContext: "sql.Stmt" },
  "sql.Stmt": { Query: "sql.Rows", QueryContext: "sql.Rows", QueryRow: "sql.Row", QueryRowContext: "sql.Row" },
  "sqlx.DB": {
    Query: "sql.Rows", QueryContext: "sql.Rows", QueryRow: "sql.Row", QueryRowContext: "sql.Row", Queryx: "sqlx.Rows", QueryxContext: "sqlx.Rows",
    QueryRowx: "sqlx.Row", QueryRowxContext: "sqlx.Row", NamedQuery: "sqlx.Rows", NamedQueryContext: "sqlx.Rows", Beginx: "sqlx.Tx",
    BeginTxx: "sqlx.Tx", MustBegin: "sqlx.Tx", MustBeginTx: "sqlx.Tx", Begin: "sql.Tx", BeginTx: "sql.Tx", Preparex: "sqlx.Stmt", PreparexContext: "sqlx.Stmt",
    Unsafe: "sqlx.DB",
  },
  "sqlx.Tx": {
    Query: "sql.Rows", QueryContext: "sql.Rows", QueryRow: "sql.Row", QueryRowContext: "sql.Row", Queryx: "sqlx.Rows", QueryxContext: "sqlx.Rows",
    QueryRowx: "sqlx.Row", QueryRowxContext: "sqlx.Row", NamedQuery: "sqlx.Rows", Preparex: "sqlx.Stmt", PreparexContext: "sqlx.Stmt",
  },
  "pgx.Conn": { Query: "pgx.Rows", QueryRow: "pgx.Row", Begin: "pgx.Tx", BeginTx: "pgx.Tx" },
  "pgx.Tx": { Query: "pgx.Rows", QueryRow: "pgx.Row", Begin: "pgx.Tx" },
  "pgxpool.Pool": { Query: "pgx.Rows", QueryRow: "pgx.Row", Begin: "pgx.Tx", BeginTx: "pgx.Tx", Acquire: "pgxpool.Conn" },
  "pgxpool.Conn": { Query: "pgx.Rows", QueryRow: "pgx.Row", Begin: "pgx.Tx", BeginTx: "pgx.Tx" },
  "zap.Logger": { Sugar: "zap.SugaredLogger", With: "zap.Logger", Named: "zap.Logger" },
  "zap.SugaredLogger": { With: "zap.SugaredLogger", Named: "zap.SugaredLogger", Desugar: "zap.Logger" },
  "logrus.Logger": { WithField: "logrus.Entry", WithFields: "logrus.Entry", WithError: "logrus.Entry", WithContext: "logrus.Entry" },
  "logrus.Entry": { WithField: "logrus.Entry", WithFields: "logrus.Entry", WithError: "logrus.Entry", WithContext: "logrus.Entry" },
  "zerolog.Logger": {
    With: "zerolog.Context", Info: "zerolog.Event", Debug: "zerolog.Event", Warn: "zerolog.Event", Error: "zerolog.Event", Fatal: "zerolog.Event",
    Panic: "zerolog.Event", Trace: "zerolog.Event", Log: "zerolog.Event", Err: "zerolog.Event", Level: "zerolog.Logger",
  },
  "slog.Logger": { With: "slog.Logger", WithGroup: "slog.Logger" },
  // go-redis: pipelines queue commands until Exec (TxPipeline wraps them in MULTI/EXEC).
  ...Object.fromEntries(
    ["redis.Client", "redis.ClusterClient", "redis.UniversalClient", "redis.Cmdable"].map((t) => [t, { Pipeline: "redis.Pipeliner", TxPipeline: "redis.Pipeliner" }]),
  ),
  "redis.Pipeliner": { Pipeline: "redis.Pipeliner", TxPipeline: "redis.Pipeliner" },
  "zerolog.Event": Object.fromEntries(
    ["Str", "Strs", "Interface", "Any", "Bytes", "Hex", "RawJSON", "Stringer", "Dict", "Fields", "Int", "Bool", "Err", "Time", "Dur", "Caller", "Stack", "Uint", "Float64", "Int64"].map((m) => [m, "zerolog.Event"]),
  ),
};

/** Struct fields of library types. */
export const FIELD_TYPES: Readonly<Record<TypeRef, Readonly<Record<string, TypeRef>>>> = {
  "gin.Context": { Request: "http.Request" },
  "http.Request": { Header: "http.Header", URL: "url.URL", Form: "url.Values", PostForm: "url.Values" },
  "jwt.Token": { Claims: "jwt.Claims" },
  "http.Transport": { TLSClientConfig: "tls.Config" },
  "http.Server": { TLSConfig: "tls.Config" },
  "sessions.CookieStore": { Options: "sessions.Options" },
  "sessions.FilesystemStore": { Options: "sessions.Options" },
  "sessions.Session": { Options: "sessions.Options" },
};

/** Package-level functions whose first result has a known type. */
export const FUNCTION_RESULTS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, TypeRef>>>>> = {
  fiber: { New: "fiber.App" },
  gin: { New: "gin.Engine", Default: "gin.Engine" },
  echo: { New: "echo.Echo" },
  json: { NewDecoder: "json.Decoder", NewEncoder: "json.Encoder" },
  xml: { NewDecoder: "xml.Decoder" },
  jwt: { Parse: "jwt.Token", ParseWithClaims: "jwt.Token", NewParser: "jwt.Parser", NewWithClaims: "jwt.Token", New: "jwt.Token" },
  context: {
    Background: "context.Context", TODO: "context.Context", WithValue: "context.Context", WithTimeout: "context.Context",
    WithCancel: "context.Context", WithDeadline: "context.Context", WithoutCancel: "context.Context", WithCancelCause: "context.Context",
  },
  gorm: { Open: "gorm.DB" },
  sql: { Open: "sql.DB", OpenDB: "sql.DB" },
  sqlx: { Open: "sqlx.DB", Connect: "sqlx.DB", MustConnect: "sqlx.DB", MustOpen: "sqlx.DB", NewDb: "sqlx.DB", ConnectContext: "sqlx.DB" },
  pgx: { Connect: "pgx.Conn", ConnectConfig: "pgx.Conn" },
  pgxpool: { New: "pgxpool.Pool", NewWithConfig: "pgxpool.Pool", Connect: "pgxpool.Pool", ConnectConfig: "pgxpool.Pool" },
  redis: { NewClient: "redis.Client", NewFailoverClient: "redis.Client", NewClusterClient: "redis.ClusterClient", NewUniversalClient: "redis.UniversalClient", NewScript: "redis.Script" },
  mathrand: { New: "mathrand.Rand" },
  zap: { NewProduction: "zap.Logger", NewDevelopment: "zap.Logger", NewExample: "zap.Logger", New: "zap.Logger", L: "zap.Logger", S: "zap.SugaredLogger", Must: "zap.Logger" },
  logrus: { New: "logrus.Logger", StandardLogger: "logrus.Logger", WithField: "logrus.Entry", WithFields: "logrus.Entry", WithError: "logrus.Entry" },
  zerolog: { New: "zerolog.Logger", Ctx: "zerolog.Logger", Info: "zerolog.Event", Debug: "zerolog.Event", Warn: "zerolog.Event", Error: "zerolog.Event", Fatal: "zerolog.Event", Panic: "zerolog.Event", Trace: "zerolog.Event", Log: "zerolog.Event", Err: "zerolog.Event", Print: "zerolog.Event" },
  log: { New: "log.Logger", Default: "log.Logger" },
  slog: { New: "slog.Logger", Default: "slog.Logger", With: "slog.Logger" },
  "net/http": { NewRequest: "http.Request", NewRequestWithContext: "http.Request" },
  gincors: { DefaultConfig: "gincors.Config" },
  sessions: { NewCookieStore: "sessions.CookieStore", NewFilesystemStore: "sessions.FilesystemStore" },
  mysql: { NewConfig: "mysql.Config", ParseDSN: "mysql.Config" },
};

/**
 * Request-scoped values: methods whose result is whatever a middleware (or the client) put
 * there. A single-value type assertion on them panics when the value is missing or of
 * another type. `arity` is the number of arguments of the getter form.
 */
export interface RequestValueSource {
  type: TypeRef;
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

/** GORM methods that execute a statement (finishers); everything else in a chain only builds it. */
export const GORM_FINISHERS: ReadonlySet<string> = new Set([
  "Find", "First", "Take", "Last", "Create", "CreateInBatches", "Save", "Update", "Updates", "UpdateColumn", "UpdateColumns",
  "Delete", "Count", "Pluck", "Scan", "Row", "Rows", "Exec", "FirstOrCreate", "FirstOrInit", "FindInBatches", "Transaction",
]);

/**
 * database/sql and sqlx methods that have a context-taking twin: `Query` → `QueryContext`.
 * `ctxFirst` is how the context variant takes its context (always the first argument);
 * `extra` are arguments the variant needs besides (BeginTx takes options).
 */
export const CONTEXT_TWINS: Readonly<Record<string, { twin: string; extraArgs?: string }>> = {
  Query: { twin: "QueryContext" },
  QueryRow: { twin: "QueryRowContext" },
  Exec: { twin: "ExecContext" },
  Prepare: { twin: "PrepareContext" },
  Ping: { twin: "PingContext" },
  Begin: { twin: "BeginTx", extraArgs: "nil" },
  Queryx: { twin: "QueryxContext" },
  QueryRowx: { twin: "QueryRowxContext" },
  Get: { twin: "GetContext" },
  Select: { twin: "SelectContext" },
  NamedExec: { twin: "NamedExecContext" },
  NamedQuery: { twin: "NamedQueryContext" },
  MustExec: { twin: "MustExecContext" },
  Beginx: { twin: "BeginTxx", extraArgs: "nil" },
  MustBegin: { twin: "MustBeginTx", extraArgs: "nil" },
  Preparex: { twin: "PreparexContext" },
  PrepareNamed: { twin: "PrepareNamedContext" },
};

/** Which types have which context-less methods (the twins above apply). */
export const CONTEXTLESS_METHODS: Readonly<Record<TypeRef, readonly string[]>> = {
  "sql.DB": ["Query", "QueryRow", "Exec", "Prepare", "Ping", "Begin"],
  "sql.Tx": ["Query", "QueryRow", "Exec", "Prepare"],
  "sql.Stmt": ["Query", "QueryRow", "Exec"],
  "sqlx.DB": ["Query", "QueryRow", "Exec", "Prepare", "Ping", "Begin", "Queryx", "QueryRowx", "Get", "Select", "NamedExec", "NamedQuery", "MustExec", "Beginx", "MustBegin", "Preparex", "PrepareNamed"],
  "sqlx.Tx": ["Query", "QueryRow", "Exec", "Prepare", "Queryx", "QueryRowx", "Get", "Select", "NamedExec", "NamedQuery", "MustExec", "Preparex", "PrepareNamed"],
  "sqlx.Stmt": ["Queryx", "QueryRowx", "Get", "Select", "MustExec", "Query", "QueryRow", "Exec"],
};

/** Types whose every query method takes a context as first argument (pgx, go-redis). */
export const CONTEXT_FIRST_TYPES: ReadonlySet<TypeRef> = new Set([
  "pgx.Conn", "pgx.Tx", "pgxpool.Pool", "pgxpool.Conn", "redis.Client", "redis.ClusterClient", "redis.UniversalClient",
]);

/** Query methods of the context-first types. */
export const CONTEXT_FIRST_METHODS: ReadonlySet<string> = new Set([
  "Query", "QueryRow", "Exec", "Begin", "BeginTx", "SendBatch", "CopyFrom", "Ping", "Acquire",
]);

/** Calls that read from rows without taking ownership (they neither close nor check them). */
export const ROWS_BORROWERS: { methods: Readonly<Record<TypeRef, ReadonlySet<string>>>; functions: Readonly<Partial<Record<LibraryId, ReadonlySet<string>>>> } = {
  methods: { "gorm.DB": new Set(["ScanRows"]) },
  functions: { sqlx: new Set(["MapScan", "SliceScan"]) },
};

/** Result-set types that must be closed and whose iteration error must be checked. */
export const ROWS_TYPES: ReadonlySet<TypeRef> = new Set(["sql.Rows", "sqlx.Rows", "pgx.Rows"]);

/**
 * Library functions that take rows and both close them and report their error
 * (pgx's collectors; sqlx's StructScan/scanAll closes and returns rows.Err()).
 */
export const ROWS_CONSUMERS: Readonly<Partial<Record<LibraryId, ReadonlySet<string>>>> = {
  pgx: new Set(["CollectRows", "CollectOneRow", "CollectExactlyOneRow", "ForEachRow", "AppendRows", "RowToStructByName"]),
  sqlx: new Set(["StructScan"]),
};

/** Exported string constants of libraries that rules compare against (header names). */
export const LIBRARY_CONSTS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, string | boolean | number>>>>> = {
  // crypto/tls protocol versions (uint16) and net/http SameSite modes (iota from 1).
  tls: { VersionSSL30: 0x0300, VersionTLS10: 0x0301, VersionTLS11: 0x0302, VersionTLS12: 0x0303, VersionTLS13: 0x0304 },
  "net/http": { SameSiteDefaultMode: 1, SameSiteLaxMode: 2, SameSiteStrictMode: 3, SameSiteNoneMode: 4 },
  time: {
    Layout: "01/02 03:04:05PM '06 -0700", ANSIC: "Mon Jan _2 15:04:05 2006", RFC822: "02 Jan 06 15:04 MST", RFC822Z: "02 Jan 06 15:04 -0700",
    RFC850: "Monday, 02-Jan-06 15:04:05 MST", RFC1123: "Mon, 02 Jan 2006 15:04:05 MST", RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
    RFC3339: "2006-01-02T15:04:05Z07:00", RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00", Kitchen: "3:04PM",
    DateTime: "2006-01-02 15:04:05", DateOnly: "2006-01-02", TimeOnly: "15:04:05",
  },
  fiber: {
    HeaderOrigin: "Origin",
    HeaderAuthorization: "Authorization",
    HeaderCookie: "Cookie",
    HeaderAccessControlAllowOrigin: "Access-Control-Allow-Origin",
    HeaderAccessControlAllowCredentials: "Access-Control-Allow-Credentials",
    CookieSameSiteDisabled: "disabled",
    CookieSameSiteLaxMode: "lax",
    CookieSameSiteStrictMode: "strict",
    CookieSameSiteNoneMode: "none",
  },
  echo: {
    HeaderOrigin: "Origin",
    HeaderAuthorization: "Authorization",
    HeaderCookie: "Cookie",
    HeaderAccessControlAllowOrigin: "Access-Control-Allow-Origin",
    HeaderAccessControlAllowCredentials: "Access-Control-Allow-Credentials",
  },
};

/**
 * CORS configuration types and their fields. `origins` hold the allowed origins (a string in
 * fiber v2, a []string elsewhere), `allowAll` is a boolean "any origin" switch, `funcs` are
 * origin predicates, `credentials` the credentials switch.
 */
export interface CorsConfigShape {
  origins: string[];
  allowAll?: string[];
  funcs: string[];
  credentials: string;
  library: string;
}

export const CORS_CONFIGS: Readonly<Record<TypeRef, CorsConfigShape>> = {
  "fibercors.Config": { origins: ["AllowOrigins"], funcs: ["AllowOriginsFunc"], credentials: "AllowCredentials", library: "fiber cors" },
  "gincors.Config": { origins: ["AllowOrigins"], allowAll: ["AllowAllOrigins"], funcs: ["AllowOriginFunc", "AllowOriginWithContextFunc"], credentials: "AllowCredentials", library: "gin-contrib/cors" },
  "rscors.Options": { origins: ["AllowedOrigins"], funcs: ["AllowOriginFunc", "AllowOriginRequestFunc", "AllowOriginVaryRequestFunc"], credentials: "AllowCredentials", library: "rs/cors" },
  "chicors.Options": { origins: ["AllowedOrigins"], funcs: ["AllowOriginFunc"], credentials: "AllowCredentials", library: "go-chi/cors" },
  "echomw.CORSConfig": { origins: ["AllowOrigins"], funcs: ["AllowOriginFunc"], credentials: "AllowCredentials", library: "echo CORS middleware" },
};

/**
 * Log sinks. `printf`: a format string then values; `print`: values; `structured`: a message
 * then key/value pairs or field constructors; `fields`: field constructors whose second
 * argument is logged (zap.String("k", v)).
 */
export type SinkKind = "printf" | "print" | "structured";

const PRINT_LEVELS = ["Print", "Println", "Fatal", "Fatalln", "Panic", "Panicln"];
const PRINTF_LEVELS = ["Printf", "Fatalf", "Panicf"];
const LEVELS = ["Debug", "Info", "Warn", "Warning", "Error", "Fatal", "Panic", "Trace", "DPanic"];

function levelSinks(style: "print" | "sugar" | "slog"): Record<string, SinkKind> {
  const out: Record<string, SinkKind> = {};
  for (const l of LEVELS) {
    if (style === "slog") out[l] = "structured";
    else if (style === "sugar") {
      out[l] = "print";
      out[`${l}f`] = "printf";
      out[`${l}w`] = "structured";
      out[`${l}ln`] = "print";
    } else out[l] = "print";
  }
  for (const p of PRINT_LEVELS) out[p] = "print";
  for (const p of PRINTF_LEVELS) out[p] = "printf";
  return out;
}

/** Package-level logging functions per library. */
export const LOG_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, SinkKind>>>>> = {
  log: { ...Object.fromEntries(PRINT_LEVELS.map((p) => [p, "print"])), ...Object.fromEntries(PRINTF_LEVELS.map((p) => [p, "printf"])) },
  fmt: { Print: "print", Println: "print", Printf: "printf" },
  slog: { ...levelSinks("slog"), DebugContext: "structured", InfoContext: "structured", WarnContext: "structured", ErrorContext: "structured", Log: "structured" },
  logrus: levelSinks("sugar"),
  fiberlog: levelSinks("sugar"),
};

/** Logging methods per logger type. */
export const LOG_METHODS: Readonly<Record<TypeRef, Readonly<Record<string, SinkKind>>>> = {
  "log.Logger": { ...Object.fromEntries(PRINT_LEVELS.map((p) => [p, "print"])), ...Object.fromEntries(PRINTF_LEVELS.map((p) => [p, "printf"])) },
  "slog.Logger": { ...levelSinks("slog"), DebugContext: "structured", InfoContext: "structured", WarnContext: "structured", ErrorContext: "structured", Log: "structured" },
  "zap.Logger": levelSinks("slog"),
  "zap.SugaredLogger": levelSinks("sugar"),
  "logrus.Logger": levelSinks("sugar"),
  "logrus.Entry": levelSinks("sugar"),
  "zerolog.Event": { Msg: "print", Msgf: "printf", Send: "print" },
};

/** Functions that build a log field from a key and a value: the value (argument 1) is logged. */
export const LOG_FIELD_CONSTRUCTORS: Readonly<Partial<Record<LibraryId, ReadonlySet<string>>>> = {
  zap: new Set(["String", "Any", "Reflect", "Stringer", "ByteString", "Binary", "Strings", "Inline", "Object"]),
  slog: new Set(["String", "Any", "Group"]),
};

/** zerolog Event methods that add a field (key, value). */
export const ZEROLOG_FIELD_METHODS: ReadonlySet<string> = new Set(["Str", "Strs", "Interface", "Any", "Bytes", "Hex", "RawJSON", "Stringer", "Dict", "Fields"]);

/** logrus methods that attach fields: WithField(k, v), WithFields(logrus.Fields{...}). */
export const LOGRUS_FIELD_METHODS: ReadonlySet<string> = new Set(["WithField", "WithFields"]);

/**
 * Calls that end the process (or panic out of it): `what` describes the effect for messages.
 * Package-level functions per library, and methods per logger type.
 */
export type ExitKind = "exit" | "fatal" | "panic";
const STD_FATAL: Record<string, ExitKind> = { Fatal: "fatal", Fatalf: "fatal", Fatalln: "fatal", Panic: "panic", Panicf: "panic", Panicln: "panic" };
const SUGAR_FATAL: Record<string, ExitKind> = { Fatal: "fatal", Fatalf: "fatal", Fatalln: "fatal", Fatalw: "fatal" };
export const EXIT_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, ExitKind>>>>> = {
  os: { Exit: "exit" },
  log: STD_FATAL,
  logrus: SUGAR_FATAL,
  fiberlog: SUGAR_FATAL,
  zerolog: { Fatal: "fatal" },
};
export const EXIT_METHODS: Readonly<Record<TypeRef, Readonly<Record<string, ExitKind>>>> = {
  "log.Logger": STD_FATAL,
  "zap.Logger": { Fatal: "fatal" },
  "zap.SugaredLogger": SUGAR_FATAL,
  "logrus.Logger": SUGAR_FATAL,
  "logrus.Entry": SUGAR_FATAL,
  "zerolog.Logger": { Fatal: "fatal" },
};

/**
 * Calls whose error result must not be dropped, by what goes unnoticed when it is:
 * `decode` (a half-filled struct is used as valid input), `bind` (request binding), `parse`
 * (the zero value is used: id 0, time zero), `auth` (a failed verification looks like success),
 * `db` / `commit` / `redis` (a write that did not happen), `startup` (the server never listened).
 * The error is the last result. (crypto/rand's Read is not here: since Go 1.24 it never returns an error.)
 */
export type ErrorKind = "decode" | "bind" | "parse" | "auth" | "db" | "commit" | "redis" | "startup";
const BIND: ErrorKind = "bind";
export const ERROR_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, ErrorKind>>>>> = {
  json: { Unmarshal: "decode" },
  xml: { Unmarshal: "decode" },
  yaml: { Unmarshal: "decode" },
  strconv: { Atoi: "parse", ParseInt: "parse", ParseUint: "parse", ParseFloat: "parse", ParseBool: "parse" },
  time: { Parse: "parse", ParseDuration: "parse", ParseInLocation: "parse" },
  uuid: { Parse: "parse", FromString: "parse" },
  url: { Parse: "parse", ParseRequestURI: "parse", ParseQuery: "parse" },
  jwt: { Parse: "auth", ParseWithClaims: "auth" },
  jwtrequest: { ParseFromRequest: "auth" },
  bcrypt: { CompareHashAndPassword: "auth", GenerateFromPassword: "auth" },
  "net/http": { ListenAndServe: "startup", ListenAndServeTLS: "startup" },
};
export const ERROR_METHODS: Readonly<Record<TypeRef, Readonly<Record<string, ErrorKind>>>> = {
  "fiber.Ctx": { BodyParser: BIND, QueryParser: BIND, ParamsParser: BIND, ReqHeaderParser: BIND, CookieParser: BIND },
  "gin.Context": Object.fromEntries(
    ["Bind", "BindJSON", "BindQuery", "BindUri", "BindXML", "BindYAML", "BindHeader", "BindWith", "ShouldBind", "ShouldBindJSON", "ShouldBindQuery",
      "ShouldBindUri", "ShouldBindXML", "ShouldBindYAML", "ShouldBindHeader", "ShouldBindWith", "ShouldBindBodyWith", "ShouldBindBodyWithJSON"].map((m) => [m, BIND]),
  ),
  "echo.Context": { Bind: BIND },
  "json.Decoder": { Decode: "decode" },
  "xml.Decoder": { Decode: "decode" },
  "jwt.Parser": { Parse: "auth", ParseWithClaims: "auth" },
  "fiber.App": { Listen: "startup", ListenTLS: "startup", Listener: "startup", ListenMutualTLS: "startup" },
  "gin.Engine": { Run: "startup", RunTLS: "startup", RunUnix: "startup", RunListener: "startup" },
  "echo.Echo": { Start: "startup", StartTLS: "startup", StartServer: "startup", StartAutoTLS: "startup" },
  "http.Server": { ListenAndServe: "startup", ListenAndServeTLS: "startup", Serve: "startup", ServeTLS: "startup" },
  "sql.DB": { Exec: "db", ExecContext: "db" },
  "sql.Tx": { Exec: "db", ExecContext: "db", Commit: "commit", Rollback: "db" },
  "sql.Stmt": { Exec: "db", ExecContext: "db" },
  "sqlx.DB": { Exec: "db", ExecContext: "db", NamedExec: "db", NamedExecContext: "db", Get: "db", GetContext: "db", Select: "db", SelectContext: "db" },
  "sqlx.Tx": { Exec: "db", ExecContext: "db", NamedExec: "db", NamedExecContext: "db", Get: "db", GetContext: "db", Select: "db", SelectContext: "db", Commit: "commit", Rollback: "db" },
  "pgx.Conn": { Exec: "db" },
  "pgx.Tx": { Exec: "db", Commit: "commit", Rollback: "db" },
  "pgxpool.Pool": { Exec: "db" },
  "pgxpool.Conn": { Exec: "db" },
};
/** Redis commands that change state: a bare call drops the error of a write that may not have happened. */
export const REDIS_WRITE_COMMANDS: ReadonlySet<string> = new Set([
  "Set", "SetNX", "SetEX", "SetEx", "SetXX", "SetArgs", "MSet", "MSetNX", "HSet", "HMSet", "HSetNX", "HDel", "HIncrBy", "Del", "Unlink",
  "Expire", "ExpireAt", "PExpire", "PExpireAt", "Persist", "Incr", "IncrBy", "Decr", "DecrBy", "LPush", "RPush", "LRem", "LTrim",
  "SAdd", "SRem", "ZAdd", "ZRem", "ZIncrBy", "Publish", "XAdd", "Rename", "GetDel", "GetSet",
]);
/** Redis client types: every command returns a *Cmd whose `.Err()`/`.Result()` carries the error. */
export const REDIS_CLIENT_TYPES: ReadonlySet<TypeRef> = new Set(["redis.Client", "redis.ClusterClient", "redis.UniversalClient", "redis.Cmdable", "redis.Tx"]);
/** Pipelines: commands are queued and their errors come back from Exec (so a bare `pipe.Set` drops nothing). */
export const REDIS_PIPELINE_TYPES: ReadonlySet<TypeRef> = new Set(["redis.Pipeliner"]);

/**
 * Where a key or password is consumed, for no-hardcoded-secret: functions whose argument at
 * `arg` (or every argument from it on, `rest`) is a signing/encryption key, and config literals
 * whose fields hold keys or passwords.
 */
export interface KeySink {
  what: string;
  arg: number;
  rest?: boolean;
}
export const KEY_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, KeySink>>>>> = {
  hmac: { New: { what: "HMAC key", arg: 1 } },
  sessions: { NewCookieStore: { what: "session cookie key", arg: 0, rest: true }, NewFilesystemStore: { what: "session cookie key", arg: 1, rest: true } },
  ginsessionscookie: { NewStore: { what: "session cookie key", arg: 0, rest: true } },
  securecookie: { New: { what: "secure cookie key", arg: 0, rest: true } },
};
/** Methods (any receiver) whose argument is a signing key: the name alone is specific enough. */
export const KEY_METHODS: Readonly<Record<string, KeySink>> = {
  SignedString: { what: "JWT signing key", arg: 0 },
};
/** Config literal fields that hold keys or passwords, per library type (the key names are generic). */
export const KEY_CONFIG_FIELDS: Readonly<Record<TypeRef, Readonly<Record<string, string>>>> = {
  "fiberjwt.Config": { SigningKey: "JWT signing key", SigningKeys: "JWT signing key" },
  "fiberjwt.SigningKey": { Key: "JWT signing key" },
  "echojwt.Config": { SigningKey: "JWT signing key", SigningKeys: "JWT signing key" },
  "echomw.JWTConfig": { SigningKey: "JWT signing key", SigningKeys: "JWT signing key" },
  "ginjwt.GinJWTMiddleware": { Key: "JWT signing key" },
  "fiberencryptcookie.Config": { Key: "cookie encryption key" },
  "redis.Options": { Password: "Redis password" },
  "redis.ClusterOptions": { Password: "Redis password" },
  "redis.UniversalOptions": { Password: "Redis password" },
  "redis.FailoverOptions": { Password: "Redis password", SentinelPassword: "Redis Sentinel password" },
  "mysql.Config": { Passwd: "MySQL password" },
  "pgx.ConnConfig": { Password: "PostgreSQL password" },
};
/** Functions that read configuration with a default (`viper.SetDefault(key, v)`, `flag.String(name, v, usage)`). */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, { name: number; value: number }>>>>> = {
  viper: { SetDefault: { name: 0, value: 1 } },
  flag: { String: { name: 0, value: 1 }, StringVar: { name: 1, value: 2 } },
  pflag: { String: { name: 0, value: 1 }, StringVar: { name: 1, value: 2 }, StringP: { name: 0, value: 2 }, StringVarP: { name: 1, value: 3 } },
};

/**
 * Routers, for the route model (src/semantic/routes.ts): constructors, router types, the
 * methods that register routes (→ HTTP method; "(arg)" when the method is the first argument),
 * groups, middleware registration, and what known middleware does.
 */
export type RouterFramework = "fiber" | "gin" | "echo" | "chi" | "net/http" | "gorilla/mux";
export const ROUTER_CONSTRUCTORS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, RouterFramework>>>>> = {
  fiber: { New: "fiber" },
  gin: { New: "gin", Default: "gin" },
  echo: { New: "echo" },
  chi: { NewRouter: "chi", NewMux: "chi" },
  "net/http": { NewServeMux: "net/http" },
  gorillamux: { NewRouter: "gorilla/mux" },
};
export const ROUTER_TYPES: Readonly<Record<TypeRef, RouterFramework>> = {
  "fiber.App": "fiber", "fiber.Router": "fiber", "gin.Engine": "gin", "gin.RouterGroup": "gin", "gin.IRouter": "gin", "gin.IRoutes": "gin",
  "echo.Echo": "echo", "echo.Group": "echo", "chi.Router": "chi", "chi.Mux": "chi", "http.ServeMux": "net/http", "gorillamux.Router": "gorilla/mux",
};
const VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"];
const titleVerbs = Object.fromEntries(VERBS.map((v) => [v[0] + v.slice(1).toLowerCase(), v]));
export const ROUTE_METHODS: Readonly<Record<RouterFramework, Readonly<Record<string, string>>>> = {
  fiber: { ...titleVerbs, All: "*", Add: "(arg)" },
  gin: { ...Object.fromEntries(VERBS.map((v) => [v, v])), Any: "*", Handle: "(arg)" },
  echo: { ...Object.fromEntries(VERBS.map((v) => [v, v])), Any: "*", Add: "(arg)", Match: "(args)" },
  chi: { ...titleVerbs, Handle: "*", HandleFunc: "*", Method: "(arg)", MethodFunc: "(arg)" },
  "net/http": { Handle: "*", HandleFunc: "*" },
  "gorilla/mux": { Handle: "*", HandleFunc: "*" },
};
/** Package-level registration on the default mux: `http.HandleFunc("/x", h)`. */
export const DEFAULT_MUX_FUNCTIONS: ReadonlySet<string> = new Set(["Handle", "HandleFunc"]);
/** Handler adapters that wrap a handler without adding behaviour (unwrapped to find the handler). */
export const HANDLER_ADAPTERS: Readonly<Partial<Record<LibraryId, ReadonlySet<string>>>> = {
  "net/http": new Set(["HandlerFunc"]),
  gin: new Set(["WrapF", "WrapH"]),
  echo: new Set(["WrapHandler"]),
  fiberadaptor: new Set(["HTTPHandler", "HTTPHandlerFunc"]),
};
export type MiddlewareKind = "auth" | "ratelimit" | "bodylimit" | "cors" | "other";
export const MIDDLEWARE_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, MiddlewareKind>>>>> = {
  fiberjwt: { New: "auth" },
  fiberkeyauth: { New: "auth" },
  fiberbasicauth: { New: "auth" },
  fiberlimiter: { New: "ratelimit" },
  fibercors: { New: "cors" },
  echojwt: { JWT: "auth", WithConfig: "auth" },
  echomw: {
    JWT: "auth", JWTWithConfig: "auth", KeyAuth: "auth", KeyAuthWithConfig: "auth", BasicAuth: "auth", BasicAuthWithConfig: "auth",
    RateLimiter: "ratelimit", RateLimiterWithConfig: "ratelimit", BodyLimit: "bodylimit", BodyLimitWithConfig: "bodylimit", CORS: "cors", CORSWithConfig: "cors",
  },
  gin: { BasicAuth: "auth", BasicAuthForRealm: "auth" },
  gincors: { New: "cors", Default: "cors" },
  ginsize: { RequestSizeLimiter: "bodylimit" },
  jwtauth: { Authenticator: "auth", Verifier: "auth", Verify: "auth" },
  httprate: { Limit: "ratelimit", LimitByIP: "ratelimit", LimitAll: "ratelimit", LimitByRealIP: "ratelimit" },
  chimw: { Throttle: "ratelimit", ThrottleBacklog: "ratelimit", BasicAuth: "auth", RequestSize: "bodylimit" },
  chicors: { Handler: "cors" },
  rscors: { New: "cors", Default: "cors", AllowAll: "cors" },
  "net/http": { MaxBytesHandler: "bodylimit", TimeoutHandler: "other", StripPrefix: "other" },
};
export const MIDDLEWARE_METHODS: Readonly<Record<TypeRef, Readonly<Record<string, MiddlewareKind>>>> = {
  "ginjwt.GinJWTMiddleware": { MiddlewareFunc: "auth" },
};

/**
 * golang-jwt v4/v5, dgrijalva/jwt-go and their `request` packages (jwt-require-algorithm,
 * jwt-require-claims): argument positions of the keyfunc, the claims and the first parser
 * option in each verifying call (package functions per library, methods of *jwt.Parser).
 */
export interface JwtParseShape {
  keyfunc: number;
  claims?: number;
  options?: number;
}
export const JWT_PARSE_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, JwtParseShape>>>>> = {
  jwt: { Parse: { keyfunc: 1, options: 2 }, ParseWithClaims: { claims: 1, keyfunc: 2, options: 3 } },
  // v4/dgrijalva ParseFromRequestWithClaims(req, extractor, claims, keyFunc); options: request.WithParser, request.WithClaims.
  jwtrequest: { ParseFromRequest: { keyfunc: 2, options: 3 }, ParseFromRequestWithClaims: { claims: 2, keyfunc: 3 } },
};
export const JWT_PARSER_METHODS: Readonly<Record<string, JwtParseShape>> = {
  Parse: { keyfunc: 1 },
  ParseWithClaims: { claims: 1, keyfunc: 2 },
};
/** Parser options (v4.4+/v5 functions) and the matching v4/dgrijalva `jwt.Parser` fields. */
export const JWT_OPTIONS = {
  validMethods: "WithValidMethods",
  validMethodsField: "ValidMethods",
  skipClaims: "WithoutClaimsValidation",
  skipClaimsField: "SkipClaimsValidation",
  leeway: "WithLeeway",
  requestParser: "WithParser",
  requestClaims: "WithClaims",
} as const;
/**
 * JWT middleware configs whose `KeyFunc` field, when set, replaces the middleware's own
 * algorithm check (echo-jwt and echo's JWTConfig compare SigningMethod, fiber's SigningKey.JWTAlg);
 * `parseFunc` is a field that, when set, makes the middleware ignore KeyFunc.
 */
export const JWT_MIDDLEWARE_CONFIGS: Readonly<Record<TypeRef, { keyFunc: string; parseFunc?: string; library: string }>> = {
  "echojwt.Config": { keyFunc: "KeyFunc", parseFunc: "ParseTokenFunc", library: "echo-jwt" },
  "echomw.JWTConfig": { keyFunc: "KeyFunc", parseFunc: "ParseTokenFunc", library: "echo JWT middleware" },
  "fiberjwt.Config": { keyFunc: "KeyFunc", library: "fiber jwt" },
};
/** Claims types of the jwt library that carry the expiry as `ExpiresAt`. */
export const JWT_EXPIRY_CLAIMS: ReadonlySet<TypeRef> = new Set(["jwt.RegisteredClaims", "jwt.StandardClaims"]);
/** time.Duration units in nanoseconds, for evaluating `5 * time.Minute`. */
export const TIME_UNITS: Readonly<Record<string, number>> = {
  Nanosecond: 1, Microsecond: 1e3, Millisecond: 1e6, Second: 1e9, Minute: 60e9, Hour: 3600e9,
};

/**
 * go-redis (v8/v9) commands by what they do to a key's lifetime, for the ticket rules. Argument
 * positions count the context as 0. `expiration`: the time.Duration of Set/SetNX (0 = never
 * expires, `redis.KeepTTL` (-1) keeps the current expiry, so none on a new key); `args`: the
 * redis.SetArgs of SetArgs (fields TTL, ExpireAt, KeepTTL, Mode "NX"/"XX"); `hash`: HSet and
 * friends take no expiry at all (an Expire must follow). `onlyNew`: writes only a missing key.
 */
export interface RedisKeyWrite {
  key: number;
  value?: number;
  expiration?: number;
  args?: number;
  hash?: boolean;
  onlyNew?: boolean;
}
export const REDIS_KEY_WRITES: Readonly<Record<string, RedisKeyWrite>> = {
  Set: { key: 1, value: 2, expiration: 3 },
  SetNX: { key: 1, value: 2, expiration: 3, onlyNew: true },
  SetArgs: { key: 1, value: 2, args: 3 },
  HSet: { key: 1, hash: true },
  HMSet: { key: 1, hash: true },
  HSetNX: { key: 1, value: 3, hash: true },
};
/** The redis.SetArgs fields: either expiry field gives the key a TTL. */
export const REDIS_SET_ARGS_TTL_FIELDS: readonly string[] = ["TTL", "ExpireAt"];
/** Commands that give a key (argument 1) an expiry afterwards (HExpire: its hash fields). */
export const REDIS_EXPIRE_COMMANDS: ReadonlySet<string> = new Set([
  "Expire", "ExpireAt", "PExpire", "PExpireAt", "ExpireNX", "ExpireXX", "ExpireGT", "ExpireLT", "HExpire", "HPExpire", "HExpireAt", "HPExpireAt",
]);
/** Reads that check a one-time credential (key at 1; set member / hash field at 2 where `member`). */
export const REDIS_CHECK_COMMANDS: Readonly<Record<string, { member?: number }>> = {
  Get: {}, Exists: {}, HGetAll: {}, HGet: { member: 2 }, HMGet: {}, SIsMember: { member: 2 }, GetEx: {},
};
/** Commands that remove it afterwards (key at 1; member / field at 2 where `member`). */
export const REDIS_REMOVE_COMMANDS: Readonly<Record<string, { member?: number }>> = {
  Del: {}, Unlink: {}, SRem: { member: 2 }, HDel: { member: 2 },
};
/**
 * Atomic read-and-consume in one round trip: GETDEL, Lua scripts (client Eval* / FCall and
 * `*redis.Script` Run), optimistic transactions (Watch) and MULTI/EXEC pipelines.
 */
export const REDIS_ATOMIC_METHODS: ReadonlySet<string> = new Set(["GetDel", "Eval", "EvalSha", "EvalRO", "EvalShaRO", "FCall", "FCallRO", "Watch", "TxPipelined", "TxPipeline"]);
export const REDIS_SCRIPT_METHODS: ReadonlySet<string> = new Set(["Run", "RunRO", "Eval", "EvalSha", "EvalRO", "EvalShaRO"]);

/**
 * math/rand and math/rand/v2: package functions and `*rand.Rand` methods that return
 * (or, `Read`, fill a buffer with) pseudo-random values. Predictable: never for secrets.
 */
export const MATH_RAND_VALUE_FUNCTIONS: ReadonlySet<string> = new Set([
  "Int", "Intn", "IntN", "Int31", "Int31n", "Int32", "Int32N", "Int63", "Int63n", "Int64", "Int64N", "Uint", "UintN", "Uint32", "Uint32N",
  "Uint64", "Uint64N", "Float32", "Float64", "NormFloat64", "ExpFloat64", "Perm", "N", "Read",
]);
/** Cookie values: literal types with a `Value` field named by `Name`, and setters (argument positions). */
export const COOKIE_LITERAL_TYPES: ReadonlySet<TypeRef> = new Set(["http.Cookie", "fiber.Cookie"]);
export const COOKIE_SETTERS: Readonly<Record<TypeRef, Readonly<Record<string, { name: number; value: number; maxAge?: number; domain?: number; secure?: number; httpOnly?: number }>>>> = {
  // gin: SetCookie(name, value string, maxAge int, path, domain string, secure, httpOnly bool).
  "gin.Context": { SetCookie: { name: 0, value: 1, maxAge: 2, domain: 4, secure: 5, httpOnly: 6 } },
};

/**
 * require-body-limit: reads that buffer a whole request body. Package functions whose argument
 * `arg` is the reader (io.ReadAll, json/xml.NewDecoder); context methods that read the raw body
 * (gin GetRawData); binders that decode it (gin Bind and ShouldBind variants, echo Bind: reported only with
 * the rule's checkBinders option). fiber's Body/BodyParser read what fasthttp already bounded by
 * Config.BodyLimit (which defaults to 4 MiB; `<= 0` also means the default).
 */
export const BODY_READ_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, number>>>>> = {
  io: { ReadAll: 0 },
  ioutil: { ReadAll: 0 },
  json: { NewDecoder: 0 },
  xml: { NewDecoder: 0 },
};
export const BODY_READ_METHODS: Readonly<Record<TypeRef, ReadonlySet<string>>> = {
  "gin.Context": new Set(["GetRawData"]),
};
export const BODY_BINDERS: Readonly<Record<TypeRef, ReadonlySet<string>>> = {
  "gin.Context": new Set([
    "Bind", "BindJSON", "BindXML", "BindYAML", "BindTOML", "ShouldBind", "ShouldBindJSON", "ShouldBindXML", "ShouldBindYAML", "ShouldBindTOML",
    "ShouldBindBodyWith", "ShouldBindBodyWithJSON", "ShouldBindBodyWithXML", "ShouldBindBodyWithYAML", "ShouldBindBodyWithTOML",
    // With an explicit binding: only the body bindings (binding.JSON, ...) read the body.
    "BindWith", "MustBindWith", "ShouldBindWith",
  ]),
  "echo.Context": new Set(["Bind"]),
};
/** gin `binding.X` values that decode the request body (for BindWith/ShouldBindWith). */
export const GIN_BODY_BINDINGS: ReadonlySet<string> = new Set(["JSON", "XML", "YAML", "TOML", "ProtoBuf", "MsgPack", "BSON"]);
/** fiber.Config fields: the body limit (bytes; `<= 0` means fiber's 4 MiB default) and request streaming. */
export const FIBER_BODY_LIMIT = { field: "BodyLimit", stream: "StreamRequestBody", defaultBytes: 4 * 1024 * 1024 } as const;

/**
 * require-http-timeout. net/http package functions that send with http.DefaultClient (no
 * Timeout); client methods that send; package functions that serve with a zero http.Server (no
 * timeouts); the fields that bound a server's reading of a request and a client's whole exchange.
 */
export const DEFAULT_CLIENT_FUNCTIONS: ReadonlySet<string> = new Set(["Get", "Post", "Head", "PostForm"]);
export const CLIENT_SEND_METHODS: ReadonlySet<string> = new Set(["Do", "Get", "Post", "Head", "PostForm"]);
export const UNTIMED_SERVE_FUNCTIONS: ReadonlySet<string> = new Set(["ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"]);
export const SERVER_READ_TIMEOUTS: readonly string[] = ["ReadHeaderTimeout", "ReadTimeout"];
export const CLIENT_TIMEOUT = "Timeout";
/**
 * Framework start methods that serve without read timeouts: gin's Run* call http.ListenAndServe /
 * http.Serve; echo v4's Start* serve its `Server`/`TLSServer` fields (timeouts settable before
 * the call), v5's StartConfig builds a bare http.Server; fiber's Listen* serve with the app's
 * fiber.Config, whose ReadTimeout defaults to none.
 */
export const FRAMEWORK_SERVER_STARTS: Readonly<Record<TypeRef, { methods: ReadonlySet<string>; framework: string; serverFields?: readonly string[]; configTimeouts?: readonly string[] }>> = {
  "gin.Engine": { methods: new Set(["Run", "RunTLS", "RunListener"]), framework: "gin" },
  "echo.Echo": { methods: new Set(["Start", "StartTLS", "StartAutoTLS"]), framework: "echo", serverFields: ["Server", "TLSServer"] },
  "fiber.App": { methods: new Set(["Listen", "ListenTLS", "ListenMutualTLS", "Listener"]), framework: "fiber", configTimeouts: ["ReadTimeout"] },
};

/**
 * websocket-check-origin: WebSocket upgrade configurations and the fields that decide which
 * origins may open a socket. `check`: an origin predicate (gorilla and fasthttp/websocket call
 * it with the request; nil means a same-origin check). `origins`: allowed origins, where
 * `"first"` means the library allows every origin when the first element is `"*"` (fiber's
 * websocket middleware, which also allows every origin when the list is empty), `"pattern"`
 * means host patterns matched with path.Match (nhooyr.io/coder websocket: `*` matches any host).
 * `skipVerify`: a switch that turns the origin check off.
 */
export interface WebSocketOriginShape {
  library: string;
  check?: string;
  origins?: { field: string; match: "first" | "pattern" };
  skipVerify?: string;
}
export const WEBSOCKET_ORIGIN_CONFIGS: Readonly<Record<TypeRef, WebSocketOriginShape>> = {
  "websocket.Upgrader": { library: "gorilla/websocket", check: "CheckOrigin" },
  "websocket.FastHTTPUpgrader": { library: "fasthttp/websocket", check: "CheckOrigin" },
  "fiberws.Config": { library: "fiber websocket", origins: { field: "Origins", match: "first" } },
  "nhooyrws.AcceptOptions": { library: "nhooyr.io/websocket", origins: { field: "OriginPatterns", match: "pattern" }, skipVerify: "InsecureSkipVerify" },
};
/** fiber's websocket middleware constructor: `websocket.New(handler, config...)`, config at index 1. */
export const FIBER_WEBSOCKET_NEW = { library: "fiberws" as LibraryId, func: "New", config: 1 } as const;

/**
 * no-insecure-tls: crypto/tls.Config fields (a certificate check that is switched off, protocol
 * versions, and callbacks that verify certificates themselves), the lowest acceptable version,
 * and database drivers' TLS settings: go-sql-driver/mysql's `tls=` DSN parameter and
 * mysql.Config.TLSConfig values that skip verification ("preferred" also falls back to
 * plaintext), lib/pq / pgx `sslmode=` values that send the connection in clear.
 */
export const TLS_CONFIG = {
  type: "tls.Config",
  skipVerify: "InsecureSkipVerify",
  versions: ["MinVersion", "MaxVersion"],
  customVerification: ["VerifyPeerCertificate", "VerifyConnection"],
  minimumVersion: 0x0303,
} as const;
export const MYSQL_TLS_CONFIG = { type: "mysql.Config", field: "TLSConfig", insecure: ["skip-verify", "preferred"] } as const;
export const POSTGRES_PLAINTEXT_SSLMODES: ReadonlySet<string> = new Set(["disable", "allow"]);

/**
 * cookie-flags: cookie literals and session-cookie configurations with their attribute fields.
 * `session`: every cookie the type configures is a session cookie (session stores and
 * middleware); otherwise the cookie's name or value says whether it is one. SAME_SITE_NONE: the
 * SameSite values that send the cookie cross-site (http.SameSiteNoneMode, fiber "none").
 */
export interface CookieShape {
  library: string;
  name?: string;
  value?: string;
  secure: string;
  httpOnly: string;
  sameSite?: string;
  maxAge?: string;
  expires?: string;
  domain?: string;
  session: boolean;
}
export const COOKIE_CONFIGS: Readonly<Record<TypeRef, CookieShape>> = {
  "http.Cookie": { library: "net/http", name: "Name", value: "Value", secure: "Secure", httpOnly: "HttpOnly", sameSite: "SameSite", maxAge: "MaxAge", expires: "Expires", domain: "Domain", session: false },
  "fiber.Cookie": { library: "fiber", name: "Name", value: "Value", secure: "Secure", httpOnly: "HTTPOnly", sameSite: "SameSite", maxAge: "MaxAge", expires: "Expires", domain: "Domain", session: false },
  "sessions.Options": { library: "gorilla/sessions", secure: "Secure", httpOnly: "HttpOnly", sameSite: "SameSite", maxAge: "MaxAge", domain: "Domain", session: true },
  "ginsessions.Options": { library: "gin-contrib/sessions", secure: "Secure", httpOnly: "HttpOnly", sameSite: "SameSite", maxAge: "MaxAge", domain: "Domain", session: true },
  "fibersession.Config": { library: "fiber session middleware", secure: "CookieSecure", httpOnly: "CookieHTTPOnly", sameSite: "CookieSameSite", domain: "CookieDomain", session: true },
};
export const SAME_SITE_NONE: ReadonlySet<string | number> = new Set([4, "none"]);
/** Methods that attach a cookie to an outgoing client request or a client cookie jar: its flags mean nothing there. */
export const CLIENT_COOKIE_METHODS: ReadonlySet<string> = new Set(["AddCookie", "SetCookies"]);

/**
 * no-sql-injection and require-stable-pagination: methods that take SQL text, per receiver
 * type, with the position of the SQL argument (a context, or sqlx's destination, comes first
 * in some). GORM's builder methods take SQL fragments (`Where("a = ?", v)`, `Order("id desc")`).
 */
const SQL_STD = { Query: 0, QueryContext: 1, QueryRow: 0, QueryRowContext: 1, Exec: 0, ExecContext: 1, Prepare: 0, PrepareContext: 1 };
const SQLX_EXTRA = {
  Queryx: 0, QueryxContext: 1, QueryRowx: 0, QueryRowxContext: 1, Get: 1, GetContext: 2, Select: 1, SelectContext: 2, NamedExec: 0,
  NamedExecContext: 1, NamedQuery: 0, NamedQueryContext: 1, MustExec: 0, MustExecContext: 1, Preparex: 0, PreparexContext: 1,
  PrepareNamed: 0, PrepareNamedContext: 1,
};
const PGX_SQL = { Query: 1, QueryRow: 1, Exec: 1, Prepare: 2 };
export const SQL_TEXT_METHODS: Readonly<Record<TypeRef, Readonly<Record<string, number>>>> = {
  "sql.DB": SQL_STD,
  "sql.Tx": SQL_STD,
  "sql.Conn": { QueryContext: 1, QueryRowContext: 1, ExecContext: 1, PrepareContext: 1 },
  "sqlx.DB": { ...SQL_STD, ...SQLX_EXTRA },
  "sqlx.Tx": { ...SQL_STD, ...SQLX_EXTRA },
  "pgx.Conn": PGX_SQL,
  "pgx.Tx": PGX_SQL,
  "pgxpool.Pool": PGX_SQL,
  "pgxpool.Conn": PGX_SQL,
  "pgx.Batch": { Queue: 0 },
  "gorm.DB": { Raw: 0, Exec: 0, Where: 0, Or: 0, Not: 0, Order: 0, Select: 0, Group: 0, Having: 0, Joins: 0, InnerJoins: 0, Distinct: 0 },
};
/** Of those, the ones that run a statement rather than read rows (no page to order). */
export const SQL_WRITE_METHODS: ReadonlySet<string> = new Set(["Exec", "ExecContext", "NamedExec", "NamedExecContext", "MustExec", "MustExecContext"]);
/** GORM builder methods whose argument is only a SQL fragment, not a statement (no pages there). */
export const GORM_FRAGMENT_METHODS: ReadonlySet<string> = new Set(["Where", "Or", "Not", "Order", "Select", "Group", "Having", "Joins", "InnerJoins", "Distinct"]);

/**
 * Functions whose string result is safe to put into SQL text whatever their argument: quoted
 * identifiers and literals (lib/pq), numbers formatted by strconv. pgx's `pgx.Identifier{...}.Sanitize()`
 * is a method of a type: SQL_SANITIZER_METHODS.
 */
export const SQL_SAFE_FUNCTIONS: Readonly<Partial<Record<LibraryId, ReadonlySet<string>>>> = {
  pq: new Set(["QuoteIdentifier", "QuoteLiteral"]),
  strconv: new Set(["Itoa", "FormatInt", "FormatUint", "FormatFloat", "FormatBool"]),
};
export const SQL_SANITIZER_METHODS: ReadonlySet<string> = new Set(["Sanitize"]);

/**
 * Request input: methods (per receiver type) and package functions (per library) whose result
 * the client controls: query string, path parameters, form fields. Bodies and query structs
 * decoded with a binder (ERROR_METHODS "bind", json Decode of the body) are client data too.
 */
export type RequestInputKind = "query parameter" | "path parameter" | "form field" | "request header" | "cookie";
export const REQUEST_INPUT_READERS: Readonly<Record<TypeRef, Readonly<Record<string, RequestInputKind>>>> = {
  "fiber.Ctx": { Query: "query parameter", Params: "path parameter", FormValue: "form field", Queries: "query parameter", AllParams: "path parameter", Cookies: "cookie" },
  "gin.Context": {
    Query: "query parameter", DefaultQuery: "query parameter", GetQuery: "query parameter", QueryArray: "query parameter", QueryMap: "query parameter",
    Param: "path parameter", PostForm: "form field", DefaultPostForm: "form field", GetPostForm: "form field", PostFormArray: "form field",
  },
  "echo.Context": { QueryParam: "query parameter", QueryParams: "query parameter", QueryString: "query parameter", Param: "path parameter", FormValue: "form field" },
  "http.Request": { FormValue: "form field", PostFormValue: "form field", PathValue: "path parameter" },
  "url.Values": { Get: "query parameter" },
};
export const REQUEST_INPUT_FUNCTIONS: Readonly<Partial<Record<LibraryId, Readonly<Record<string, RequestInputKind>>>>> = {
  chi: { URLParam: "path parameter", URLParamFromCtx: "path parameter" },
  gorillamux: { Vars: "path parameter" },
};

/**
 * require-stable-pagination: GORM finishers that read a page of rows (First and Last order by
 * the primary key; Count, Pluck of an aggregate, writes and FindInBatches are not pages).
 */
export const GORM_PAGE_FINISHERS: ReadonlySet<string> = new Set(["Find", "Scan", "Take", "Pluck", "Rows"]);

/**
 * require-tx-rollback: transaction types (begun by the methods in METHOD_RESULTS that return
 * them), GORM's `Begin` (a *gorm.DB in a transaction), and the calls that end a transaction.
 */
export const TX_TYPES: ReadonlySet<TypeRef> = new Set(["sql.Tx", "sqlx.Tx", "pgx.Tx"]);
export const GORM_TX_BEGIN: ReadonlySet<string> = new Set(["Begin"]);
export const TX_END_METHODS = { rollback: "Rollback", commit: "Commit" } as const;

/** Request header names whose values are credentials. */
export const SECRET_HEADERS = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-refresh-token|x-csrf-token|x-xsrf-token|x-session-token|x-session-id|x-amz-security-token|x-goog-api-key|x-hub-signature(?:-256)?|x-signature|private-token|x-gitlab-token)$/iu;

/** Methods that read one request header (or cookie) by name, per receiver type. */
export const HEADER_READERS: Readonly<Record<TypeRef, Readonly<Record<string, "header" | "cookie">>>> = {
  "http.Header": { Get: "header", Values: "header" },
  "fiber.Ctx": { Get: "header", Cookies: "cookie" },
  "gin.Context": { GetHeader: "header", Cookie: "cookie" },
  "echo.Context": { Cookie: "cookie" },
  "http.Request": { Cookie: "cookie" },
};
