import { type AuditKeys, loadAuditKeys, readAuditConfig } from "@aidtrail/audit/server";

/**
 * Keys a verification trusts: AIDTRAIL_AUDIT_VERIFIER_KEYS, the configured signers' own,
 * and the development key if one exists (never created by a verification), plus `--key`s.
 */
export async function trustedKeys(extra: readonly string[]): Promise<{ keys: string[]; audit: AuditKeys }> {
  const audit = await loadAuditKeys(readAuditConfig(), { create: false });
  return { keys: [...new Set([...extra, ...audit.verifierKeys])], audit };
}

/** Values of every `--name VALUE` (or `--name=VALUE`), and the remaining arguments. */
export function takeOption(args: readonly string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}` && i + 1 < args.length) values.push(args[++i]!);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
    else rest.push(arg);
  }
  return { values, rest };
}
