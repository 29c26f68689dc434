import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Language, Parser } from "web-tree-sitter";
import { checkAbi, directCursor, fieldAllOf, fieldOf, grammarInfo, memoryReads, parseGo } from "../src/language/parser.js";
import type { GoNode } from "../src/language/node-types.generated.js";
import { generate, OUTPUT } from "../tools/generate-node-types.mjs";
import { ROOT, dump, fixtureGoFiles, lintWithEslint } from "./helpers.js";

const require = createRequire(import.meta.url);

function find(root: GoNode, pred: (n: GoNode) => boolean): GoNode | undefined {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) return n;
    stack.push(...n.children);
  }
  return undefined;
}

describe("grammar and parser", () => {
  it("loads the pinned tree-sitter-go wasm with an ABI web-tree-sitter supports", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies["tree-sitter-go"]).toBe("0.25.0");
    expect(pkg.dependencies["web-tree-sitter"]).toMatch(/^0\.27\.\d+$/u);
    expect(grammarInfo.abiVersion).toBeGreaterThanOrEqual(14);
  });

  it("fails loudly on an ABI mismatch", () => {
    const fake = { abiVersion: 99 } as unknown as Language;
    expect(() => checkAbi(fake)).toThrow(/ABI 99/u);
    const old = { abiVersion: 1 } as unknown as Language;
    expect(() => checkAbi(old)).toThrow(/npm ci/u);
  });

  it("the grammar file on disk is the one the pinned package ships", async () => {
    const wasm = fs.readFileSync(require.resolve("tree-sitter-go/tree-sitter-go.wasm"));
    await Parser.init();
    const lang = await Language.load(wasm);
    expect(lang.abiVersion).toBe(grammarInfo.abiVersion);
  });

  it("keeps the generated node types current with node-types.json", () => {
    expect(fs.readFileSync(OUTPUT, "utf8")).toBe(generate());
  });

  it("produces plain nodes with nested fields, parents and leaf text", () => {
    const { ast } = parseGo('package p\nfunc f() { x := a.(T) }\n');
    const ta = find(ast, (n) => n.type === "type_assertion_expression")!;
    expect(ta).toBeDefined();
    // Plain data: no tree-sitter object is reachable from a node; `range`, `loc`, a leaf's
    // `text`, `type` and `fields` are computed from offsets, type and field ids kept in private fields.
    expect(Object.keys(ta).sort()).toEqual(["children", "parent"]);
    expect(ta.fields).toBe(ta.fields); // built once per node, when first read
    expect(ta.range).toEqual([26, 31]);
    expect(ta.text).toBeUndefined(); // only leaves have text
    expect(ta.loc).toEqual({ start: { line: 2, column: 16 }, end: { line: 2, column: 21 } });
    const fields = ta.fields as Record<string, GoNode>;
    expect(fields.operand.text).toBe("a");
    expect(fields.type.text).toBe("T"); // the field literally called `type`
    expect(ta.type).toBe("type_assertion_expression");
    expect(ta.parent?.type).toBe("expression_list");
    const params = find(ast, (n) => n.type === "parameter_list")!;
    expect(params.children).toEqual([]);
  });

  it("answers fieldOf and fieldAllOf as its fields object does, on every node of the fixtures, whole and cut off", () => {
    const names = new Set<string>();
    let checked = 0;
    let anonymous = 0;
    const sources = fixtureGoFiles(true).map((f) => fs.readFileSync(f, "utf8"));
    for (const src of sources) {
      for (const text of [src, src.slice(0, Math.floor(src.length / 2))]) {
        const { ast } = parseGo(text);
        const stack: GoNode[] = [ast];
        while (stack.length) {
          const n = stack.pop()!;
          stack.push(...n.children);
          const fields = n.fields as Record<string, GoNode | GoNode[]>;
          for (const [k, v] of Object.entries(fields)) {
            names.add(k);
            const all = Array.isArray(v) ? v : [v];
            expect(fieldOf(n, k)).toBe(all[0]);
            expect(fieldAllOf(n, k)).toEqual(all);
            for (const f of all) if (!n.children.includes(f)) anonymous++;
            // Fields in the order of the text.
            for (let i = 1; i < all.length; i++) expect(all[i].range[0]).toBeGreaterThanOrEqual(all[i - 1].range[1]);
            checked++;
          }
          for (const k of ["name", "operator", "body", "no_such_field"]) {
            if (k in fields) continue;
            expect(fieldOf(n, k)).toBeUndefined();
            expect(fieldAllOf(n, k)).toEqual([]);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
    expect(anonymous).toBeGreaterThan(500); // operators: only in fields
    expect(names.size).toBeGreaterThan(25);
  });

  it("stores multiple-valued fields as arrays", () => {
    const { ast } = parseGo("package p\nfunc f(a, b int) {}\n");
    const decl = find(ast, (n) => n.type === "parameter_declaration")!;
    const names = (decl.fields as Record<string, GoNode[]>).name;
    expect(names.map((n) => n.text)).toEqual(["a", "b"]);
  });

  it("reports ranges and columns in UTF-16 code units with 1-based lines", () => {
    const src = 'package p\n// é😀\nvar s = "é😀" + x\n';
    const { ast } = parseGo(src);
    const x = find(ast, (n) => n.type === "identifier" && n.text === "x")!;
    expect(x.range).toEqual([src.indexOf("x"), src.indexOf("x") + 1]);
    expect(x.loc.start).toEqual({ line: 3, column: 'var s = "é😀" + '.length });
  });

  it("handles CRLF line endings", () => {
    const src = "package p\r\n\r\nfunc f() {\r\n\tx := y\r\n}\r\n";
    const { ast } = parseGo(src);
    const y = find(ast, (n) => n.text === "y")!;
    expect(y.loc.start.line).toBe(4);
    expect(src.slice(y.range[0], y.range[1])).toBe("y");
  });

  it("keeps comments out of the tree, with their values", () => {
    const { ast, comments } = parseGo("package p // trailing\n/* block */\nfunc f() {}\n");
    expect(comments.map((c) => [c.type, c.value])).toEqual([["Line", " trailing"], ["Block", " block "]]);
    expect(find(ast, (n) => n.type === "comment")).toBeUndefined();
  });

  it("recovers from syntax errors and records where", () => {
    const { ast, syntaxProblems } = parseGo("package p\nfunc f( {\n}\nfunc g() { x := a.(T) }\n");
    expect(syntaxProblems.length).toBeGreaterThan(0);
    expect(syntaxProblems[0].loc.start.line).toBe(2);
    expect(find(ast, (n) => n.type === "type_assertion_expression")).toBeDefined();
  });

  it("converts 10,000-deep nesting without overflowing the stack", () => {
    const depth = 10_000;
    const src = `package p\nvar x = ${"(".repeat(depth)}1${")".repeat(depth)}\n`;
    expect(() => parseGo(src)).not.toThrow();
  });

  it("converts through the wasm exports exactly as through web-tree-sitter's TreeCursor", () => {
    // The direct cursor relies on web-tree-sitter internals (its module object, the transfer
    // buffer): a version that changes them must fail here, not silently fall back.
    expect(directCursor).toBe(true);
    // So does the reading of offsets from wasm memory (tree-sitter's TreeCursor and Subtree layout).
    expect(memoryReads).toBe(true);
    const sources = fixtureGoFiles(true).map((f) => fs.readFileSync(f, "utf8"));
    // Non-ASCII text (two- and four-byte UTF-8, surrogate pairs in UTF-16) and tokens too long to be stored inline.
    sources.push(`package p // ☃\n\nvar s = "${"é𝄞".repeat(200)}" + \`${"x".repeat(500)}\`\n\nfunc f() { ü := "𝄞"; _ = ü }\n`);
    expect(sources.length).toBeGreaterThan(50);
    let broken = 0;
    for (const [i, src] of sources.entries()) {
      // Each fixture whole and cut off mid-way (syntax errors, MISSING tokens), a 10,000-deep nesting once.
      for (const text of [src, src.slice(0, Math.floor(src.length * ((i % 7) + 1) / 9))]) {
        const direct = parseGo(text);
        if (direct.syntaxProblems.length) broken++;
        expect(dump(direct)).toEqual(dump(parseGo(text, true)));
      }
    }
    expect(broken).toBeGreaterThan(20);
    const deep = `package p\nvar x = ${"[]int{".repeat(300)}1${"}".repeat(300)}\n`;
    expect(dump(parseGo(deep))).toEqual(dump(parseGo(deep, true)));
  });

  it("takes each field from the grammar exactly as tree-sitter reports it, also in broken code", () => {
    const sources = fixtureGoFiles(true).map((f) => fs.readFileSync(f, "utf8"));
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return n > 0 ? seed % n : 0;
    };
    let fields = 0;
    let broken = 0;
    for (const src of sources) {
      const lines = src.split("\n");
      const variants = [src, src.slice(0, next(src.length))];
      for (let k = 0; k < 3; k++) {
        const l = [...lines];
        const a = next(l.length);
        const b = next(l.length);
        if (k % 3 === 0) l.splice(a, 1);
        else if (k % 3 === 1) [l[a], l[b]] = [l[b], l[a]];
        else l.splice(a, 0, l[b]);
        variants.push(l.join("\n"));
        const c = next(src.length);
        if (k === 0) variants.push(src.slice(0, c) + src.slice(c + 1 + next(20)));
      }
      for (const text of variants) {
        const fromGrammar = parseGo(text);
        if (fromGrammar.syntaxProblems.length) broken++;
        const asked = dump(parseGo(text, false, true));
        expect(dump(fromGrammar)).toEqual(asked);
        fields += JSON.stringify(asked).split('"fields":{"').length - 1;
      }
    }
    expect(broken).toBeGreaterThan(100);
    expect(fields).toBeGreaterThan(10_000);
  });
});

describe("ESLint integration of the language", () => {
  it("strips the BOM and keeps columns right", () => {
    const src = '\uFEFFpackage p\nimport "github.com/gofiber/fiber/v2"\nfunc h(c *fiber.Ctx) error {\n\tid := c.Locals("id").(int)\n\treturn c.JSON(id)\n}\n';
    const msgs = lintWithEslint(src);
    expect(msgs.map((m) => [m.ruleId, m.line, m.column])).toEqual([["goward/no-unchecked-assertion", 4, 8]]);
  });

  it("reports a syntax error once per file, with line and column, and still lints the rest", () => {
    const src = [
      "package p",
      'import "github.com/gofiber/fiber/v2"',
      "func broken( {",
      "}",
      "func h(c *fiber.Ctx) error {",
      '\tid := c.Locals("id").(int)',
      "\treturn c.JSON(id)",
      "}",
      "func also( {",
      "",
    ].join("\n");
    const msgs = lintWithEslint(src);
    const syntax = msgs.filter((m) => m.ruleId === null);
    expect(syntax).toHaveLength(1);
    expect(syntax[0].message).toMatch(/^Go syntax error at 3:\d+: .*\(and \d+ more\)/u);
    expect(syntax[0].line).toBe(3);
    expect(syntax[0].fatal).toBeUndefined();
    expect(msgs.filter((m) => m.ruleId === "goward/no-unchecked-assertion").map((m) => m.line)).toEqual([6]);
  });

  it("does not crash rules on ERROR and MISSING nodes", () => {
    const inputs = [
      "package p\nfunc h(c *fiber.Ctx) error { x := c.Locals(.(int) }",
      "package p\nfunc h(c) { c.Locals(\"a\").( }",
      "package p\nimport \"context\"\nfunc f(ctx context.Context) { v := ctx.Value(k).(",
      "package p\nfunc (",
      "",
      "package",
    ];
    for (const src of inputs) expect(() => lintWithEslint(src)).not.toThrow();
  });

  it("supports ESLint selectors through the generated visitor keys", async () => {
    const { Linter } = await import("eslint");
    const plugin = (await import("../src/index.js")).default;
    const seen: string[] = [];
    const linter = new Linter({ configType: "flat", cwd: "/" });
    linter.verify(
      "package p\nfunc f() { g(a.b) }\n",
      [
        {
          files: ["**/*.go"],
          plugins: {
            goward: plugin as never,
            probe: {
              rules: {
                sel: {
                  create: () => ({
                    "call_expression > argument_list > selector_expression"(node: GoNode) {
                      seen.push(node.type);
                    },
                  }),
                },
              },
            },
          },
          language: "goward/go",
          rules: { "probe/sel": "error" },
        },
      ],
      { filename: "/x.go" },
    );
    expect(seen).toEqual(["selector_expression"]);
  });
});
