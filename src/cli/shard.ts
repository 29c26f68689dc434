/** `--shard I/N`: a deterministic split of the files by package directory, for CI matrices. */
import crypto from "node:crypto";
import path from "node:path";

export function parseShard(v: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/u.exec(v);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** Files whose package directory (relative to `root`) hashes to shard `index` of `count`. */
export function shardFiles(files: readonly string[], root: string, index: number, count: number): string[] {
  return files.filter((f) => {
    const dir = path.relative(root, path.dirname(f)).split(path.sep).join("/");
    const h = crypto.createHash("sha1").update(dir).digest().readUInt32BE(0);
    return h % count === index - 1;
  });
}
