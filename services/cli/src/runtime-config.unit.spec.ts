import { ConfigError } from "@aidtrail/db";
import { describe, expect, it } from "vitest";
import { readRuntimeConfig } from "./runtime-config.js";

describe("AIDTRAIL_INLINE_PROJECTOR", () => {
  it("runs the projector inline unless told otherwise", () => {
    expect(readRuntimeConfig({}).AIDTRAIL_INLINE_PROJECTOR).toBe(true);
    expect(readRuntimeConfig({ AIDTRAIL_INLINE_PROJECTOR: "true" }).AIDTRAIL_INLINE_PROJECTOR).toBe(true);
    expect(readRuntimeConfig({ AIDTRAIL_INLINE_PROJECTOR: "false" }).AIDTRAIL_INLINE_PROJECTOR).toBe(false);
  });

  it("refuses anything but true or false, naming the variable", () => {
    expect(() => readRuntimeConfig({ AIDTRAIL_INLINE_PROJECTOR: "no" })).toThrow(ConfigError);
    expect(() => readRuntimeConfig({ AIDTRAIL_INLINE_PROJECTOR: "no" })).toThrow(/AIDTRAIL_INLINE_PROJECTOR/);
  });
});
