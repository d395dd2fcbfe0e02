import { describe, expect, it } from "vitest";
import { AmountInvalid } from "./errors.js";
import { Fen, PositiveFen, fenFromYuan, requireNonNegativeFen, requirePositiveFen } from "./fen.js";

describe("Fen", () => {
  it("accepts safe integers and refuses floats, NaN, Infinity, strings and unsafe integers", () => {
    expect(Fen.safeParse(380_000).success).toBe(true);
    for (const bad of [12.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, "100", 2 ** 53, null]) {
      expect(Fen.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it("PositiveFen refuses zero and negative amounts; one fen is the smallest payment", () => {
    expect(PositiveFen.safeParse(0).success).toBe(false);
    expect(PositiveFen.safeParse(-1).success).toBe(false);
    expect(PositiveFen.safeParse(1).success).toBe(true);
  });

  it("requirePositiveFen throws amount_invalid for zero, negative, float and string", () => {
    for (const bad of [0, -100, 12.5, "12", Number.NaN]) {
      expect(() => requirePositiveFen("amountFen", bad)).toThrow(AmountInvalid);
    }
    expect(requirePositiveFen("amountFen", 1)).toBe(1);
    expect(requireNonNegativeFen("x", 0)).toBe(0);
    expect(() => requireNonNegativeFen("x", -1)).toThrow(AmountInvalid);
  });

  it("converts integer yuan to fen and refuses fractional yuan", () => {
    expect(fenFromYuan(3800)).toBe(380_000);
    expect(() => fenFromYuan(12.5)).toThrow(AmountInvalid);
  });

  it("an amount_invalid error carries a stable code", () => {
    try {
      requirePositiveFen("amountFen", 0);
    } catch (e) {
      expect(e).toMatchObject({ code: "amount_invalid" });
    }
  });
});
