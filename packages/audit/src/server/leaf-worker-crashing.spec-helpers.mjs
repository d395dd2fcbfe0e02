// A leaf worker that dies on every second batch it is given, before answering it (tests).
import { parentPort } from "node:worker_threads";

const answer = parentPort.postMessage.bind(parentPort);
let batches = 0;
parentPort.postMessage = (...args) => {
  if (++batches % 2 === 0) process.exit(7);
  answer(...args);
};
await import("./leaf-worker-entry.mjs");
