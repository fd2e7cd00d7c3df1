import { ExecutionStatus, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import { type ApprovalRecord, listApprovals } from "../functions/approvals/store.js";
import { isOutcomeRecord, listLedger } from "../functions/audit/store.js";
import { listExemptions } from "../functions/exemptions/store.js";
import { clients } from "../functions/lib/aws.js";
import { now } from "../functions/lib/clock.js";
import type { DriftwardenConfig } from "../functions/lib/config.js";
import { ConfigurationError } from "../functions/lib/errors.js";
import { humanTime } from "../functions/lib/human-time.js";
import { cleanText, visibleJson } from "../functions/lib/untrusted.js";
import { resourceLabel } from "../functions/notify/message.js";
import { expiryInstant } from "../functions/workflow/exemptions.js";
import { type Suspension, suspendedResources } from "../functions/workflow/history.js";
import { connectLocal } from "./approvals.js";
import { readDeploymentConfig } from "./deployment-config.js";
import type { FailureContext } from "./errors.js";
import { regionOf, tableOf } from "./run.js";

/**
 * `driftwarden status`: what needs a person now. Pending approvals, suspended
 * resources, exemptions in force (and those ending within a week), the last
 * sweep, and what failed in the last day, read with the operator's own
 * credentials from the deployment's tables (and Step Functions, when the state
 * machine is named).
 */
export interface StatusOptions {
  approvalsTable?: string;
  exemptionsTable?: string;
  historyTable?: string;
  auditTable?: string;
  stateMachine?: string;
  sweepStateMachine?: string;
  region?: string;
  config?: string;
  json?: boolean;
}

const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

export interface ExemptionInForce {
  kind: "central" | "runtime";
  resource: string;
  control: string;
  until: string;
  reason: string;
  by?: string;
  expiresWithinAWeek: boolean;
}

export interface Failure {
  at: string;
  control?: string;
  resource?: string;
  execution: string;
  what: string;
}

export interface Status {
  at: string;
  pendingApprovals: Omit<ApprovalRecord, "token">[];
  suspended: Suspension[];
  exemptions: ExemptionInForce[];
  /** The latest execution a sweep started; a sweep that finds no drift starts none. */
  lastSweep: { at: string; control: string; resource: string; outcome: string } | null;
  /** The sweep state machine's latest run, when it is named: whether sweeps run at all, and how the last ended. */
  lastSweepRun: { name: string; status: string; startedAt: string; stoppedAt: string | null } | null;
  failedLastDay: Failure[];
}

function exemptionsInForce(
  central: DriftwardenConfig["exemptions"],
  runtime: Awaited<ReturnType<typeof listExemptions>>,
  at: number,
): ExemptionInForce[] {
  const entries: Omit<ExemptionInForce, "expiresWithinAWeek">[] = [
    ...central.map((e) => ({
      kind: "central" as const,
      resource: e.resource,
      control: e.control ?? "*",
      until: e.expires,
      reason: e.reason,
    })),
    ...runtime.map((e) => ({
      kind: "runtime" as const,
      resource: e.resource,
      control: e.control,
      until: e.expires,
      reason: e.reason,
      by: e.by,
    })),
  ];
  return entries
    .filter((e) => expiryInstant(e.until) > at)
    .map((e) => ({ ...e, expiresWithinAWeek: expiryInstant(e.until) <= at + WEEK_MS }))
    .sort((a, b) => expiryInstant(a.until) - expiryInstant(b.until));
}

async function failedExecutions(
  stateMachineArn: string,
  region: string,
  since: number,
  what = "execution",
): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const statusFilter of [ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED]) {
    let nextToken: string | undefined;
    // Newest first: stop paging at the first execution that started before the day began.
    page: do {
      const page = await clients
        .sfn(region)
        .send(new ListExecutionsCommand({ stateMachineArn, statusFilter, nextToken, maxResults: 100 }));
      for (const execution of page.executions ?? []) {
        const stopped = (execution.stopDate ?? execution.startDate)?.getTime() ?? 0;
        if ((execution.startDate?.getTime() ?? 0) < since - DAY_MS) break page;
        if (stopped >= since)
          failures.push({
            at: new Date(stopped).toISOString(),
            execution: execution.name ?? "",
            what: `${what} ${statusFilter.toLowerCase().replace("_", " ")}`,
          });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return failures;
}

async function latestRun(stateMachineArn: string, region: string): Promise<Status["lastSweepRun"]> {
  const out = await clients.sfn(region).send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
  const run = out.executions?.[0];
  if (!run) return null;
  return {
    name: run.name ?? "",
    status: run.status ?? "",
    startedAt: run.startDate?.toISOString() ?? "",
    stoppedAt: run.stopDate?.toISOString() ?? null,
  };
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]+$/;

function stateMachineOption(value: string | undefined, option: string, output: string): string | undefined {
  if (value && !STATE_MACHINE_ARN.test(value)) {
    throw new ConfigurationError(
      `${option}: "${cleanText(value, { max: 200 })}" is not a state machine ARN (the ${output} output of the deploy)`,
    );
  }
  return value;
}

export async function readStatus(
  options: StatusOptions,
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<Status> {
  const config = await readDeploymentConfig(options.config);
  const region = regionOf(options.region, env);
  const approvals = tableOf(
    options.approvalsTable,
    env,
    "DRIFTWARDEN_APPROVALS_TABLE",
    "approvals (--approvals-table)",
  );
  const exemptions = tableOf(
    options.exemptionsTable,
    env,
    "DRIFTWARDEN_EXEMPTIONS_TABLE",
    "exemptions (--exemptions-table)",
  );
  const history = tableOf(
    options.historyTable,
    env,
    "DRIFTWARDEN_HISTORY_TABLE",
    "fix history (--history-table)",
  );
  const audit = tableOf(options.auditTable, env, "DRIFTWARDEN_AUDIT_TABLE", "audit (--audit-table)");
  const stateMachine = stateMachineOption(
    options.stateMachine ?? (env.DRIFTWARDEN_STATE_MACHINE_ARN || undefined),
    "--state-machine",
    "stateMachine",
  );
  const sweepMachine = stateMachineOption(
    options.sweepStateMachine ?? (env.DRIFTWARDEN_SWEEP_STATE_MACHINE_ARN || undefined),
    "--sweep-state-machine",
    "sweepStateMachine",
  );
  const local = env.DRIFTWARDEN_LOCAL_ENDPOINT || undefined;
  if (context)
    Object.assign(context, {
      table: undefined,
      tableHint:
        "the DRIFTWARDEN_*_TABLE variables (or --*-table options): the table names the deploy printed",
      region,
      localEndpoint: local,
    });
  if (local) connectLocal(local);

  // The first call teaches a local CLI the deployment's clock; every window below is measured on it.
  const pending = await listApprovals({ table: approvals, region }, "pending");
  const at = now();
  const [suspended, runtime, ledger] = await Promise.all([
    suspendedResources({ clients, table: history, region }, config, at),
    listExemptions({ table: exemptions, region }),
    listLedger({ table: audit, region }),
  ]);
  const outcomes = ledger.filter(isOutcomeRecord);
  const sweep = outcomes.filter((record) => record.trigger === "sweep").at(-1);
  const dayAgo = new Date(at.getTime() - DAY_MS).toISOString();
  const failed: Failure[] = outcomes
    .filter((record) => record.outcome === "failed" && record.at >= dayAgo)
    .map((record) => ({
      at: record.at,
      control: record.control,
      resource: record.resource,
      execution: record.executionId,
      what: `failed: ${record.error ? `${record.error.name}: ${record.error.message}` : record.finding}`,
    }));
  if (stateMachine) {
    const recorded = new Set(failed.map((failure) => failure.execution.split(":").at(-1)));
    for (const failure of await failedExecutions(stateMachine, region, at.getTime() - DAY_MS)) {
      if (!recorded.has(failure.execution)) failed.push(failure);
    }
  }
  if (sweepMachine) {
    failed.push(...(await failedExecutions(sweepMachine, region, at.getTime() - DAY_MS, "sweep")));
  }
  return {
    at: at.toISOString(),
    pendingApprovals: pending.map(({ token: _token, ...rest }) => rest),
    suspended,
    exemptions: exemptionsInForce(config.exemptions, runtime, at.getTime()),
    lastSweep: sweep
      ? { at: sweep.at, control: sweep.control, resource: sweep.resource, outcome: sweep.outcome }
      : null,
    lastSweepRun: sweepMachine ? await latestRun(sweepMachine, region) : null,
    failedLastDay: failed.sort((a, b) => a.at.localeCompare(b.at)),
  };
}

const all = (value: string, what: string) => (value === "*" ? `every ${what}` : value);

/** Resource names, reasons and identities come from outside: cleaned, because a terminal obeys control characters. */
export function formatStatus(status: Status, schedule: string): string {
  const text = (value: unknown, max = 300) => cleanText(value, { max });
  const section = (title: string, count: number, rows: string[], none: string) => [
    "",
    `${title} (${count})`,
    ...(rows.length > 0 ? rows : [`  ${none}`]),
  ];
  const lines = [
    `driftwarden status at ${humanTime(status.at)}`,
    ...section(
      "Pending approvals",
      status.pendingApprovals.length,
      status.pendingApprovals.map(
        (a) =>
          `  ${a.id}  ${text(a.control, 80)}  ${resourceLabel(a.resource)}  expires ${humanTime(a.expiresAt)}\n      ${text(a.reasons.join("; "), 400)}\n      decide: driftwarden approve ${a.id} | driftwarden reject ${a.id} --reason <text>`,
      ),
      "none",
    ),
    ...section(
      "Suspended resources",
      status.suspended.length,
      status.suspended.map(
        (s) =>
          `  ${s.control}  ${resourceLabel(s.resource)}  fixed ${s.fixes.length} times since ${humanTime(s.fixes[0]?.at ?? status.at)}\n      reverted by ${text(s.changedBy.join(", "), 600)}\n      after fixing the source: driftwarden resume ${s.control} ${text(s.resource)}`,
      ),
      "none",
    ),
    ...section(
      "Exemptions in force",
      status.exemptions.length,
      status.exemptions.map(
        (e) =>
          `  ${e.expiresWithinAWeek ? "ENDS SOON " : ""}${e.kind}  ${all(e.control, "control")}  ${all(text(e.resource), "resource")}  until ${e.until}\n      ${JSON.stringify(text(e.reason, 300))}${e.by ? ` by ${text(e.by)}` : ""}`,
      ),
      "none (tag exemptions are on the resources themselves: driftwarden scan shows them)",
    ),
    "",
    `Last sweep (schedule ${schedule})`,
    ...(status.lastSweepRun
      ? [
          `  ran ${humanTime(status.lastSweepRun.startedAt)}: ${text(status.lastSweepRun.status, 40)}${status.lastSweepRun.stoppedAt ? `, ended ${humanTime(status.lastSweepRun.stoppedAt)}` : ""}  ${text(status.lastSweepRun.name, 100)}`,
        ]
      : []),
    status.lastSweep
      ? `  latest drift it found ${humanTime(status.lastSweep.at)}: ${status.lastSweep.outcome} ${status.lastSweep.control} ${resourceLabel(status.lastSweep.resource)}`
      : "  no sweep has found drift yet (a sweep that finds none leaves no record)",
    ...section(
      "Failed in the last day",
      status.failedLastDay.length,
      status.failedLastDay.map(
        (f) =>
          `  ${humanTime(f.at)}  ${f.control ?? ""}  ${f.resource ? resourceLabel(f.resource) : ""}  ${text(f.execution, 200)}\n      ${text(f.what, 400)}`,
      ),
      "none",
    ),
    "",
  ];
  return lines.join("\n");
}

export async function statusCommand(
  options: StatusOptions,
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<string> {
  const status = await readStatus(options, env, context);
  if (options.json) return `${visibleJson(status, 2)}\n`;
  const config = await readDeploymentConfig(options.config);
  return formatStatus(status, config.sweepSchedule);
}

const whereHelp = `
Where: --approvals-table, --exemptions-table, --history-table, --audit-table or DRIFTWARDEN_APPROVALS_TABLE,
DRIFTWARDEN_EXEMPTIONS_TABLE, DRIFTWARDEN_HISTORY_TABLE, DRIFTWARDEN_AUDIT_TABLE (the deploy's outputs);
--region or AWS_REGION (the deployment's home region); --state-machine or DRIFTWARDEN_STATE_MACHINE_ARN
(optional: adds executions that failed outside the audit); --sweep-state-machine or
DRIFTWARDEN_SWEEP_STATE_MACHINE_ARN (optional: the last sweep run and sweeps that failed); --config or
./driftwarden.config.json (central exemptions, flapping). Against the local demo, set the variables \`npm start\` prints.`;

export function registerStatusCommand(
  program: Command,
  print: (text: string) => void,
  context: FailureContext,
): void {
  program
    .command("status")
    .description(
      "What needs a person: pending approvals, suspended resources, exemptions (ending soon first), last sweep, failures of the last day",
    )
    .option("--approvals-table <name>", "approvals table (default: $DRIFTWARDEN_APPROVALS_TABLE)")
    .option("--exemptions-table <name>", "exemptions table (default: $DRIFTWARDEN_EXEMPTIONS_TABLE)")
    .option("--history-table <name>", "fix history table (default: $DRIFTWARDEN_HISTORY_TABLE)")
    .option("--audit-table <name>", "audit table (default: $DRIFTWARDEN_AUDIT_TABLE)")
    .option("--state-machine <arn>", "remediation state machine (default: $DRIFTWARDEN_STATE_MACHINE_ARN)")
    .option(
      "--sweep-state-machine <arn>",
      "sweep state machine (default: $DRIFTWARDEN_SWEEP_STATE_MACHINE_ARN)",
    )
    .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
    .option("--config <file>", "the deployment's configuration (default: ./driftwarden.config.json)")
    .option("--json", "print the status as JSON")
    .addHelpText("after", whereHelp)
    .action(async (options: StatusOptions) => print(await statusCommand(options, process.env, context)));
}
