/**
 * no-insecure-tls (CWE-295, CWE-319, CWE-327): TLS that does not verify the peer, protocol
 * versions below TLS 1.2, and database connections that skip certificate checks or go in clear.
 * Without verification anyone on the network path can impersonate the server and read or change
 * the traffic, credentials included.
 */
import { createRule } from "../src/create-rule.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { enclosingFunction, field, rootOf, unparen, walk } from "../src/semantic/ast.js";
import { importsOf } from "../src/semantic/imports.js";
import { MYSQL_TLS_CONFIG, POSTGRES_PLAINTEXT_SSLMODES, TLS_CONFIG } from "../src/semantic/library.js";
import { resolveLocal, typeOf } from "../src/semantic/types.js";
import { constValue, fieldAssignmentsOf, keyedElement, keyedValue } from "../src/semantic/values.js";
import { words } from "../src/semantic/secrets.js";
import { keyedElementRemoval } from "./cookie-flags.js";

type DsnMode = "remote" | "all" | "off";
type Options = [{ dsn?: DsnMode }];
type MessageIds = "skipVerify" | "oldVersion" | "mysqlSkipVerify" | "postgresPlaintext" | "removeSkipVerify" | "useTls12";

const VERSION_NAMES: Readonly<Record<number, string>> = { 0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1" };

/**
 * Words of an `if` condition that make the branch a deliberate, configured opt-out
 * (`if cfg.InsecureSkipVerify {`, `if skipTLSVerify {`, `if devMode {`): treated like
 * `InsecureSkipVerify: cfg.Insecure`, which is not reported.
 */
const OPT_OUT_WORDS = new Set([
  "insecure", "skip", "skipverify", "noverify", "unverified", "self", "selfsigned", "unsafe", "disable", "disabled",
  "dev", "development", "debug", "local", "test", "testing", "allowinsecure", "ignore",
]);

function mentionsOptOut(cond: GoNode): boolean {
  if (constValue(cond) !== undefined) return false;
  const optOut = (n: GoNode) => (n.type === "identifier" || n.type === "field_identifier") && !!n.text && words(n.text).some((w) => OPT_OUT_WORDS.has(w));
  let gated = optOut(cond);
  walk(cond, (n) => {
    if (optOut(n)) gated = true;
    return !gated;
  });
  return gated;
}

function returns(block: GoNode | undefined): boolean {
  let found = false;
  if (block) walk(block, (n) => {
    if (n.type === "return_statement") found = true;
    return !found && n.type !== "func_literal";
  });
  return found;
}

/**
 * Is `node` reached only through a configured switch: inside the body of an `if` on it
 * (`if cfg.SkipVerify { ... }`, also from a closure inside that body), or after an early
 * return on it (`if !c.SkipVerify { return ctx }`)? Up to the enclosing declared function.
 */
function configGated(node: GoNode): boolean {
  for (let child: GoNode = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type === "function_declaration" || p.type === "method_declaration") break;
    if (p.type === "if_statement") {
      const cond = field(p, "condition");
      if (cond && child !== cond && node.range[0] >= cond.range[1] && mentionsOptOut(cond)) return true;
    }
    if (p.type === "block" || p.type === "statement_list") {
      for (const stmt of p.children) {
        if (stmt.range[0] >= child.range[0]) break;
        if (stmt.type === "if_statement" && mentionsOptOut(field(stmt, "condition")!) && returns(field(stmt, "consequence"))) return true;
      }
    }
  }
  return false;
}

/** A host the DSN connects to: "local" (loopback, unix socket, single-label service name), "remote", or "unknown" (from configuration). */
type HostKind = "local" | "remote" | "unknown";

function hostKind(host: string | undefined): HostKind {
  if (host === undefined) return "unknown";
  const h = host.trim().replace(/^\[|\]$/gu, "").toLowerCase();
  if (/[%${}]/u.test(h)) return "unknown";
  if (h === "" || h.startsWith("/") || h.startsWith("@")) return "local";
  if (h === "localhost" || h.endsWith(".localhost") || h === "host.docker.internal" || h === "::1" || h === "0.0.0.0" || /^127\./u.test(h)) return "local";
  // A single label (`db`, `postgres`, `mysql`): a docker-compose / Kubernetes service name on a private network.
  if (/^[a-z0-9_-]+$/u.test(h) && !/^\d+$/u.test(h)) return "local";
  return "remote";
}

function worst(kinds: HostKind[]): HostKind {
  if (kinds.includes("remote")) return "remote";
  if (kinds.includes("unknown") || kinds.length === 0) return "unknown";
  return "local";
}

/** Hosts of a host list (`a:5432,b:5432`), ports dropped. */
function hostsOf(list: string): string[] {
  return list.split(",").map((h) => (h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.replace(/:[^:]*$/u, "")));
}

interface DsnFinding {
  kind: "postgres" | "mysql";
  value: string;
  host: HostKind;
  hostText?: string;
}

/** Postgres URL / key-value DSNs with sslmode=disable|allow, MySQL (go-sql-driver) DSNs with tls=skip-verify|preferred. */
function analyseDsn(s: string): DsnFinding | undefined {
  const pgUrl = /^(?:postgres|postgresql|pgx):\/\/([^/?#]*)[^?#]*\?([^#]*)/iu.exec(s.trim());
  if (pgUrl) {
    const mode = /(?:^|&)sslmode=([^&]*)/iu.exec(pgUrl[2])?.[1]?.toLowerCase();
    if (!mode || !POSTGRES_PLAINTEXT_SSLMODES.has(mode)) return undefined;
    const authority = pgUrl[1].slice(pgUrl[1].lastIndexOf("@") + 1);
    const hostParam = /(?:^|&)host=([^&]*)/iu.exec(pgUrl[2])?.[1];
    const hosts = authority ? hostsOf(authority) : hostParam ? [decodeURIComponent(hostParam)] : [""];
    return { kind: "postgres", value: mode, host: worst(hosts.map(hostKind)), hostText: hosts.join(",") };
  }
  const kv = /(?:^|\s)sslmode\s*=\s*'?([a-z-]+)/iu.exec(s);
  if (kv) {
    const mode = kv[1].toLowerCase();
    if (!POSTGRES_PLAINTEXT_SSLMODES.has(mode)) return undefined;
    const host = /(?:^|\s)(?:host|hostaddr)\s*=\s*'?([^\s']*)/iu.exec(s)?.[1];
    const looksLikeDsn = /(?:^|\s)(?:host|hostaddr|dbname|user|port|password)\s*=/iu.test(s);
    const hosts = host !== undefined ? hostsOf(host) : [];
    // Without host= libpq connects to the local unix socket.
    const kind = host !== undefined ? worst(hosts.map(hostKind)) : looksLikeDsn ? "local" : "unknown";
    return { kind: "postgres", value: mode, host: kind, hostText: host };
  }
  const my = /@(tcp6?|unix)?\(([^)]*)\)\/[^?]*\?(.*)$/iu.exec(s);
  if (my) {
    const tls = /(?:^|&)tls=([^&]*)/iu.exec(my[3])?.[1]?.toLowerCase();
    if (!tls || !(MYSQL_TLS_CONFIG.insecure as readonly string[]).includes(tls)) return undefined;
    const host = my[1]?.toLowerCase() === "unix" ? "/" : hostsOf(my[2])[0];
    return { kind: "mysql", value: tls, host: hostKind(host), hostText: my[2] };
  }
  return undefined;
}

export default createRule<Options, MessageIds>({
  name: "no-insecure-tls",
  // Sound: tls.Config / mysql.Config findings need the field name (literal key or assignment); connection strings
  // are this file's literals, matched case-insensitively (`sslmode=`, `tls=`), unless spelt with escapes.
  prefilter: /InsecureSkipVerify|MinVersion|MaxVersion|TLSConfig|sslmode|tls=|\\[xuU0-7]/iu,
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "TLS must verify certificates and use TLS 1.2 or later; database connections must not skip verification or go in clear",
      recommended: "error",
      security: {
        cwe: [295, 319, 327],
        securitySeverity: 7.4,
        precision: "high",
        frameworks: ["crypto/tls", "net/http", "go-sql-driver/mysql", "lib/pq", "pgx", "gorm"],
        tags: ["tls", "mitm", "crypto"],
      },
    },
    messages: {
      skipVerify:
        "`InsecureSkipVerify: true` turns off certificate verification: anyone on the network path can impersonate the server and read or change the traffic, credentials included. Trust the server's CA through `RootCAs` (an x509.CertPool) instead, or verify the certificate yourself in `VerifyPeerCertificate`.",
      oldVersion:
        "`{{field}}: {{version}}` lets connections use {{name}}, which has practical attacks and is deprecated (RFC 8996). Use `tls.VersionTLS12` or later.",
      mysqlSkipVerify:
        "MySQL `tls={{value}}` encrypts without verifying the server's certificate{{fallback}}: anyone on the network path to {{host}} can impersonate the database and read the password and the data. Register a tls.Config with the server's CA (mysql.RegisterTLSConfig) and use `tls=<name>`, or `tls=true`.",
      postgresPlaintext:
        "PostgreSQL `sslmode={{value}}` to {{host}} sends the password and every query and result in clear over the network. Use `sslmode=verify-full` (with `sslrootcert`), or at least `require`.",
      removeSkipVerify: "Remove `InsecureSkipVerify: true`",
      useTls12: "Use `{{tls}}.VersionTLS12`",
    },
    schema: [
      {
        type: "object",
        properties: {
          dsn: {
            enum: ["remote", "all", "off"],
            description:
              "Database connection strings: \"remote\" (default) reports sslmode=disable/allow only for constant remote hosts and tls=skip-verify/preferred unless the host is a constant local one; \"all\" reports them whatever the host; \"off\" skips connection strings.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ dsn: "remote" }],
  },
  create(context) {
    const dsnMode: DsnMode = context.options[0]?.dsn ?? "remote";
    const text = context.sourceCode.text;
    const reported = new Set<GoNode>();
    const report = (node: GoNode, messageId: MessageIds, data: Record<string, string>, suggest?: unknown[]) => {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data, ...(suggest?.length ? { suggest: suggest as never } : {}) });
    };

    const tlsName = (node: GoNode) => importsOf(rootOf(node)).localNameOf("tls") ?? "tls";

    /** A MinVersion/MaxVersion value below TLS 1.2. */
    const checkVersion = (name: string, value: GoNode, at: GoNode) => {
      const v = constValue(value);
      if (typeof v !== "number" || v >= TLS_CONFIG.minimumVersion || !VERSION_NAMES[v]) return;
      const t = tlsName(value);
      report(at, "oldVersion", { field: name, version: text.slice(value.range[0], value.range[1]), name: VERSION_NAMES[v] }, [
        { messageId: "useTls12", data: { tls: t }, fix: (fixer: { replaceTextRange(r: [number, number], s: string): unknown }) => fixer.replaceTextRange(value.range, `${t}.VersionTLS12`) },
      ]);
    };

    /** Does the code also set VerifyPeerCertificate / VerifyConnection on `operandText` in this function? */
    const verifiesItself = (scope: GoNode | null, operandText: string) => {
      if (!scope) return false;
      let found = false;
      walk(scope, (n) => {
        if (found) return false;
        if (n.type === "assignment_statement") {
          for (const l of field(n, "left")?.children ?? []) {
            if (l.type !== "selector_expression") continue;
            const f = field(l, "field")?.text ?? "";
            const op = field(l, "operand");
            if ((TLS_CONFIG.customVerification as readonly string[]).includes(f) && op && text.slice(op.range[0], op.range[1]) === operandText) found = true;
          }
        }
        return !found;
      });
      return found;
    };

    const checkDsn = (lit: GoNode) => {
      const v = constValue(lit);
      if (typeof v !== "string" || v.length > 2000) return;
      const finding = analyseDsn(v);
      if (!finding) return;
      const host = finding.hostText && finding.host !== "unknown" ? `\`${finding.hostText}\`` : "the database host";
      if (finding.kind === "postgres") {
        if (dsnMode === "remote" && finding.host !== "remote") return;
        report(lit, "postgresPlaintext", { value: finding.value, host });
      } else {
        if (dsnMode === "remote" && finding.host === "local") return;
        report(lit, "mysqlSkipVerify", { value: finding.value, host, fallback: finding.value === "preferred" ? " (and falls back to plaintext)" : "" });
      }
    };

    return {
      composite_literal(lit) {
        const t = typeOf(lit);
        if (t === TLS_CONFIG.type) {
          const assigned = fieldAssignmentsOf(lit);
          const get = (name: string) => {
            const later = assigned.get(name);
            if (later) return later;
            const value = keyedValue(lit, name);
            const el = keyedElement(lit, name);
            return value && el ? { value, at: el } : undefined;
          };
          const skip = get(TLS_CONFIG.skipVerify);
          if (skip && constValue(skip.value) === true && !TLS_CONFIG.customVerification.some((f) => get(f)) && !configGated(skip.at)) {
            const el = skip.at.type === "keyed_element" ? skip.at : undefined;
            report(skip.at, "skipVerify", {}, el ? [{ messageId: "removeSkipVerify", fix: (fixer: { removeRange(r: [number, number]): unknown }) => fixer.removeRange(keyedElementRemoval(text, el)) }] : []);
          }
          for (const f of TLS_CONFIG.versions) {
            const v = get(f);
            if (v) checkVersion(f, v.value, v.at);
          }
          return;
        }
        if (t === MYSQL_TLS_CONFIG.type && dsnMode !== "off") {
          const assigned = fieldAssignmentsOf(lit);
          const value = assigned.get(MYSQL_TLS_CONFIG.field)?.value ?? keyedValue(lit, MYSQL_TLS_CONFIG.field);
          const at = assigned.get(MYSQL_TLS_CONFIG.field)?.at ?? keyedElement(lit, MYSQL_TLS_CONFIG.field);
          const v = value ? constValue(value) : undefined;
          if (typeof v !== "string" || !(MYSQL_TLS_CONFIG.insecure as readonly string[]).includes(v.toLowerCase()) || !at) return;
          const addr = assigned.get("Addr")?.value ?? keyedValue(lit, "Addr");
          const addrValue = addr ? constValue(addr) : undefined;
          const net = constValue(assigned.get("Net")?.value ?? keyedValue(lit, "Net"));
          const kind = net === "unix" ? "local" : typeof addrValue === "string" ? hostKind(hostsOf(addrValue)[0]) : "unknown";
          if (dsnMode === "remote" && kind === "local") return;
          report(at, "mysqlSkipVerify", {
            value: v,
            host: typeof addrValue === "string" ? `\`${addrValue}\`` : "the database host",
            fallback: v.toLowerCase() === "preferred" ? " (and falls back to plaintext)" : "",
          });
        }
      },
      // `cfg.InsecureSkipVerify = true`, `tr.TLSClientConfig.MinVersion = tls.VersionTLS10` on configs built elsewhere.
      assignment_statement(stmt) {
        const left = field(stmt, "left")?.children ?? [];
        const right = field(stmt, "right")?.children ?? [];
        left.forEach((target, i) => {
          if (target.type !== "selector_expression" || !right[i]) return;
          const name = field(target, "field")?.text ?? "";
          const operand = field(target, "operand");
          const tlsField = name === TLS_CONFIG.skipVerify || (TLS_CONFIG.versions as readonly string[]).includes(name);
          if (!tlsField && !(name === MYSQL_TLS_CONFIG.field && dsnMode !== "off")) return;
          // A variable initialised with a literal in this function is checked with its literal.
          const o = unparen(operand);
          if (o?.type === "identifier") {
            const init = unparen(resolveLocal(o)?.value);
            const base = init?.type === "unary_expression" ? unparen(field(init, "operand")) : init;
            if (base?.type === "composite_literal") return;
          }
          const t = typeOf(operand);
          if (!tlsField) {
            // `cfg := mysql.NewConfig(); cfg.TLSConfig = "skip-verify"`: the address is not followed here.
            const v = constValue(right[i]);
            if (t === MYSQL_TLS_CONFIG.type && typeof v === "string" && (MYSQL_TLS_CONFIG.insecure as readonly string[]).includes(v.toLowerCase())) {
              report(stmt, "mysqlSkipVerify", { value: v, host: "the database host", fallback: v.toLowerCase() === "preferred" ? " (and falls back to plaintext)" : "" });
            }
            return;
          }
          if (t !== TLS_CONFIG.type) return;
          if (name === TLS_CONFIG.skipVerify) {
            if (constValue(right[i]) !== true || configGated(stmt)) return;
            if (verifiesItself(enclosingFunction(stmt), text.slice(operand!.range[0], operand!.range[1]))) return;
            report(stmt, "skipVerify", {});
          } else checkVersion(name, right[i], stmt);
        });
      },
      interpreted_string_literal(lit) {
        if (dsnMode !== "off") checkDsn(lit);
      },
      raw_string_literal(lit) {
        if (dsnMode !== "off") checkDsn(lit);
      },
    };
  },
});
