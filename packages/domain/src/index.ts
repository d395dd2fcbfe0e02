// @aidtrail/domain — pure: no I/O, no clock, no randomness. Events and commands as zod schemas,
// money in integer fen, program rules as versioned data, and the deciders.

// shared
export * from "./shared/errors.js";
export * from "./shared/fen.js";
export * from "./shared/calendar-date.js";
export * from "./shared/period.js";
export * from "./shared/ids.js";
export * from "./shared/sealed-pii.js";
export * from "./shared/roles.js";
export * from "./shared/stream-ids.js";
export * from "./shared/canonical-json.js";
export * from "./shared/decider.js";

// household
export * from "./household/household-member.js";
export * from "./household/household-status.js";
export * from "./household/household-events.js";
export * from "./household/household-commands.js";
export * from "./household/household-state.js";
export * from "./household/household-decider.js";
export * from "./household/eligibility.js";

// program, rules and amounts
export * from "./program/program-rule.js";
export * from "./program/rules/amount-context.js";
export { Bps } from "./program/rules/rule-common.js";
export * from "./program/rules/household-project.js";
export * from "./program/rules/enterprise-dividend.js";
export * from "./program/rules/loan-interest.js";
export * from "./program/rules/solar-subsidy.js";
export * from "./program/rules/education-aid.js";
export * from "./program/rules/medical-aid.js";
export * from "./program/rules/housing-renovation.js";
export * from "./program/rules/dibao.js";
export * from "./program/rules/employment-wage.js";
export * from "./program/compute-amount.js";
export * from "./program/program-events.js";
export * from "./program/program-commands.js";
export * from "./program/program-state.js";
export * from "./program/program-decider.js";

// slot, stake, loan
export * from "./slot/slot-key.js";
export * from "./slot/slot.js";
export * from "./stake/stake.js";
export * from "./loan/loan.js";

// schedules
export * from "./schedules/act-365.js";
export * from "./schedules/schedule-status.js";
export * from "./schedules/dividend-schedule.js";
export * from "./schedules/loan-schedule.js";

// disbursement
export * from "./disbursement/disbursement-request.js";
export * from "./disbursement/disbursement-events.js";
export * from "./disbursement/disbursement-commands.js";
export * from "./disbursement/disbursement-state.js";
export * from "./disbursement/assess-disbursement.js";
export * from "./disbursement/disbursement-decider.js";

// verification (核查) and field-visit sampling
export * from "./verification/verification-events.js";
export * from "./verification/verification-commands.js";
export * from "./verification/verification-state.js";
export * from "./verification/verification-decider.js";
export * from "./verification/verification-sample.js";

// registries
export * from "./events.js";
export * from "./commands.js";
