/**
 * `partialFingerprints.primaryLocationLineHash`, computed the way GitHub's upload action
 * (github/codeql-action, src/fingerprints.ts) computes it, so that alerts keep their identity
 * across uploads whether or not the action recomputes them: a rolling hash (base 37, 64-bit
 * wrap-around) over the next 100 non-space, non-tab characters from the start of each line,
 * with CR, LF and CRLF normalised to LF, and a per-file occurrence counter (`hash:n`).
 */
const TAB = 9;
const SPACE = 32;
const LF = 10;
const CR = 13;
const EOF = 65535;
const BLOCK_SIZE = 100;
const MOD = 37n;
const MASK = (1n << 64n) - 1n;

const FIRST_MOD = (() => {
  let m = 1n;
  for (let i = 0; i < BLOCK_SIZE; i++) m = (m * MOD) & MASK;
  return m;
})();

/** The line hash of every line of `text` (the file as read from disk, BOM included), by 1-based line. */
export function lineHashes(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const window = new Array<number>(BLOCK_SIZE).fill(0);
  const lineNumbers = new Array<number>(BLOCK_SIZE).fill(-1);
  const counts = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;

  const output = () => {
    const value = hash.toString(16);
    const n = (counts.get(value) ?? 0) + 1;
    counts.set(value, n);
    out.set(lineNumbers[index], `${value}:${n}`);
    lineNumbers[index] = -1;
  };
  const update = (current: number) => {
    const begin = window[index];
    window[index] = current;
    hash = (MOD * hash + BigInt(current) - FIRST_MOD * BigInt(begin)) & MASK;
    index = (index + 1) % BLOCK_SIZE;
  };
  const processChar = (c: number) => {
    if (c === SPACE || c === TAB || (prevCR && c === LF)) {
      prevCR = false;
      return;
    }
    if (c === CR) {
      c = LF;
      prevCR = true;
    } else prevCR = false;
    if (lineNumbers[index] !== -1) output();
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineNumbers[index] = lineNumber;
    }
    if (c === LF) lineStart = true;
    update(c);
  };

  for (let i = 0; i < text.length; i++) processChar(text.charCodeAt(i));
  processChar(EOF);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (lineNumbers[index] !== -1) output();
    update(0);
  }
  return out;
}
