export * from "./errors.js";
export * from "./event-store.js";
export * from "./event-validation.js";
export * from "./group-commit.js";
export * from "./in-memory-event-store.js";
export * from "./poller.js";
export * from "./postgres-event-store.js";
export * from "./event-store-from-env.js";
export { copyJson, copyScriptQuery, copyText } from "./copy-script.js";
