export * from "./app.js";
export * from "./auth/access-matrix.js";
export * from "./auth/dev-token.js";
export * from "./auth/principal.js";
export type { AuthKeys } from "./plugins/authentication.js";
export type { ProjectionWaiter } from "./plugins/command-handlers.js";
export * from "./problems/problem.js";
export * from "./problems/domain-error-status.js";
export * from "./reports/summary-report-formats.js";
