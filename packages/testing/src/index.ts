export * from "./postgres-provider.js";
export * from "./test-database.js";
export * from "./with-timeout.js";
export * from "./township/index.js";
