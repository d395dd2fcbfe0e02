export * from "./eventstoredb-event-store.js";
export * from "./global-position.js";
