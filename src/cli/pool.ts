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

/** Old-generation heap of a worker (MB); see lintWithWorkers. */
export const WORKER_HEAP_MB = 1024;

/** The default thread count: one per core up to 4; small runs stay in-process. */
export function defaultThreads(files: number): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return files < 200 ? 1 : Math.max(1, Math.min(4, cores));
}

export async function lintWithWorkers(files: readonly string[], opts: EngineOptions, threads: number, heapMb = WORKER_HEAP_MB): Promise<LintRun> {
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
  // Each worker's heap is capped so that the garbage of many threads does not add up (V8 lets a
  // heap grow far beyond what is live before collecting): the live data of a package is small.
  // A batch that runs out of that heap is linted again in a worker without the cap.
  const start = (limited: boolean) =>
    new Worker(script, { workerData: opts, ...(limited ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}) });
  const drive = (limited: boolean, first?: string[], only = false): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const w = start(limited);
      let current: string[] | undefined;
      let ran = false;
      const next = () => {
        current = first ?? (only && ran ? undefined : queue.shift());
        first = undefined;
        ran = true;
        if (current) w.postMessage(current);
        else void w.terminate().then(() => resolve());
      };
      w.on("message", (reply: WorkerReply) => {
        for (const r of reply.results) done.set(r.filePath, "generated" in r ? "generated" : r);
        internalErrors.push(...reply.internalErrors);
        next();
      });
      w.on("error", (e: Error & { code?: string }) => {
        // The batch that ran out of heap gets an uncapped worker of its own; a fresh capped
        // worker then goes on with the queue.
        if (limited && e.code === "ERR_WORKER_OUT_OF_MEMORY" && current) drive(false, current, true).then(() => drive(true)).then(resolve, reject);
        else reject(e);
      });
      next();
    });
  await Promise.all(Array.from({ length: Math.min(threads, queue.length) }, () => drive(true)));
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
