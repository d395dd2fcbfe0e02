// Entry of the leaf worker thread. A worker does not inherit the TypeScript loader the process
// registered in-process (bin/aidtrail.js, vitest), so it registers tsx itself, then runs the thread.
import { register } from "tsx/esm/api";

register();
await import("./leaf-worker-thread.ts");
