/** The package model: files of one directory analysed together, lazily, cached, invalidatable. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseGo } from "../src/language/parser.js";
import type { GoNode, SourceFileNode } from "../src/language/node-types.generated.js";
import { PackageCache, registerFile } from "../src/semantic/package.js";
import { typeOf } from "../src/semantic/types.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-pkg-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  "server.go": `package api

import (
	gormv2 "gorm.io/gorm"
	"github.com/redis/go-redis/v9"
)

type Base struct {
	Cache *redis.Client
}

type Server struct {
	Base
	db    *gormv2.DB
	repos *Repos
}

type Repos struct{ Users UserRepo }
type UserRepo struct{ conn *gormv2.DB }

const AllowAll = "*"
const Origins = AllowAll + ""
var DefaultDB *gormv2.DB
var inferred = gormv2.Open

func (s *Server) Store() *gormv2.DB { return s.db }
func newRepo() *UserRepo { return nil }
`,
  "handlers.go": `package api

func (s *Server) List() {
	a := s.db
	b := s.Cache
	c := s.repos.Users.conn
	d := s.Store()
	e := newRepo()
	f := DefaultDB
	g := s.db.Where("x").Order("y")
	_, _, _, _, _, _, _ = a, b, c, d, e, f, g
}
`,
  "other_test.go": "package api\n\nvar testOnly = 1\n",
  "tool.go": "//go:build ignore\n\npackage main\n\nvar fromMain = 1\n",
};
for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);

function ident(root: GoNode, name: string): GoNode {
  const stack = [root];
  let found: GoNode | undefined;
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "identifier" && n.text === name) found = n;
    stack.push(...n.children);
  }
  return found!;
}

describe("package model", () => {
  const cache = new PackageCache();
  const handlersPath = path.join(dir, "handlers.go");
  const { ast } = parseGo(files["handlers.go"]);
  registerFile(ast, handlersPath, cache);

  it("knows struct field types declared in a sibling file, through embedding and chains", () => {
    expect(typeOf(ident(ast, "a"))).toBe("gorm.DB");
    expect(typeOf(ident(ast, "b"))).toBe("redis.Client");
    expect(typeOf(ident(ast, "c"))).toBe("gorm.DB");
    expect(typeOf(ident(ast, "d"))).toBe("gorm.DB");
    expect(typeOf(ident(ast, "e"))).toBe("pkg.UserRepo");
    expect(typeOf(ident(ast, "f"))).toBe("gorm.DB");
    expect(typeOf(ident(ast, "g"))).toBe("gorm.DB");
  });

  it("evaluates package constants across files, and leaves out tests and other packages", () => {
    const model = cache.modelFor(handlersPath, ast);
    expect(model.constValue("Origins")).toBe("*");
    expect(model.values.has("testOnly")).toBe(false);
    expect(model.values.has("fromMain")).toBe(false);
    expect([...model.files.keys()].map((f) => path.basename(f)).sort()).toEqual(["handlers.go", "server.go"]);
  });

  it("is cached per directory and shares its sibling parses with the linter", () => {
    const m1 = cache.modelFor(handlersPath, ast);
    expect(cache.modelFor(handlersPath, ast)).toBe(m1);
    const serverPath = path.join(dir, "server.go");
    const reused = cache.takeParse(serverPath, files["server.go"]);
    expect(reused?.ast).toBe(m1.files.get(serverPath)!.ast);
    // Only for the same text: an edited buffer is parsed again.
    expect(cache.takeParse(serverPath, `${files["server.go"]}\n// edited\n`)).toBeUndefined();
    // A _test.go file gets its own model, built from the same parses.
    const testPath = path.join(dir, "other_test.go");
    const { ast: testAst } = parseGo(files["other_test.go"]);
    registerFile(testAst, testPath, cache);
    const mt = cache.modelFor(testPath, testAst);
    expect(mt).not.toBe(m1);
    expect(mt.values.has("testOnly")).toBe(true);
    expect(mt.files.get(serverPath)!.ast).toBe(m1.files.get(serverPath)!.ast);
    expect(cache.modelFor(handlersPath, ast)).toBe(m1);
  });

  it("sees unsaved editor buffers as overlays and rebuilds after invalidation", () => {
    const m1 = cache.modelFor(handlersPath, ast);
    cache.setOverlay(path.join(dir, "server.go"), files["server.go"].replace("db    *gormv2.DB", "db    *redis.Client"));
    const m2 = cache.modelFor(handlersPath, ast);
    expect(m2).not.toBe(m1);
    expect(typeOf(ident(ast, "a"))).toBe("redis.Client");
    cache.setOverlay(path.join(dir, "server.go"), undefined);
    expect(cache.modelFor(handlersPath, ast).fieldType("pkg.Server", "db")).toBe("gorm.DB");
  });

  it("gives a tree without a path a model of itself", () => {
    const { ast: lone } = parseGo('package x\nimport "gorm.io/gorm"\nvar db *gorm.DB\nfunc f() { q := db }\n');
    expect(typeOf(ident(lone as SourceFileNode, "q"))).toBe("gorm.DB");
  });
});

describe("a package reached through an import, then seen from inside", () => {
  it("keeps the later path's declaration of a name declared by two build variants, whatever order its files loaded in", () => {
    const mod = fs.mkdtempSync(path.join(os.tmpdir(), "goward-view-"));
    try {
      fs.writeFileSync(path.join(mod, "go.mod"), "module example.com/app\n\ngo 1.22\n");
      fs.mkdirSync(path.join(mod, "tok"));
      fs.mkdirSync(path.join(mod, "web"));
      // Two build variants of Token; "zeta" appears only in z_other.go, so a lookup of it loads that file first.
      fs.writeFileSync(path.join(mod, "tok", "a_linux.go"), "//go:build linux\n\npackage tok\n\nfunc Token() string { return \"a\" }\n\nfunc Alpha() string { return Token() }\n");
      fs.writeFileSync(path.join(mod, "tok", "z_other.go"), "//go:build !linux\n\npackage tok\n\nfunc Token() string { return \"z\" }\n\nfunc zeta() {}\n");
      fs.writeFileSync(path.join(mod, "web", "web.go"), 'package web\n\nimport "example.com/app/tok"\n\nvar t = tok.Token\n');
      const cache = new PackageCache();
      const webFile = path.join(mod, "web", "web.go");
      const imported = cache.modelForImport(webFile, "example.com/app/tok")!;
      expect(imported.funcs.get("zeta")?.file.path).toBe(path.join(mod, "tok", "z_other.go"));
      expect(imported.funcs.get("Alpha")?.file.path).toBe(path.join(mod, "tok", "a_linux.go"));
      expect(imported.funcs.get("Token")?.file.path).toBe(path.join(mod, "tok", "z_other.go"));
      // The file of Alpha, asking for its own package: a view of the same parses, same answer.
      const alphaRoot = imported.funcs.get("Alpha")!.file.ast;
      const own = cache.modelFor(path.join(mod, "tok", "a_linux.go"), alphaRoot);
      expect(own.importPath).toBeUndefined();
      expect(own.fileOf(alphaRoot)?.ast).toBe(alphaRoot);
      expect(own.funcs.get("Token")?.file.path).toBe(path.join(mod, "tok", "z_other.go"));
    } finally {
      fs.rmSync(mod, { recursive: true });
    }
  });
});
