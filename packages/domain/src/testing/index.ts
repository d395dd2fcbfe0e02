// Test helpers for other packages (imports vitest; never part of the runtime API).
export * from "./given-when-then.js";
export * from "./fixtures.js";
