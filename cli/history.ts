import type { Command } from "commander";
import { auditOfResource, isOutcomeRecord, type LedgerRecord } from "../functions/audit/store.js";
import { now } from "../functions/lib/clock.js";
import { durationSeconds } from "../functions/lib/duration.js";
import { ConfigurationError } from "../functions/lib/errors.js";
import { humanTime } from "../functions/lib/human-time.js";
import { cleanText, visibleJson } from "../functions/lib/untrusted.js";
import { describeDecider, resourceLabel, summarizeChange } from "../functions/notify/message.js";
import { connectLocal } from "./approvals.js";
import type { FailureContext } from "./errors.js";
import { regionOf, tableOf } from "./run.js";

/**
 * `driftwarden history --resource <arn> [--since]`: what driftwarden did to one
 * resource, from the audit ledger's resource index: when, which control, the
 * outcome, the change (made or only proposed) and who (who drifted it, who
 * decided, who exempted or resumed it).
 *
 * Where it acts:
 *   --table / DRIFTWARDEN_AUDIT_TABLE            the deployed AuditTable
 *   --region / AWS_REGION / AWS_DEFAULT_REGION   the deployment's home region
 *   DRIFTWARDEN_LOCAL_ENDPOINT                   a local runtime's endpoints (`npm start` prints it)
 */
export interface HistoryOptions {
  resource: string;
  since?: string;
  table?: string;
  region?: string;
  json?: boolean;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `--since` as an instant: an ISO date or date-time, or an ISO-8601 duration back from now (P7D, PT12H). */
export function sinceInstant(since: string, at: Date): string {
  if (ISO.test(since) && !Number.isNaN(Date.parse(since))) return new Date(Date.parse(since)).toISOString();
  if (/^P/.test(since)) {
    try {
      return new Date(at.getTime() - durationSeconds(since, "--since") * 1000).toISOString();
    } catch {
      // Falls through to the one line below, which names both forms.
    }
  }
  throw new ConfigurationError(
    `--since: "${cleanText(since, { max: 60 })}" is neither a date (2026-03-01), a date and time with its offset (2026-03-01T09:00:00Z) nor a duration back from now (P7D, PT12H)`,
  );
}

interface Entry {
  at: string;
  control: string;
  what: string;
  change: string;
  who: string[];
}

function entryOf(record: LedgerRecord): Entry {
  const control = record.control === "*" ? "every control" : record.control;
  if (record.kind === "exemption") {
    return {
      at: record.at,
      control,
      what: record.entry,
      change: `until ${record.exemption.expires}: ${JSON.stringify(cleanText(record.exemption.reason, { max: 300 }))}`,
      who: [`by ${cleanText(record.by, { max: 300 })}`],
    };
  }
  if (record.kind === "resume") {
    return {
      at: record.at,
      control,
      what: record.entry,
      change: `after ${record.suspension.fixes} fixes since ${humanTime(record.suspension.since)}`,
      who: [`by ${cleanText(record.by, { max: 300 })}`],
    };
  }
  if (!isOutcomeRecord(record)) throw new TypeError("unknown ledger record kind");
  const calls = record.change.made ? record.change.calls : (record.change.proposed ?? record.change.calls);
  const change =
    calls.length === 0
      ? "no change"
      : `${calls.map(summarizeChange).join("; ")} (${record.change.made ? "made" : "proposed, not made"})`;
  const who = [
    ...(record.actor ? [`drifted by ${cleanText(record.actor.arn, { max: 300 })}`] : []),
    ...(record.decision.by
      ? [
          `${record.decision.kind} by ${describeDecider(record.decision.by, record.decision.verified, record.decision.channel)}`,
        ]
      : []),
  ];
  return { at: record.at, control, what: record.outcome, change: cleanText(change, { max: 400 }), who };
}

export async function historyCommand(
  options: HistoryOptions,
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<string> {
  const resource = options.resource.trim();
  const region = regionOf(options.region, env);
  const table = tableOf(options.table, env, "DRIFTWARDEN_AUDIT_TABLE", "audit (--table)");
  const local = env.DRIFTWARDEN_LOCAL_ENDPOINT || undefined;
  if (context)
    Object.assign(context, {
      table,
      tableHint: "--table or DRIFTWARDEN_AUDIT_TABLE (the auditTable name the deploy printed)",
      region,
      localEndpoint: local,
    });
  if (local) connectLocal(local);
  // A date is checked before any call; a duration is measured once the deployment's clock is known.
  if (options.since && ISO.test(options.since)) sinceInstant(options.since, new Date());
  const records = await auditOfResource({ table, region }, resource);
  const since = options.since ? sinceInstant(options.since, now()) : undefined;
  const shown = since ? records.filter((record) => record.at >= since) : records;
  if (options.json) return `${visibleJson(shown, 2)}\n`;
  if (shown.length === 0) {
    throw new NoHistoryError(
      `no audit records of ${cleanText(resource, { max: 300 })}${since ? ` since ${humanTime(since)}` : ""} in ${table} (${region}): check the ARN (driftwarden acts on listeners and distributions, not load balancers)${since ? " or an earlier --since" : ""}`,
      resource,
    );
  }
  const lines = [`${resourceLabel(resource)}  ${cleanText(resource, { max: 300 })}`];
  for (const entry of shown.map(entryOf)) {
    lines.push(
      `  ${humanTime(entry.at)}  ${entry.control}  ${entry.what}`,
      `      change: ${entry.change}`,
      ...entry.who.map((who) => `      ${who}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The audit holds nothing about that resource (a mistyped ARN, or nothing ever happened to it). */
export class NoHistoryError extends ConfigurationError {}

export function registerHistoryCommand(
  program: Command,
  print: (text: string) => void,
  context: FailureContext,
): void {
  program
    .command("history")
    .description(
      "What driftwarden did to one resource: time, control, outcome, change and who, from the audit",
    )
    .requiredOption("--resource <arn>", "the resource ARN (listener, distribution)")
    .option("--since <date|duration>", "from a date (2026-03-01), an instant, or a duration back (P7D)")
    .option("--table <name>", "audit table (default: $DRIFTWARDEN_AUDIT_TABLE)")
    .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
    .option("--json", "print the audit records as JSON")
    .action(async (options: HistoryOptions) => print(await historyCommand(options, process.env, context)));
}
