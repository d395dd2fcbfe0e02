import { describe, it } from "vitest";
import { SlotNotHeld, SlotTaken } from "../shared/errors.js";
import { deciderSpec } from "../testing/given-when-then.js";
import { slotDecider } from "./slot.js";
import { slotKey } from "./slot-key.js";

const { given } = deciderSpec(slotDecider);
const key = slotKey("prog-dibao", "h1", "2024-03");
const claimed = (disbursementId: string) => ({ type: "SlotClaimed" as const, data: { slotKey: key, disbursementId } });
const releasedEv = (disbursementId: string) => ({ type: "SlotReleased" as const, data: { slotKey: key, disbursementId, reason: "reversed" } });
const claim = (disbursementId: string) => ({ type: "ClaimSlot" as const, data: { slotKey: key, disbursementId } });
const release = (disbursementId: string) => ({ type: "ReleaseSlot" as const, data: { slotKey: key, disbursementId, reason: "reversed" } });

describe("slot decider: one payment per program, beneficiary and period (invariant 2)", () => {
  it("claims a free slot", () => given([]).when(claim("d1")).then([claimed("d1")]));
  it("a retry by the holder is a no-op", () => given([claimed("d1")]).when(claim("d1")).then([]));
  it("another disbursement is refused with slot_taken naming the holder", () =>
    given([claimed("d1")]).when(claim("d2")).thenThrows(SlotTaken, { code: "slot_taken", holderDisbursementId: "d1" }));
  it("after a reversal frees it, the period can be paid again", () => given([claimed("d1"), releasedEv("d1")]).when(claim("d2")).then([claimed("d2")]));
  it("the holder releases it; a retried release is a no-op", () => {
    given([claimed("d1")]).when(release("d1")).then([releasedEv("d1")]);
    given([claimed("d1"), releasedEv("d1")]).when(release("d1")).then([]);
  });
  it("a non-holder cannot release it", () => given([claimed("d1")]).when(release("d2")).thenThrows(SlotNotHeld));
});
