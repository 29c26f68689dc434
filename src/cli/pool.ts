/**
 * Linting with worker threads: whole packages (directories) are handed to workers one at a time,
 * so each worker builds a package model once. Each worker walks its own stretch of the packages
 * in path order (see PackageQueue) and then helps the others. Results come back in discovery
 * order whatever the thread count (output is byte-identical).
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

/**
 * The packages of a run, split into one contiguous stretch per worker, in path order. Packages
 * near each other in the tree import each other (and share the imports of their module), so a
 * worker that walks neighbours finds the imported packages' models still in its cache (in a
 * biggest-first order almost a fifth of all parses on moby were repeats). A worker whose stretch
 * is done takes packages from the end of the stretch with the most files left, which keeps the
 * owner's walk intact and the tail short.
 */
export class PackageQueue {
  readonly #stretches: string[][][];
  readonly #left: number[];
  constructor(packages: readonly string[][], workers: number) {
    const total = packages.reduce((n, p) => n + p.length, 0);
    this.#stretches = Array.from({ length: Math.max(1, workers) }, () => []);
    this.#left = this.#stretches.map(() => 0);
    let w = 0;
    let filled = 0;
    for (const p of packages) {
      // Move on to the next stretch once this one holds its share of the files.
      if (filled >= ((w + 1) * total) / this.#stretches.length && w < this.#stretches.length - 1) w++;
      this.#stretches[w].push(p);
      this.#left[w] += p.length;
      filled += p.length;
    }
  }
  /** The next package for worker `w`, or undefined when none are left anywhere. */
  next(w: number): string[] | undefined {
    const own = this.#stretches[w % this.#stretches.length];
    let p = own.shift();
    let from = w % this.#stretches.length;
    if (!p) {
      let most = -1;
      for (let i = 0; i < this.#stretches.length; i++) if (this.#stretches[i].length && (most < 0 || this.#left[i] > this.#left[most])) most = i;
      if (most < 0) return undefined;
      p = this.#stretches[most].pop()!;
      from = most;
    }
    this.#left[from] -= p.length;
    return p;
  }
  get size(): number {
    return this.#stretches.reduce((n, s) => n + s.length, 0);
  }
}

export async function lintWithWorkers(files: readonly string[], opts: EngineOptions, threads: number, heapMb = WORKER_HEAP_MB): Promise<LintRun> {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const d = path.dirname(f);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  const workers = Math.min(threads, byDir.size);
  const queue = new PackageQueue([...byDir.values()], workers);
  const done = new Map<string, FileResult | "generated">();
  const internalErrors: string[] = [];
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.js");
  // Each worker's heap is capped so that the garbage of many threads does not add up (V8 lets a
  // heap grow far beyond what is live before collecting): the live data of a package is small.
  // A batch that runs out of that heap is linted again in a worker without the cap.
  const start = (limited: boolean) =>
    new Worker(script, { workerData: opts, ...(limited ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}) });
  const drive = (id: number, limited: boolean, first?: string[], only = false): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const w = start(limited);
      let current: string[] | undefined;
      let ran = false;
      const next = () => {
        current = first ?? (only && ran ? undefined : queue.next(id));
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
        if (limited && e.code === "ERR_WORKER_OUT_OF_MEMORY" && current) drive(id, false, current, true).then(() => drive(id, true)).then(resolve, reject);
        // Out of heap while being told to stop (the queue was empty): no batch is lost.
        else if (limited && e.code === "ERR_WORKER_OUT_OF_MEMORY" && !current) resolve();
        else reject(e);
      });
      next();
    });
  await Promise.all(Array.from({ length: workers }, (_, id) => drive(id, true)));
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
