export { type AuditRouteDeps, auditRoutes } from "./audit-routes.js";
export { type VerifyPageOptions, verifyPageRoutes } from "../verify-page/verify-page-routes.js";
