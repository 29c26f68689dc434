/**
 * A per-file time budget for the analysis. The engine opens it before linting a file; the
 * parse and the tree walks that rules and the semantic model do check it now and then, and
 * throw `BudgetExceeded` once it is spent, which the engine turns into a "skipped" diagnostic
 * for that one file instead of a run that hangs on a pathological input.
 */
import { performance } from "node:perf_hooks";

export const BUDGET_MARKER = "goward: per-file time budget exceeded";

export class BudgetExceeded extends Error {
  constructor() {
    super(BUDGET_MARKER);
  }
}

let deadline = Number.POSITIVE_INFINITY;
let ticks = 0;

/** Opens a budget of `ms` milliseconds for the current file (Infinity: none). */
export function openBudget(ms: number): void {
  deadline = Number.isFinite(ms) ? performance.now() + ms : Number.POSITIVE_INFINITY;
  ticks = 0;
}

export function closeBudget(): void {
  deadline = Number.POSITIVE_INFINITY;
}

/** Throws when the budget is spent; cheap enough for hot loops (reads the clock every 1,024 calls). */
export function checkBudget(): void {
  if ((++ticks & 1023) !== 0 || deadline === Number.POSITIVE_INFINITY) return;
  if (performance.now() > deadline) throw new BudgetExceeded();
}

/** Checks the clock now (after a costly step such as a parse). */
export function checkBudgetNow(): void {
  if (deadline !== Number.POSITIVE_INFINITY && performance.now() > deadline) throw new BudgetExceeded();
}
