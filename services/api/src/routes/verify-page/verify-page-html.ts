import { createHash } from "node:crypto";

/** What the page is built from. */
export interface VerifyPageParts {
  /** The verifier bundle, a classic script defining `globalName`. */
  readonly bundle: string;
  readonly globalName: string;
  /** Verifier keys to prefill (the inspector may replace them with the ones published). */
  readonly verifierKeys: readonly string[];
  readonly origin?: string | undefined;
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
textarea { width: 100%; font: 13px/1.35 ui-monospace, monospace; box-sizing: border-box; }
button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; }
#result { margin-top: 1.2rem; padding: .8rem 1rem; border-radius: 6px; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
#result[data-status="valid"] { background: #e6f4ea; border: 1px solid #1e8e3e; }
#result[data-status="invalid"] { background: #fce8e6; border: 1px solid #d93025; }
#result[data-status="idle"] { display: none; }
.hint { color: #555; font-size: 13px; }`;

// The page logic; only textContent is ever set from receipt data, never HTML.
const PAGE_SCRIPT = (globalName: string) => `
(() => {
  const V = window[${JSON.stringify(globalName)}];
  const $ = (id) => document.getElementById(id);
  const show = (status, text) => { const r = $("result"); r.dataset.status = status; r.textContent = text; };
  async function verify() {
    let receipt;
    try { receipt = JSON.parse($("receipt").value); } catch { return show("invalid", "INVALID: the receipt is not JSON"); }
    const keys = $("keys").value.split(/\\s+/).filter((k) => k.length > 0);
    if (keys.length === 0) return show("invalid", "INVALID: give at least one verifier key of the log");
    try {
      const v = await V.verifyReceipt(receipt, keys);
      const data = v.event.data && typeof v.event.data === "object" ? v.event.data : {};
      const lines = [
        "VALID: this event is in the log, as signed by " + v.verifiedBy.join(", "),
        "", "log:        " + v.origin, "tree size:  " + v.treeSize, "root:       " + v.root,
        "leaf index: " + v.leafIndex, "position:   " + v.event.position, "stream:     " + v.event.streamId,
        "type:       " + v.event.type, "recorded:   " + v.event.recordedAt,
      ];
      if (typeof data.amountFen === "number") lines.push("amount:     " + (data.amountFen / 100).toFixed(2) + " yuan (" + data.amountFen + " fen)");
      if (typeof data.householdId === "string") lines.push("household:  " + data.householdId);
      show("valid", lines.join("\\n"));
    } catch (e) {
      show("invalid", "INVALID" + (e && e.code ? " (" + e.code + ")" : "") + ": " + (e && e.message ? e.message : String(e)));
    }
  }
  $("verify").addEventListener("click", verify);
  $("file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    $("receipt").value = await file.text();
    await verify();
  });
  show("idle", "");
})();`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// A script body must not contain "</script"; inside JS strings "<\/" means the same.
const escapeScript = (s: string) => s.replace(/<\/(script)/gi, "<\\/$1");
const cspHash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

/** The page and its Content-Security-Policy (no network access at all: verification is offline). */
export function verifyPageHtml(parts: VerifyPageParts): { html: string; csp: string } {
  const bundle = escapeScript(parts.bundle);
  const page = escapeScript(PAGE_SCRIPT(parts.globalName));
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(bundle)} ${cspHash(page)}`,
    `style-src ${cspHash(STYLE)}`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verify an aidtrail receipt</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Verify a disbursement receipt</h1>
<p class="hint">Everything happens in this browser: the page makes no network request (save it and it works offline).
A valid receipt proves the event is in the signed audit log${parts.origin ? ` <code>${escapeHtml(parts.origin)}</code>` : ""}.</p>
<label for="receipt">Receipt (JSON)</label>
<textarea id="receipt" rows="14" spellcheck="false" placeholder="paste the receipt here, or choose its file below"></textarea>
<input type="file" id="file" accept=".json,application/json">
<label for="keys">Verifier key(s) of the log, one per line</label>
<textarea id="keys" rows="3" spellcheck="false">${escapeHtml(parts.verifierKeys.join("\n"))}</textarea>
<p class="hint">Compare with the key the township publishes; a receipt is only as trustworthy as the key you check it with.</p>
<button id="verify" type="button">Verify</button>
<div id="result" data-status="idle" role="status" aria-live="polite"></div>
<script>${bundle}</script>
<script>${page}</script>
</body>
</html>
`;
  return { html, csp };
}
