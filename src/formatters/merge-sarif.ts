/**
 * `goward merge-sarif`: combines the SARIF logs of several goward shards into one run, so that a
 * sharded CI job can upload a single file under one category.
 */
interface Run {
  tool: { driver: { rules?: Array<{ id: string }> } & Record<string, unknown> };
  invocations?: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }>;
  originalUriBaseIds?: Record<string, unknown>;
  artifacts?: Array<{ location: { uri: string; uriBaseId?: string } }>;
  results?: Array<{ ruleId: string; ruleIndex?: number; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri: string; uriBaseId?: string; index?: number } } }> }>;
  columnKind?: string;
}
interface Log {
  $schema?: string;
  version: string;
  runs: Run[];
}

export class MergeError extends Error {}

export function mergeSarif(logs: Log[]): string {
  const runs = logs.flatMap((l, i) => {
    if (l?.version !== "2.1.0" || !Array.isArray(l.runs)) throw new MergeError(`input ${i + 1} is not SARIF 2.1.0`);
    return l.runs;
  });
  if (runs.length === 0) throw new MergeError("no runs to merge");
  const first = runs[0];
  const rules = new Map<string, { id: string }>();
  for (const r of runs) for (const rule of r.tool.driver.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const ruleList = [...rules.values()].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(ruleList.map((r, i) => [r.id, i]));
  const artifacts: NonNullable<Run["artifacts"]> = [];
  const artifactIndex = new Map<string, number>();
  const results: NonNullable<Run["results"]> = [];
  const notifications: unknown[] = [];
  let ok = true;
  for (const run of runs) {
    ok &&= (run.invocations ?? []).every((inv) => inv.executionSuccessful);
    for (const inv of run.invocations ?? []) notifications.push(...(inv.toolExecutionNotifications ?? []));
    for (const res of run.results ?? []) {
      const copy = structuredClone(res);
      copy.ruleIndex = ruleIndex.get(copy.ruleId);
      for (const loc of copy.locations ?? []) {
        const al = loc.physicalLocation?.artifactLocation;
        if (!al) continue;
        const key = `${al.uriBaseId ?? ""}\0${al.uri}`;
        let idx = artifactIndex.get(key);
        if (idx === undefined) {
          idx = artifacts.length;
          artifacts.push({ location: { uri: al.uri, ...(al.uriBaseId ? { uriBaseId: al.uriBaseId } : {}) } });
          artifactIndex.set(key, idx);
        }
        delete al.index;
      }
      results.push(copy);
    }
  }
  const uriOf = (r: (typeof results)[number]) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
  results.sort((a, b) => (uriOf(a) < uriOf(b) ? -1 : uriOf(a) > uriOf(b) ? 1 : 0));
  const merged: Log = {
    ...(logs[0].$schema ? { $schema: logs[0].$schema } : {}),
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { ...first.tool.driver, rules: ruleList } },
        invocations: [{ executionSuccessful: ok, toolExecutionNotifications: notifications }],
        ...(first.originalUriBaseIds ? { originalUriBaseIds: first.originalUriBaseIds } : {}),
        results,
        columnKind: first.columnKind ?? "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(merged, null, 2)}\n`;
}
