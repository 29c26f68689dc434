/**
 * Prefilters are sound: wherever a rule's prefilter does not match a file's text, the rule
 * itself (run without the prefilter) reports nothing there. Every fixture of every rule is
 * linted with all rules, as written and in variants (imports removed, imports aliased, dot
 * imports, comments between tokens), with the default options and with options that widen what the rules report; the
 * findings with and without prefilters must be identical, and every rule whose prefilter
 * rejects a text must have reported nothing on it.
 */
import fs from "node:fs";
import path from "node:path";
import { Linter } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { withoutPrefilter, type GoRule } from "../src/create-rule.js";
import { rules } from "../src/rules.js";
import { defaultPackageName } from "../src/semantic/imports.js";
import {
  BODY_BINDERS, BODY_READ_FUNCTIONS, BODY_READ_METHODS, DEFAULT_MUX_FUNCTIONS, EXIT_FUNCTIONS, EXIT_METHODS, JWT_PARSE_FUNCTIONS,
  JWT_PARSER_METHODS, LOG_FUNCTIONS, LOG_METHODS, MYSQL_TLS_CONFIG, ROUTE_METHODS, TLS_CONFIG, WEBSOCKET_ORIGIN_CONFIGS,
} from "../src/semantic/library.js";
import { packageCache } from "../src/semantic/package.js";
import { ROOT } from "./helpers.js";

const FIXTURES = path.join(ROOT, "fixtures");
const ids = Object.keys(rules).sort();
const filtered = ids.filter((id) => rules[id].prefilter);

/** Options that make the rules report more than by default (a prefilter must hold for every configuration). */
const WIDE: Record<string, unknown[]> = {
  "cookie-flags": [{ strict: true }],
  "jwt-require-claims": [{ maxLeeway: 0 }],
  "no-fatal-outside-main": [{ allowPackages: [], allowInit: false }],
  "no-ignored-error": [{ allow: [] }],
  "no-insecure-tls": [{ dsn: "all" }],
  "no-sql-injection": [{ nonConstant: "all" }],
  "no-weak-random": [{ names: ["voucher", "pairing"] }],
  "redis-ticket-single-use": [{ keyWords: ["pairing", "voucher"] }],
  "redis-ticket-ttl": [{ keyWords: ["pairing", "voucher"] }],
  "require-body-limit": [{ checkBinders: true, maxBodyLimit: 1 }],
  "require-db-context": [{ reportWithoutContext: true }],
  "require-http-timeout": [{ checkFrameworkServers: true }],
  "require-stable-pagination": [{ reportLimitWithoutOffset: true }],
  "websocket-check-origin": [{ checkFiberDefault: true }],
};

function linter(ruleSet: Record<string, GoRule>, wide: boolean): (text: string, file: string) => Linter.LintMessage[] {
  const p = { meta: { name: "goward" }, languages: plugin.languages, rules: ruleSet };
  const config: Linter.Config[] = [
    {
      files: ["**/*.go"],
      plugins: { goward: p as never },
      language: "goward/go",
      rules: Object.fromEntries(ids.map((id) => [`goward/${id}`, wide && WIDE[id] ? ["error", ...WIDE[id]] : "error"])) as Linter.RulesRecord,
    },
  ];
  const l = new Linter({ configType: "flat", cwd: "/" });
  return (text, file) => l.verify(text, config, { filename: file });
}

const unfiltered = Object.fromEntries(ids.map((id) => [id, withoutPrefilter(rules[id])]));
const runs = {
  withDefault: linter(rules, false),
  withoutDefault: linter(unfiltered, false),
  withWide: linter(rules, true),
  withoutWide: linter(unfiltered, true),
};

// ---------------------------------------------------------------------------------------------
// Text variants

const IMPORT_BLOCK = /^import\s*\(([\s\S]*?)^\)/mu;
const IMPORT_LINE = /^import\s+((?:[\w.]+\s+)?(?:"[^"]*"|`[^`]*`))/gmu;
const SPEC = /^\s*([\w.]+\s+)?("[^"]*"|`[^`]*`)/u;

interface Spec {
  alias?: string;
  path: string;
  /** The text of the spec, to replace. */
  raw: string;
}

function importSpecs(text: string): Spec[] {
  const out: Spec[] = [];
  const block = IMPORT_BLOCK.exec(text);
  if (block) {
    for (const line of block[1].split("\n")) {
      const m = SPEC.exec(line);
      if (m) out.push({ alias: m[1]?.trim(), path: m[2].slice(1, -1), raw: m[0].trim() });
    }
  }
  for (const m of text.matchAll(IMPORT_LINE)) {
    const s = SPEC.exec(m[1]);
    if (s) out.push({ alias: s[1]?.trim(), path: s[2].slice(1, -1), raw: m[1].trim() });
  }
  return out;
}

/** Every import declaration removed: names of packages no longer resolve. */
function withoutImports(text: string): string {
  return text.replace(IMPORT_BLOCK, "").replace(IMPORT_LINE, "");
}

/** Every named import given an unrelated alias (`jwt` → `zz3`), its uses renamed. */
function aliased(text: string): string {
  let out = text;
  importSpecs(text).forEach((s, i) => {
    const local = s.alias ?? defaultPackageName(s.path);
    if (local === "_" || local === ".") return;
    const alias = `zz${i}`;
    out = out.replace(s.raw, `${alias} "${s.path}"`).replace(new RegExp(`\\b${local}\\.`, "gu"), `${alias}.`);
  });
  return out;
}

/** Every named import made a dot import, its qualifier dropped. */
function dotImported(text: string): string {
  let out = text;
  for (const s of importSpecs(text)) {
    const local = s.alias ?? defaultPackageName(s.path);
    if (local === "_" || local === ".") continue;
    out = out.replace(s.raw, `. "${s.path}"`).replace(new RegExp(`(?<![\\w.])${local}\\.`, "gu"), "");
  }
  return out;
}

/** Comments between the tokens of type assertions and selector calls (a block comment in `x.(T)`, a line comment after `c.`). */
function commented(text: string): string {
  return text.replace(/\.\(/gu, ". /* c */ (").replace(/\b(\w+)\.([A-Z]\w*)\(/gu, "$1. // c\n$2(");
}

const VARIANTS: Record<string, (t: string) => string> = { original: (t) => t, withoutImports, aliased, dotImported, commented };

// ---------------------------------------------------------------------------------------------

const fixtureFiles = (fs.readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".go"))
  .sort()
  .map((f) => path.join(FIXTURES, f));

/** Per rule: texts its prefilter rejected, and texts it matched on which the rule reported. */
const stats = Object.fromEntries(filtered.map((id) => [id, { rejected: 0, reportedWhereMatched: 0 }]));

function byRule(messages: Linter.LintMessage[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of messages) {
    const id = (m.ruleId ?? "").replace(/^goward\//u, "");
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(`${m.line}:${m.column} ${m.messageId ?? m.message}`);
  }
  return out;
}

afterAll(() => packageCache.clear());

describe("prefilters", () => {
  it("are plain regular expressions without the g or y flag (test() must not keep state)", () => {
    expect(filtered.length).toBeGreaterThan(0);
    for (const id of filtered) {
      const re = rules[id].prefilter!;
      expect(re).toBeInstanceOf(RegExp);
      expect(re.flags, id).not.toMatch(/[gy]/u);
    }
  });

  it("withoutPrefilter gives the rule's own create for every rule", () => {
    for (const id of ids) {
      const u = withoutPrefilter(rules[id]);
      expect(u.prefilter).toBeUndefined();
      expect(u.meta).toBe(rules[id].meta);
      if (!rules[id].prefilter) expect(u.create).toBe(rules[id].create);
    }
  });

  it("match every name of the library tables the rules key on", () => {
    const must = (id: string, names: Iterable<string>, wrap = (n: string) => `x.${n}(`) => {
      for (const n of names) expect(rules[id].prefilter!.test(wrap(n)), `${id}: ${n}`).toBe(true);
    };
    must("no-fatal-outside-main", [...Object.values(EXIT_FUNCTIONS), ...Object.values(EXIT_METHODS)].flatMap((m) => Object.keys(m ?? {})));
    must("no-secret-logging", [...Object.values(LOG_FUNCTIONS), ...Object.values(LOG_METHODS)].flatMap((m) => Object.keys(m ?? {})));
    must("no-secret-logging", ["Fprint", "Fprintf", "Fprintln", "Infow", "Errorf", "Warningf", "Tracef", "Logf", "Println"]);
    must("require-body-limit", [
      ...Object.values(BODY_READ_FUNCTIONS).flatMap((m) => Object.keys(m ?? {})),
      ...Object.values(BODY_READ_METHODS).flatMap((s) => [...s]),
      ...Object.values(BODY_BINDERS).flatMap((s) => [...s]),
      "BodyLimit",
    ]);
    must("websocket-check-origin", Object.values(WEBSOCKET_ORIGIN_CONFIGS).flatMap((s) => [s.check, s.origins?.field, s.skipVerify].filter((f): f is string => !!f)));
    must("jwt-require-algorithm", [
      ...Object.values(JWT_PARSE_FUNCTIONS).flatMap((m) => Object.keys(m ?? {})),
      ...Object.keys(JWT_PARSER_METHODS),
      "GetSigningMethod", "ParseUnverified", "SigningMethodNone", "UnsafeAllowNoneSignatureType", "KeyFunc",
    ]);
    must("no-insecure-tls", [TLS_CONFIG.skipVerify, ...TLS_CONFIG.versions, MYSQL_TLS_CONFIG.field]);
    for (const imp of ["net/http", "github.com/gofiber/fiber/v2", "github.com/gin-gonic/gin", "github.com/labstack/echo/v4", "github.com/go-chi/chi/v5", "github.com/gorilla/mux"]) {
      must("require-auth-middleware", [...Object.values(ROUTE_METHODS).flatMap((m) => Object.keys(m)), ...DEFAULT_MUX_FUNCTIONS], (n) => `import "${imp}"\nfunc f() { r.${n}("/x", h) }`);
    }
    // A file that imports no framework can register routes on a router built elsewhere.
    expect(rules["require-auth-middleware"].prefilter!.test('package main\nfunc main() { r := router.New(); r.GET("/swagger/*", h) }')).toBe(true);
    expect(rules["require-auth-middleware"].prefilter!.test('package x\nimport "net/http"\nfunc f(w http.ResponseWriter) { w.WriteHeader(204) }')).toBe(false);
  });

  for (const file of fixtureFiles) {
    const rel = path.relative(FIXTURES, file);
    it(`${rel}: no finding hidden, in any variant or configuration`, () => {
      const original = fs.readFileSync(file, "utf8");
      const problems: string[] = [];
      for (const [variant, make] of Object.entries(VARIANTS)) {
        const text = make(original);
        if (variant !== "original" && text === original) continue;
        // The package model and the route inventory read the variant as the file's content.
        if (variant !== "original") packageCache.setOverlay(file, text);
        try {
          for (const mode of ["Default", "Wide"] as const) {
            const withP = byRule(runs[`with${mode}`](text, file));
            const withoutP = byRule(runs[`without${mode}`](text, file));
            const syntax = withoutP.get("") ?? [];
            if (variant === "original" && syntax.length) problems.push(`syntax errors: ${syntax.join("; ")}`);
            for (const id of ids) {
              const a = withP.get(id) ?? [];
              const b = withoutP.get(id) ?? [];
              const where = `${variant}/${mode} ${id}`;
              if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${where}: with prefilters ${JSON.stringify(a)}, without ${JSON.stringify(b)}`);
              const re = rules[id].prefilter;
              if (!re) continue;
              if (!re.test(text)) {
                stats[id].rejected++;
                if (b.length) problems.push(`${where}: prefilter ${re} rejects the text but the rule reports ${JSON.stringify(b)}`);
              } else if (b.length) stats[id].reportedWhereMatched++;
            }
          }
        } finally {
          if (variant !== "original") packageCache.setOverlay(file, undefined);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("reject some fixtures and keep those their rule reports on (every prefilter is exercised both ways)", () => {
    for (const id of filtered) {
      expect(stats[id].rejected, `${id} rejected nothing`).toBeGreaterThan(0);
      expect(stats[id].reportedWhereMatched, `${id} matched no reporting text`).toBeGreaterThan(0);
    }
  });
});
