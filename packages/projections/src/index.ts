export * from "./runtime/index.js";
export * from "./read-models/index.js";
