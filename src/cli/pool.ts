/**
 * Linting with worker threads: whole packages (directories) are handed to workers one at a time
 * from a shared queue, so each worker builds a package model once and the load balances itself.
 * Results come back in discovery order whatever the thread count (output is byte-identical).
 */
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { EngineOptions, LintRun } from "./engine.js";
import type { FileResult } from "../formatters/types.js";

export interface WorkerReply {
  results: Array<FileResult | { filePath: string; generated: true }>;
  internalErrors: string[];
}

/** The default thread count: one per core up to 4; small runs stay in-process. */
export function defaultThreads(files: number): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return files < 200 ? 1 : Math.max(1, Math.min(4, cores));
}

export async function lintWithWorkers(files: readonly string[], opts: EngineOptions, threads: number): Promise<LintRun> {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const d = path.dirname(f);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  // Biggest packages first: the tail of the run is then made of small ones.
  const queue = [...byDir.values()].sort((a, b) => b.length - a.length);
  const done = new Map<string, FileResult | "generated">();
  const internalErrors: string[] = [];
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.js");
  const workers = Array.from({ length: Math.min(threads, queue.length) }, () => new Worker(script, { workerData: opts }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const next = () => {
            const batch = queue.shift();
            if (batch) w.postMessage(batch);
            else void w.terminate().then(() => resolve());
          };
          w.on("message", (reply: WorkerReply) => {
            for (const r of reply.results) done.set(r.filePath, "generated" in r ? "generated" : r);
            internalErrors.push(...reply.internalErrors);
            next();
          });
          w.on("error", reject);
          next();
        }),
    ),
  );
  const results: FileResult[] = [];
  let generated = 0;
  for (const f of files) {
    const r = done.get(f);
    if (r === "generated") generated++;
    else if (r) results.push(r);
  }
  const order = new Map(files.map((f, i) => [f, i]));
  internalErrors.sort((a, b) => (order.get(a.split(": ")[0]) ?? 0) - (order.get(b.split(": ")[0]) ?? 0));
  return { results, generated, internalErrors };
}
