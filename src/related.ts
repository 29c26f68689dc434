/**
 * Related locations of a finding (SARIF `relatedLocations`, LSP `relatedInformation`): where the
 * handler of an unprotected route is defined, where it reads the user. ESLint's report API has
 * no place for them, so a rule records them here under the finding's position and the engine
 * attaches them to the lint message right after `verify`.
 */
import type { Linter } from "eslint";

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type MessageWithRelated = Linter.LintMessage & { relatedLocations?: RelatedLocation[] };

const pending = new Map<string, RelatedLocation[]>();
const key = (ruleId: string, file: string, line: number, column: number) => `${ruleId}\u0000${file}\u0000${line}\u0000${column}`;

/** Called by a rule when it reports at (line, column), 1-based as in the lint message. */
export function recordRelated(ruleId: string, file: string, line: number, column: number, related: RelatedLocation[]): void {
  if (!related.length) return;
  // Outside the engine (plain ESLint) nothing collects them: keep the map bounded.
  if (pending.size > 10_000) pending.clear();
  pending.set(key(ruleId, file, line, column), related);
}

/** Moves the recorded locations of `file` onto its messages (and forgets the rest of that file's). */
export function attachRelated(file: string, messages: Linter.LintMessage[]): void {
  if (!pending.size) return;
  for (const m of messages as MessageWithRelated[]) {
    if (!m.ruleId) continue;
    const k = key(m.ruleId, file, m.line, m.column);
    const r = pending.get(k);
    if (r) {
      m.relatedLocations = r;
      pending.delete(k);
    }
  }
  for (const k of pending.keys()) if (k.split("\u0000")[1] === file) pending.delete(k);
}
