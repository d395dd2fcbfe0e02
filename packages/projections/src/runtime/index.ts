export * from "./checkpoint-store.js";
export * from "./checksum.js";
export * from "./lease.js";
export * from "./projection.js";
export * from "./projector.js";
export * from "./projector-loop.js";
export * from "./rebuild.js";
export * from "./status.js";
