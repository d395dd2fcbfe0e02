/** Renders progress as a bar on a terminal, as plain log lines elsewhere (CI, pipes). */
export interface ProgressReporter {
  update(done: number, extra?: string): void;
  finish(summary: string): void;
}

/** `unit`: what is counted ("events", "rows", "commands"), shown in the counts and the rate. */
export function createProgress(label: string, total: number, unit = "events", stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const started = performance.now();
  let lastLine = 0;
  const tty = stream.isTTY === true;
  const format = (done: number) => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const eta = rate > 0 && total > done ? (total - done) / rate : 0;
    const pct = total > 0 ? Math.min(100, (done / total) * 100) : 100;
    return { rate, eta, pct, seconds };
  };
  return {
    update(done, extra = "") {
      const { rate, eta, pct } = format(done);
      const now = performance.now();
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
        stream.write(
          `\r${label} ${bar} ${pct.toFixed(0).padStart(3)}% ${done.toLocaleString("en")}/${total.toLocaleString("en")} ` +
            `${Math.round(rate).toLocaleString("en")} ${unit}/s ETA ${formatSeconds(eta)} ${extra}\x1b[K`,
        );
      } else if (now - lastLine >= 2_000 || done >= total) {
        lastLine = now;
        stream.write(`${label}: ${done}/${total} ${unit} (${pct.toFixed(1)}%), ${Math.round(rate)} ${unit}/s, ETA ${formatSeconds(eta)} ${extra}\n`);
      }
    },
    finish(summary) {
      const { seconds } = format(0);
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${summary} in ${seconds.toFixed(1)} s\n`);
    },
  };
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.ceil(seconds - m * 60)).padStart(2, "0")}s`;
}
