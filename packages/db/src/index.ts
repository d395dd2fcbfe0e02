export * from "./config.js";
export * from "./connection.js";
export type * from "./database.js";
export * from "./database-from-config.js";
export * from "./database-unreachable.js";
export * from "./embedded-postgres.js";
export * from "./migrate.js";
export { migrations } from "./migrations/index.js";
