import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Global name under which the browser bundle exposes the verifier (`window.AidtrailVerify`). */
export const VERIFIER_GLOBAL = "AidtrailVerify";

let cached: Promise<string> | undefined;

/**
 * The offline verifier (`verify/`) bundled into one classic script for the browser, so
 * a page can inline it and keep working when saved and opened without a network. Built
 * once per process with esbuild from the same sources the server and CLI use.
 */
export function verifierBundle(): Promise<string> {
  cached ??= build();
  return cached;
}

async function build(): Promise<string> {
  // From src (tsx, tests) the entry is index.ts; from compiled dist it is index.js.
  const entry = ["../verify/index.ts", "../verify/index.js"]
    .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
    .find((file) => existsSync(file));
  if (entry === undefined) throw new Error("cannot find the verifier sources to bundle");
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    globalName: VERIFIER_GLOBAL,
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no output");
  return file.text;
}
