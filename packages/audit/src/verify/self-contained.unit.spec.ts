import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The verifier ships to browsers as is: it may import only its own files.
describe("the verify module", () => {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".spec.ts"));

  it.each(sources)("%s imports nothing outside verify/ and no node: built-ins", (file) => {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    for (const specifier of specifiers) expect(specifier).toMatch(/^\.\/[a-z0-9-]+\.js$/);
    expect(text).not.toMatch(/\brequire\(|\bBuffer\b|\bprocess\./);
  });
});
