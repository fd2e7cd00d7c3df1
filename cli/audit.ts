import type { Command } from "commander";
import { auditOfResource, type LedgerRecord, listLedger } from "../functions/audit/store.js";
import { verifyLedger } from "../functions/audit/verify.js";
import { now } from "../functions/lib/clock.js";
import { durationSeconds } from "../functions/lib/duration.js";
import { AuditTamperedError, ConfigurationError } from "../functions/lib/errors.js";
import { connectLocal } from "./approvals.js";
import { regionOf, runCommand, tableOf } from "./run.js";

/**
 * `driftwarden audit verify` and `audit list`, with the operator's own AWS
 * credentials (read the audit table, GetPublicKey of the seal key).
 *
 * Where they act:
 *   --table / DRIFTWARDEN_AUDIT_TABLE            the deployed AuditTable
 *   --seal-key / DRIFTWARDEN_AUDIT_SEAL_KEY      the deployed seal key's ARN (verify)
 *   --region / AWS_REGION / AWS_DEFAULT_REGION   the deployment's home region
 *   DRIFTWARDEN_LOCAL_ENDPOINT                   a local runtime's endpoints (`npm start` prints it)
 */
export interface AuditOptions {
  table?: string;
  region?: string;
}

/** Seals are made every 15 minutes; an hour without one is four missed runs. */
export const DEFAULT_MAX_SEAL_AGE = "PT1H";

function where(options: AuditOptions, env: NodeJS.ProcessEnv): { table: string; region: string } {
  const region = regionOf(options.region, env);
  const table = tableOf(options.table, env, "DRIFTWARDEN_AUDIT_TABLE", "audit (--table)");
  if (env.DRIFTWARDEN_LOCAL_ENDPOINT) connectLocal(env.DRIFTWARDEN_LOCAL_ENDPOINT);
  return { table, region };
}

export async function verifyCommand(
  options: AuditOptions & { sealKey?: string; maxSealAge?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const sealKeyArn = options.sealKey ?? env.DRIFTWARDEN_AUDIT_SEAL_KEY;
  if (!sealKeyArn) {
    throw new ConfigurationError(
      "which seal key? Pass --seal-key <arn> or set DRIFTWARDEN_AUDIT_SEAL_KEY to the auditSealKey ARN from the deploy output",
    );
  }
  const maxSealAgeSeconds = durationSeconds(options.maxSealAge ?? DEFAULT_MAX_SEAL_AGE, "--max-seal-age");
  const at = where(options, env);
  const report = await verifyLedger({ ...at, sealKeyArn, maxSealAgeSeconds, now });
  const problems = report.findings.filter((finding) => finding.problem);
  const text = options.json
    ? `${JSON.stringify(report, null, 2)}\n`
    : [
        `Audit ledger ${at.table} (${at.region}): ${report.records} records, ${report.seals} seals${report.lastSeal ? `; the last valid seal (${report.lastSeal.n}) covers records 1-${report.lastSeal.upTo} and was made at ${report.lastSeal.at}` : ""}.`,
        ...report.findings.map(
          (finding) => `${finding.problem ? "TAMPERED" : "note    "}  ${finding.message}`,
        ),
        report.ok
          ? "OK: every record and seal verifies."
          : `NOT OK: ${problems.length} problem${problems.length === 1 ? "" : "s"} found.`,
        "",
      ].join("\n");
  if (!report.ok) {
    throw new AuditTamperedError(
      `the audit ledger ${at.table} failed verification: ${problems.length} problem${problems.length === 1 ? "" : "s"} (listed above)`,
      at.table,
      text,
    );
  }
  return text;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function describe(record: LedgerRecord): string {
  if (record.kind === "exemption") {
    const control = record.control === "*" ? "every control" : record.control;
    return `${String(record.seq).padStart(6)}  ${record.at}  ${record.entry}  ${control}  ${record.resource}\n        by ${record.by}: until ${record.exemption.expires}, ${JSON.stringify(record.exemption.reason)}`;
  }
  if (record.kind === "resume") {
    return `${String(record.seq).padStart(6)}  ${record.at}  ${record.entry}  ${record.control}  ${record.resource}\n        by ${record.by}: after ${record.suspension.fixes} fixes since ${record.suspension.since}, reverted by ${record.suspension.changedBy.join(", ")}`;
  }
  const decided = record.decision.by
    ? ` by ${record.decision.by}${record.decision.verified === false ? " (typed, unverified)" : ""}`
    : "";
  return `${String(record.seq).padStart(6)}  ${record.at}  ${record.outcome}  ${record.control}  ${record.resource}\n        ${record.auditId}: ${record.finding}; decision ${record.decision.kind}${decided}`;
}

export async function listCommand(
  options: AuditOptions & { resource?: string; since?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (options.since !== undefined && (!ISO.test(options.since) || Number.isNaN(Date.parse(options.since)))) {
    throw new ConfigurationError(
      `--since: "${options.since}" is not a date (2026-03-01) or a date and time with its offset (2026-03-01T09:00:00Z)`,
    );
  }
  const since = options.since ? new Date(Date.parse(options.since)).toISOString() : undefined;
  const at = where(options, env);
  const records = options.resource
    ? await auditOfResource(at, options.resource, since)
    : (await listLedger(at)).filter((record) => !since || record.at >= since);
  if (options.json) return `${JSON.stringify(records, null, 2)}\n`;
  if (records.length === 0)
    return `No audit records${options.resource ? ` of ${options.resource}` : ""}${since ? ` since ${since}` : ""}.\n`;
  return `${records.map(describe).join("\n")}\n`;
}

const whereHelp = `
Where: --table or DRIFTWARDEN_AUDIT_TABLE (the deployed AuditTable), --region or AWS_REGION (the
deployment's home region), and for verify --seal-key or DRIFTWARDEN_AUDIT_SEAL_KEY (the auditSealKey ARN
from the deploy output). Your AWS credentials are used. Against the local demo, set the variables
\`npm start\` prints.`;

export function registerAuditCommands(program: Command, print: (text: string) => void): void {
  const withWhere = (command: Command) =>
    command
      .option("--table <name>", "audit table (default: $DRIFTWARDEN_AUDIT_TABLE)")
      .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
      .addHelpText("after", whereHelp);

  const audit = program.command("audit").description("The tamper-evident audit trail");

  withWhere(
    audit
      .command("verify")
      .description(
        "Re-compute every record's hash and link, verify every seal's signature; name each changed, deleted, reordered or cut-off record. Exit 1 when anything is wrong",
      )
      .option("--seal-key <arn>", "the deployment's seal key (default: $DRIFTWARDEN_AUDIT_SEAL_KEY)")
      .option("--max-seal-age <duration>", "how old the last seal may be (ISO-8601)", DEFAULT_MAX_SEAL_AGE)
      .option("--json", "print the report as JSON"),
  ).action(async (options: AuditOptions & { sealKey?: string; maxSealAge?: string; json?: boolean }) =>
    runCommand("audit verify", () => verifyCommand(options), print),
  );

  withWhere(
    audit
      .command("list")
      .description("List audit records (outcomes and exemption changes), oldest first")
      .option("--resource <arn>", "only the records of this resource")
      .option("--since <date|datetime>", "only records from then on")
      .option("--json", "print the records as JSON"),
  ).action(async (options: AuditOptions & { resource?: string; since?: string; json?: boolean }) =>
    runCommand("audit list", () => listCommand(options), print),
  );
}
