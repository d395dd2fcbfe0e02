import { describe, expect, it } from "vitest";
import { formatVerifierKey, generateNoteKey, noteSignerFromKey, signNote } from "./signed-note.js";
import { toBase64 } from "./verify/bytes.js";
import { VerificationError } from "./verify/errors.js";
import { openSignedNote, parseSignedNote, parseVerifierKey } from "./verify/signed-note.js";

// Published example of golang.org/x/mod/sumdb/note (the C2SP reference implementation).
const GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof VerificationError && e.code === code);

describe("C2SP signed notes", () => {
  it("reproduces the Go sumdb/note example byte for byte and verifies it", async () => {
    const signer = noteSignerFromKey(GO_SIGNER);
    expect(signer.verifierKey).toBe(GO_VERIFIER);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_NOTE);
    expect(await openSignedNote(GO_NOTE, [GO_VERIFIER])).toEqual({ text: GO_TEXT, verifiedBy: [GO_VERIFIER] });
  });

  it("round-trips a note signed with a generated key", async () => {
    const key = generateNoteKey("aidtrail.example/log");
    const note = signNote("hello\n", [noteSignerFromKey(key.signerKey)]);
    expect((await openSignedNote(note, [key.verifierKey])).text).toBe("hello\n");
    expect((await parseVerifierKey(key.verifierKey)).name).toBe("aidtrail.example/log");
  });

  it("given two signers (key rotation), when either key is trusted, then the note verifies", async () => {
    const old = generateNoteKey("aidtrail.example/log");
    const next = generateNoteKey("aidtrail.example/log");
    const note = signNote("rotating\n", [old, next].map((k) => noteSignerFromKey(k.signerKey)));
    expect((await openSignedNote(note, [old.verifierKey])).verifiedBy).toEqual([old.verifierKey]);
    expect((await openSignedNote(note, [next.verifierKey])).verifiedBy).toEqual([next.verifierKey]);
    expect((await openSignedNote(note, [old.verifierKey, next.verifierKey])).verifiedBy).toHaveLength(2);
  });

  it("ignores signatures from unknown keys, including ones sharing a name", async () => {
    const trusted = generateNoteKey("aidtrail.example/log");
    const stranger = generateNoteKey("aidtrail.example/log");
    const other = generateNoteKey("elsewhere.example/log");
    const note = signNote("text\n", [stranger, other, trusted].map((k) => noteSignerFromKey(k.signerKey)));
    expect((await openSignedNote(note, [trusted.verifierKey])).verifiedBy).toEqual([trusted.verifierKey]);
    await rejectsWith(openSignedNote(signNote("text\n", [noteSignerFromKey(stranger.signerKey)]), [trusted.verifierKey]), "no_trusted_signature");
  });

  it("rejects a tampered body", async () => {
    await rejectsWith(openSignedNote(GO_NOTE.replace("cryptography", "cryptographY"), [GO_VERIFIER]), "bad_signature");
  });

  it("rejects a known key's bad signature even when another signature is good", async () => {
    const a = generateNoteKey("a.example");
    const b = generateNoteKey("b.example");
    const good = signNote("text\n", [noteSignerFromKey(a.signerKey)]);
    const forgedB = signNote("other\n", [noteSignerFromKey(b.signerKey)]).split("\n\n")[1]!;
    await rejectsWith(openSignedNote(good + forgedB, [a.verifierKey, b.verifierKey]), "bad_signature");
  });

  it.each([
    ["no signature", "text\n\n"],
    ["no blank line", "text\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"],
    ["a plain dash", GO_NOTE.replace("—", "-")],
    ["no final newline", GO_NOTE.slice(0, -1)],
    ["a control character", GO_NOTE.replace("If", "I\tf")],
    ["bad base64", GO_NOTE.replace("AM=\n", "A*=\n")],
  ])("rejects a note with %s", (_, note) => {
    expect(() => parseSignedNote(note)).toThrow(VerificationError);
  });

  it("rejects mangled verifier keys", async () => {
    await rejectsWith(parseVerifierKey(GO_VERIFIER.replace("c74f20a3", "c74f20a4")), "malformed");
    await rejectsWith(parseVerifierKey(GO_VERIFIER.replace("ARpc", "AJpc")), "malformed");
    await rejectsWith(parseVerifierKey(GO_VERIFIER.replace("ARpc", "Apc")), "malformed");
    await rejectsWith(parseVerifierKey("PeterNeumann+c74f20a3"), "malformed");
    await rejectsWith(parseVerifierKey(`Peter Neumann+${GO_VERIFIER.split("+").slice(1).join("+")}`), "malformed");
  });

  it("formats verifier keys and refuses texts that cannot be signed", () => {
    const pub = Uint8Array.from(atob("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), (c) => c.charCodeAt(0)).slice(1);
    expect(formatVerifierKey("PeterNeumann", pub)).toBe(GO_VERIFIER);
    expect(toBase64(pub)).toHaveLength(44);
    const signer = noteSignerFromKey(GO_SIGNER);
    expect(() => signNote("no newline", [signer])).toThrow(TypeError);
    expect(() => signNote("tab\there\n", [signer])).toThrow(TypeError);
    expect(() => signNote("text\n", [])).toThrow(TypeError);
    expect(() => noteSignerFromKey(GO_SIGNER.replace("c74f20a3", "00000000"))).toThrow(TypeError);
  });
});
