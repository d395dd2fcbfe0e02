import { describe, expect, it } from "vitest";
import { formatCheckpoint, signCheckpoint } from "./checkpoint.js";
import { emptyRoot } from "./merkle-hash.js";
import { generateNoteKey, noteSignerFromKey } from "./signed-note.js";
import { openCheckpoint, parseCheckpoint } from "./verify/checkpoint.js";
import { VerificationError } from "./verify/errors.js";

const root = emptyRoot();

describe("C2SP tlog-checkpoint", () => {
  it("formats origin, size and base64 root, one per line", () => {
    expect(formatCheckpoint({ origin: "aidtrail.example/log", size: 0, root })).toBe(
      "aidtrail.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
    );
  });

  it("parses what it formats, extension lines included", () => {
    const text = formatCheckpoint({ origin: "o", size: 12345, root, extensions: ["ext one"] });
    expect(parseCheckpoint(text)).toEqual({ origin: "o", size: 12345, root, extensions: ["ext one"] });
  });

  it.each([
    ["a leading zero", "o\n012\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"],
    ["a negative size", "o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"],
    ["an unsafe size", "o\n9007199254740993\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"],
    ["a short root", "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuA==\n"],
    ["no origin", "\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"],
    ["no final newline", "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
  ])("rejects %s", (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(VerificationError);
  });

  it("opens a signed checkpoint with a trusted key and checks its origin", async () => {
    const key = generateNoteKey("aidtrail.example/log");
    const note = signCheckpoint({ origin: "aidtrail.example/log", size: 7, root }, [noteSignerFromKey(key.signerKey)]);
    const opened = await openCheckpoint(note, [key.verifierKey], "aidtrail.example/log");
    expect(opened.size).toBe(7);
    expect(opened.verifiedBy).toEqual([key.verifierKey]);
    await expect(openCheckpoint(note, [key.verifierKey], "other.example/log")).rejects.toThrow(VerificationError);
    await expect(openCheckpoint(note.replace("\n7\n", "\n8\n"), [key.verifierKey])).rejects.toThrow(VerificationError);
  });
});
