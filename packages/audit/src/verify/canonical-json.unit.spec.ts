import { describe, expect, it } from "vitest";
import { canonicalize, canonicalJsonBytes, NotCanonicalisableError } from "./canonical-json.js";
import { toHex } from "./bytes.js";

describe("RFC 8785 canonical JSON", () => {
  it("canonicalises the §3.2.2 example (numbers, escaping, literals)", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("emits UTF-8 bytes", () => {
    expect(toHex(canonicalJsonBytes({ s: "€" }))).toBe("7b2273223a22e282ac227d");
  });

  it("sorts members by UTF-16 code units (§3.2.3 example)", () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const values = Object.values(JSON.parse(canonicalize(input)) as Record<string, string>);
    expect(canonicalize(input).startsWith('{"\\r":')).toBe(true);
    const order = [...canonicalize(input).matchAll(/":"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face",
      "Hebrew Letter Dalet With Dagesh",
    ]);
    expect(values).toHaveLength(7);
  });

  it("sorts nested objects and keeps array order", () => {
    expect(canonicalize({ z: { b: 1, a: [3, 1, { d: 0, c: 0 }] }, a: {} })).toBe('{"a":{},"z":{"a":[3,1,{"c":0,"d":0}],"b":1}}');
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their serialisation.
  const appendixB: [string, string][] = [
    ["0000000000000000", "0"],
    ["8000000000000000", "0"],
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ];
  const double = (bits: string) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt(`0x${bits}`));
    return view.getFloat64(0);
  };
  it.each(appendixB)("serialises the double 0x%s as %s", (bits, expected) => {
    expect(canonicalize(double(bits))).toBe(expected);
  });

  it.each([
    ["NaN (7fffffffffffffff)", double("7fffffffffffffff")],
    ["Infinity (7ff0000000000000)", double("7ff0000000000000")],
    ["undefined", undefined],
    ["a bigint", 1n],
    ["a Date", new Date(0)],
    ["a lone surrogate", "\ud800x"],
    ["a lone surrogate in a key", { "\udc00": 1 }],
    ["a nested undefined", { a: [1, undefined] }],
    ["a sparse array", Object.assign(new Array(3), { 0: 1, 2: 3 })],
    ["a class instance", new (class Point {})()],
    ["a function", () => 1],
  ])("rejects %s", (_, value) => {
    expect(() => canonicalize(value)).toThrow(NotCanonicalisableError);
  });

  it("rejects cycles instead of overflowing the stack", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalize(a)).toThrow(NotCanonicalisableError);
  });
});
