export * from "./projection-waiters.js";
export * from "./start-projector.js";
