import type { DomainRecordedEvent } from "../shared/domain-event.js";

/**
 * The compact line the household file shows for an event: what changed, never personal data
 * in the clear (national ids appear masked, bank accounts not at all).
 */
export function summarize(e: DomainRecordedEvent): Record<string, unknown> {
  switch (e.type) {
    case "HouseholdRegistered":
      return {
        villageId: e.data.villageId,
        headMemberId: e.data.headMemberId,
        members: e.data.members.length,
        povertyCause: e.data.povertyCause,
        registeredOn: e.data.registeredOn,
      };
    case "HouseholdStatusChanged":
      return { from: e.data.from, to: e.data.to, reason: e.data.reason, effectiveOn: e.data.effectiveOn };
    case "MemberCorrected": {
      const d = e.data;
      const show = (v: unknown) => (d.field === "nationalId" ? (v as { masked: string }).masked : v);
      return { memberId: d.memberId, field: d.field, oldValue: show(d.oldValue), newValue: show(d.newValue), reason: d.reason };
    }
    case "MemberAdded":
      return { memberId: e.data.member.memberId, name: e.data.member.name, relation: e.data.member.relation, reason: e.data.reason };
    case "StakeRecorded":
      return {
        stakeId: e.data.stakeId,
        enterprise: e.data.enterprise,
        investedFen: e.data.investedFen,
        annualDividendFen: e.data.annualDividendFen,
        firstYear: e.data.firstYear,
        years: e.data.years,
      };
    case "LoanRecorded":
      return {
        loanId: e.data.loanId,
        principalFen: e.data.principalFen,
        use: e.data.use,
        issuedOn: e.data.issuedOn,
        termMonths: e.data.termMonths,
        annualRateBps: e.data.annualRateBps,
      };
    case "DisbursementInitiated": {
      const r = e.data.request;
      return { period: r.period, amountFen: r.amountFen, memberId: r.memberId ?? null, paidOn: r.paidOn, channel: r.channel, preparedBy: e.data.preparedBy };
    }
    case "DisbursementRecorded":
      return { status: e.data.status, amountFen: e.data.amountFen, period: e.data.period, memberId: e.data.memberId, ruleVersion: e.data.ruleVersion };
    case "DisbursementRefused":
      return { code: e.data.code, message: e.data.message };
    case "DisbursementApproved":
      return { by: e.data.by };
    case "DisbursementRejected":
      return { by: e.data.by, reason: e.data.reason };
    case "DisbursementReversed":
      return { by: e.data.by, reason: e.data.reason };
    case "VerificationRecorded": {
      const d = e.data;
      return { disbursementId: d.disbursementId, outcome: d.outcome, observedAmountFen: d.observedAmountFen, visitedOn: d.visitedOn, method: d.method, inspector: d.inspector };
    }
    case "CaseOpened":
      return { caseId: e.data.caseId, disbursementId: e.data.disbursementId, reason: e.data.reason, openedOn: e.data.openedOn };
    case "CaseClosed":
      return { caseId: e.data.caseId, disbursementId: e.data.disbursementId, resolution: e.data.resolution, closedOn: e.data.closedOn };
    default:
      return {};
  }
}
