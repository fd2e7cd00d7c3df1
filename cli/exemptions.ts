import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { appendAudit, type ExemptionFacts } from "../functions/audit/store.js";
import { exemptionTarget, MAX_RUNTIME_EXEMPTION, newExemption } from "../functions/exemptions/request.js";
import {
  ALL,
  exemptionsOf,
  listExemptions,
  putExemption,
  type RuntimeExemption,
  removeExemption,
} from "../functions/exemptions/store.js";
import { now } from "../functions/lib/clock.js";
import { ExemptionError } from "../functions/lib/errors.js";
import { expiryInstant } from "../functions/workflow/exemptions.js";
import { callerArn, connectLocal } from "./approvals.js";
import { regionOf, runCommand, tableOf } from "./run.js";

/**
 * `driftwarden exempt add|list|remove`: runtime exemptions, for an incident or
 * a migration that cannot wait for a configuration deploy. The caller's IAM
 * identity (STS GetCallerIdentity) is recorded as who exempted, and every add
 * and remove is a record in the audit ledger, so switching driftwarden off for
 * a resource is never silent.
 *
 * Where they act:
 *   --table / DRIFTWARDEN_EXEMPTIONS_TABLE       the deployed ExemptionsTable
 *   --audit-table / DRIFTWARDEN_AUDIT_TABLE      the deployed AuditTable (add, remove)
 *   --region / AWS_REGION / AWS_DEFAULT_REGION   the deployment's home region
 *   DRIFTWARDEN_LOCAL_ENDPOINT                   a local runtime's endpoints (`npm start` prints it)
 */
export interface ExemptOptions {
  table?: string;
  auditTable?: string;
  region?: string;
}

interface Where {
  store: { table: string; region: string };
  audit: { table: string; region: string };
}

function where(options: ExemptOptions, env: NodeJS.ProcessEnv, audited: boolean): Where {
  const region = regionOf(options.region, env);
  const table = tableOf(options.table, env, "DRIFTWARDEN_EXEMPTIONS_TABLE", "exemptions (--table)");
  const auditTable = audited
    ? tableOf(options.auditTable, env, "DRIFTWARDEN_AUDIT_TABLE", "audit (--audit-table)")
    : "";
  if (env.DRIFTWARDEN_LOCAL_ENDPOINT) connectLocal(env.DRIFTWARDEN_LOCAL_ENDPOINT);
  return { store: { table, region }, audit: { table: auditTable, region } };
}

const controlLabel = (control: string) => (control === ALL ? "every control" : control);
const resourceLabel = (resource: string) => (resource === ALL ? "every resource" : resource);

function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

async function audit(
  at: Where,
  entry: ExemptionFacts["entry"],
  exemption: RuntimeExemption,
  by: string,
  when: Date,
): Promise<number> {
  const id = randomUUID();
  const { record } = await appendAudit(at.audit, {
    kind: "exemption",
    executionId: `exemption#${id}`,
    auditId: `exemption-${id.slice(0, 8)}`,
    entry,
    resource: exemption.resource,
    control: exemption.control,
    account: accountOf(by),
    region: at.audit.region,
    exemption: {
      reason: exemption.reason,
      expires: exemption.expires,
      by: exemption.by,
      createdAt: exemption.createdAt,
    },
    by,
    at: when.toISOString(),
  } satisfies ExemptionFacts);
  return record.seq;
}

export async function addCommand(
  resource: string,
  options: ExemptOptions & { control?: string; until?: string; reason?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  exemptionTarget(resource, options.control);
  const at = where(options, env, true);
  // The deployment's clock (a local runtime's own, learned from this call) decides what "past" is.
  const by = await callerArn(at.store.region);
  const when = now();
  const exemption = newExemption({ resource, ...options }, { by, now: when });
  const replaced = await putExemption(at.store, exemption);
  let seq: number;
  try {
    seq = await audit(at, "exemption-added", exemption, by, when);
  } catch (error) {
    // An exemption nobody can see in the audit trail must not stay in force.
    if (replaced) await putExemption(at.store, replaced);
    else await removeExemption(at.store, exemption);
    throw new ExemptionError(
      `the exemption of ${exemption.resource} was not kept: its audit record could not be written (${(error as Error).message})`,
      exemption.resource,
      { cause: error },
    );
  }
  const previous = replaced ? ` It replaces the one ${replaced.by} added until ${replaced.expires}.` : "";
  return `Exempted ${resourceLabel(exemption.resource)} from ${controlLabel(exemption.control)} until ${exemption.expires} (${JSON.stringify(exemption.reason)}), as ${by}; audit record ${seq}.${previous}\n`;
}

export async function removeCommand(
  resource: string,
  options: ExemptOptions & { control?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const target = exemptionTarget(resource, options.control);
  const at = where(options, env, true);
  const by = await callerArn(at.store.region);
  const when = now();
  const removed = await removeExemption(at.store, target);
  if (!removed) {
    throw new ExemptionError(
      `there is no runtime exemption of ${resourceLabel(target.resource)} from ${controlLabel(target.control)}: nothing was removed (see driftwarden exempt list)`,
      target.resource,
    );
  }
  let seq: number;
  try {
    seq = await audit(at, "exemption-removed", removed, by, when);
  } catch (error) {
    await putExemption(at.store, removed);
    throw new ExemptionError(
      `the exemption of ${removed.resource} was kept: its removal could not be audited (${(error as Error).message})`,
      removed.resource,
      { cause: error },
    );
  }
  return `Removed the exemption of ${resourceLabel(removed.resource)} from ${controlLabel(removed.control)} (added by ${removed.by}), as ${by}; audit record ${seq}. driftwarden enforces again from the next event or sweep.\n`;
}

export async function listCommand(
  options: ExemptOptions & { resource?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const at = where(options, env, false);
  const items = options.resource
    ? [...(await exemptionsOf(at.store, options.resource.trim())), ...(await exemptionsOf(at.store, ALL))]
    : await listExemptions(at.store);
  const moment = now().getTime();
  const shown = items.map((item) => ({ ...item, expired: expiryInstant(item.expires) <= moment }));
  if (options.json) return `${JSON.stringify(shown, null, 2)}\n`;
  if (shown.length === 0) return `No runtime exemptions in ${at.store.table} (${at.store.region}).\n`;
  return `${shown
    .map(
      (item) =>
        `${resourceLabel(item.resource)}  ${controlLabel(item.control)}  until ${item.expires}${item.expired ? " (expired: no longer applies)" : ""}\n  by ${item.by} at ${item.createdAt}: ${JSON.stringify(item.reason)}`,
    )
    .join("\n")}\n`;
}

const whereHelp = `
Where: --table or DRIFTWARDEN_EXEMPTIONS_TABLE (the deployed ExemptionsTable), --audit-table or
DRIFTWARDEN_AUDIT_TABLE (the deployed AuditTable), --region or AWS_REGION (the deployment's home region).
Your AWS credentials are used; your identity (STS GetCallerIdentity) is recorded and audited. Against the
local demo, set the variables \`npm start\` prints.`;

export function registerExemptionCommands(program: Command, print: (text: string) => void): void {
  const withWhere = (command: Command, audited = true) => {
    command.option("--table <name>", "exemptions table (default: $DRIFTWARDEN_EXEMPTIONS_TABLE)");
    if (audited) command.option("--audit-table <name>", "audit table (default: $DRIFTWARDEN_AUDIT_TABLE)");
    return command
      .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
      .addHelpText("after", whereHelp);
  };

  const exempt = program
    .command("exempt")
    .description("Runtime exemptions: switch driftwarden off for a resource, with a reason and an end");

  withWhere(
    exempt
      .command("add")
      .description(
        `Exempt a resource (or * for every one) until a date at most ${MAX_RUNTIME_EXEMPTION} away`,
      )
      .argument("<resource>", "resource ARN (listener, distribution), or * for every resource")
      .requiredOption("--control <id|all>", "the control to exempt from, or all")
      .requiredOption(
        "--until <date|datetime>",
        "last day (2026-03-31, through that day UTC) or instant with offset",
      )
      .requiredOption("--reason <text>", "why: shown to on-call and kept in the audit trail"),
  ).action(
    async (resource: string, options: ExemptOptions & { control: string; until: string; reason: string }) =>
      runCommand("exempt add", () => addCommand(resource, options), print),
  );

  withWhere(
    exempt
      .command("remove")
      .description("End a runtime exemption now")
      .argument("<resource>", "resource ARN, or *")
      .requiredOption("--control <id|all>", "the control it exempts from, or all"),
  ).action(async (resource: string, options: ExemptOptions & { control: string }) =>
    runCommand("exempt remove", () => removeCommand(resource, options), print),
  );

  withWhere(
    exempt
      .command("list")
      .description("List runtime exemptions (expired ones are marked; they no longer apply)")
      .option("--resource <arn>", "only those of this resource (and those of every resource)")
      .option("--json", "print them as JSON"),
    false,
  ).action(async (options: ExemptOptions & { resource?: string; json?: boolean }) =>
    runCommand("exempt list", () => listCommand(options), print),
  );
}
