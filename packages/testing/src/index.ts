export * from "./postgres-provider.js";
export * from "./test-database.js";
export * from "./township/index.js";
