import { describe, expect, it } from "vitest";
import { copyLines } from "./copy-script.js";

const CHUNK = 64 * 1024;

function chunksOf(lines: readonly string[]): Buffer[] {
  let i = 0;
  const next = copyLines(() => (i < lines.length ? lines[i++] : undefined));
  const chunks: Buffer[] = [];
  for (let chunk = next(); chunk !== undefined; chunk = next()) chunks.push(chunk);
  return chunks;
}

describe("copyLines", () => {
  it("gives every line, in order, each ended by a newline, as UTF-8; chunks hold whole lines and stay within their size unless one line is longer", () => {
    // 1-, 2-, 3- and 4-byte characters, lengths around the chunk's size and its worst-case bound.
    const pieces = ["a", "é", "户", "😀", "\\t", "x\ty"];
    const lines: string[] = [];
    for (let i = 0; i < 3_000; i++) lines.push(pieces[i % pieces.length]!.repeat(1 + ((i * 37) % 120)));
    lines.push("户".repeat(CHUNK), "", "😀".repeat(CHUNK / 2), "b".repeat(CHUNK - 1), "c".repeat(CHUNK), "last");
    const chunks = chunksOf(lines);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`${lines.join("\n")}\n`);
    expect(chunks.length).toBeGreaterThan(5);
    let line = 0;
    for (const chunk of chunks) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(chunk[chunk.length - 1]).toBe(0x0a);
      const held = chunk.toString("utf8").split("\n").length - 1;
      if (held > 1) expect(chunk.length).toBeLessThanOrEqual(CHUNK);
      line += held;
    }
    expect(line).toBe(lines.length);
  });

  it("makes no chunk when there is no line, and one line of nothing is one newline", () => {
    expect(chunksOf([])).toEqual([]);
    expect(chunksOf([""]).map((c) => c.toString("utf8"))).toEqual(["\n"]);
  });
});
