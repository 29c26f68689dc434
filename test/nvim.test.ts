/** A real editor: headless Neovim's built-in LSP client against `goward lsp`. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "./helpers.js";

const hasNvim = spawnSync("nvim", ["--version"], { encoding: "utf8" }).status === 0;

// .ci/run installs Debian's neovim; a developer machine without it skips this one test
// (the JSON-RPC test in lsp.test.ts still covers the protocol).
describe.skipIf(!hasNvim)("Neovim LSP client", () => {
  it("shows goward's diagnostics and applies a quick fix to the buffer", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goward-nvim-"));
    try {
      fs.writeFileSync(path.join(dir, "server.go"), 'package api\n\nimport "gorm.io/gorm"\n\ntype Server struct{ db *gorm.DB }\n');
      const file = path.join(dir, "handler.go");
      fs.writeFileSync(
        file,
        'package api\n\nimport "github.com/gofiber/fiber/v2"\n\nfunc (s *Server) Me(c *fiber.Ctx) error {\n\tid := c.Locals("userID").(uint)\n\tvar out []string\n\tif err := s.db.Where("id = ?", id).Find(&out).Error; err != nil {\n\t\treturn err\n\t}\n\treturn c.JSON(out)\n}\n',
      );
      const out = path.join(dir, "result.json");
      const r = spawnSync("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${path.join(ROOT, "test", "nvim", "lsp-client.lua")}`], {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, GOWARD_BIN: BIN, GOWARD_FILE: file, GOWARD_OUT: out },
      });
      expect(fs.existsSync(out), r.stderr).toBe(true);
      const res = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(res.error).toBeUndefined();
      expect(res.diagnostics.map((d: { code: string; line: number }) => [d.code, d.line]).sort()).toEqual([
        ["no-unchecked-assertion", 5],
        ["require-db-context", 7],
      ]);
      expect(res.diagnostics.every((d: { source: string }) => d.source === "goward")).toBe(true);
      expect(res.actions).toContain("Fix: require-db-context");
      expect(res.text).toContain("s.db.WithContext(c.UserContext()).Where(");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
