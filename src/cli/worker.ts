/** A lint worker (see pool.ts): an Engine built from the same options, linting one package per message. */
import { parentPort, workerData } from "node:worker_threads";
import { Engine, type EngineOptions } from "./engine.js";
import type { WorkerReply } from "./pool.js";

const engine = new Engine(workerData as EngineOptions);
parentPort!.on("message", (files: string[]) => {
  const reply: WorkerReply = { results: [], internalErrors: [] };
  for (const f of files) {
    try {
      const r = engine.lintFile(f);
      reply.results.push(r === "generated" ? { filePath: f, generated: true } : r);
    } catch (e) {
      reply.internalErrors.push(`${f}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  parentPort!.postMessage(reply);
});
