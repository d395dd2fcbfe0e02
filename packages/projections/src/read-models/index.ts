import type { Projection } from "../runtime/projection.js";
import { anomaliesProjection } from "./anomalies/projection.js";
import { approvalQueueProjection } from "./approval-queue/projection.js";
import { balancesProjection } from "./balances/projection.js";
import { disbursementsProjection } from "./disbursements/projection.js";
import { dividendScheduleProjection } from "./dividend-schedule/projection.js";
import { householdFileProjection } from "./household-file/projection.js";
import { householdProfileProjection } from "./household-profile/projection.js";
import { loanScheduleProjection } from "./loan-schedule/projection.js";
import { programBudgetsProjection } from "./program-budgets/projection.js";
import { programVillageSummaryProjection } from "./program-village-summary/projection.js";

export { approvalQueueProjection, balancesProjection, disbursementsProjection, dividendScheduleProjection, householdFileProjection };
export { householdProfileProjection, loanScheduleProjection, programBudgetsProjection, programVillageSummaryProjection };
export { anomaliesProjection };

/** Every read model of issue 4, in the order the projector applies them within a batch. */
export const allProjections: Projection[] = [
  householdProfileProjection,
  balancesProjection,
  householdFileProjection,
  programBudgetsProjection,
  dividendScheduleProjection,
  loanScheduleProjection,
  approvalQueueProjection,
  disbursementsProjection,
  programVillageSummaryProjection,
  anomaliesProjection,
];

export * from "./anomalies/anomaly-rules.js";
export * from "./anomalies/queries.js";
export * from "./approval-queue/queries.js";
export * from "./balances/queries.js";
export * from "./disbursements/queries.js";
export * from "./dividend-schedule/queries.js";
export * from "./household-file/queries.js";
export * from "./household-profile/queries.js";
export * from "./loan-schedule/queries.js";
export * from "./program-budgets/queries.js";
export * from "./program-village-summary/queries.js";
export * from "./summary-report/summary-report.js";
export type { DisbursementStatus } from "./disbursements/projection.js";
export type { ProfileMember } from "./household-profile/projection.js";
