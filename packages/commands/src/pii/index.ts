export * from "./pii-keys.js";
export * from "./pii-field.js";
export * from "./data-key-store.js";
export * from "./postgres-data-key-store.js";
export * from "./pii-vault.js";
export * from "./dev-keys.js";
