import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { appendAudit, type ResumeFacts } from "../functions/audit/store.js";
import { controlById } from "../functions/controls/registry.js";
import { clients } from "../functions/lib/aws.js";
import { now } from "../functions/lib/clock.js";
import { ConfigurationError, DriftwardenError, errorMessage } from "../functions/lib/errors.js";
import { cleanText } from "../functions/lib/untrusted.js";
import { recentFixes, recordResume, removeResume, suspensionOf } from "../functions/workflow/history.js";
import { callerArn, connectLocal } from "./approvals.js";
import { readDeploymentConfig } from "./deployment-config.js";
import type { FailureContext } from "./errors.js";
import { regionOf, tableOf } from "./run.js";

/**
 * `driftwarden resume <control> <resource>`: lifts the suspension of a
 * resource that kept drifting back, once whatever reverted the fix has been
 * fixed at its source. A resume marker in the fix history makes the earlier
 * fixes stop counting, so the next drift is fixed again; the caller's IAM
 * identity (STS GetCallerIdentity) is recorded in the audit ledger.
 *
 * Where it acts:
 *   --history-table / DRIFTWARDEN_HISTORY_TABLE   the deployed FixHistoryTable
 *   --audit-table / DRIFTWARDEN_AUDIT_TABLE       the deployed AuditTable
 *   --region / AWS_REGION / AWS_DEFAULT_REGION    the deployment's home region
 *   --config / ./driftwarden.config.json          flapping.maxFixes and window
 *   DRIFTWARDEN_LOCAL_ENDPOINT                    a local runtime's endpoints (`npm start` prints it)
 */
export interface ResumeOptions {
  historyTable?: string;
  auditTable?: string;
  region?: string;
  config?: string;
}

/** There is no suspension to lift: the resource is not suspended by that control (or not known at all). */
export class NotSuspendedError extends DriftwardenError {}

export async function resumeCommand(
  controlId: string,
  resourceArg: string,
  options: ResumeOptions,
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<string> {
  const control = controlById(controlId).metadata.id;
  const resource = resourceArg.trim();
  if (!resource.startsWith("arn:")) {
    throw new ConfigurationError(
      `"${cleanText(resource, { max: 200 })}" is not a resource ARN: pass the ARN the SUSPENDED email or driftwarden status names`,
    );
  }
  const config = await readDeploymentConfig(options.config);
  const region = regionOf(options.region, env);
  const history = {
    clients,
    region,
    table: tableOf(options.historyTable, env, "DRIFTWARDEN_HISTORY_TABLE", "fix history (--history-table)"),
  };
  const audit = {
    region,
    table: tableOf(options.auditTable, env, "DRIFTWARDEN_AUDIT_TABLE", "audit (--audit-table)"),
  };
  const local = env.DRIFTWARDEN_LOCAL_ENDPOINT || undefined;
  if (context)
    Object.assign(context, {
      table: undefined,
      tableHint:
        "--history-table and --audit-table, or DRIFTWARDEN_HISTORY_TABLE and DRIFTWARDEN_AUDIT_TABLE (the historyTable and auditTable names the deploy printed)",
      region,
      localEndpoint: local,
    });
  if (local) connectLocal(local);

  // Who lifts it, and (learned from this call) the deployment's own clock.
  const by = await callerArn(region);
  const when = now();
  const fixes = await recentFixes(history, { control, resource }, config, when);
  const suspension = suspensionOf({ control, resource }, fixes, config);
  if (!suspension) {
    throw new NotSuspendedError(
      `${cleanText(resource, { max: 300 })} is not suspended by ${control}: ${fixes.length} fix${fixes.length === 1 ? "" : "es"} in the last ${config.flapping.window} (a suspension starts at ${config.flapping.maxFixes}). Nothing to resume; see driftwarden status`,
      resource,
    );
  }
  const marker = await recordResume(history, { control, resource, by }, config, when);
  const id = randomUUID();
  let seq: number;
  try {
    const { record } = await appendAudit(audit, {
      kind: "resume",
      executionId: `resume#${id}`,
      auditId: `resume-${id.slice(0, 8)}`,
      entry: "suspension-lifted",
      resource,
      control,
      account: by.split(":")[4] ?? "",
      region,
      suspension: {
        fixes: suspension.fixes.length,
        since: suspension.fixes[0]?.at ?? "",
        changedBy: suspension.changedBy,
      },
      by,
      at: when.toISOString(),
    } satisfies ResumeFacts);
    seq = record.seq;
  } catch (error) {
    // A suspension lifted without a trace in the audit trail must not stand.
    await removeResume(history, marker);
    throw new NotSuspendedError(
      `the suspension of ${resource} was kept: lifting it could not be audited (${errorMessage(error)})`,
      resource,
      { cause: error },
    );
  }
  return `Resumed ${control} on ${cleanText(resource, { max: 300 })} as ${by}; audit record ${seq}. It had been fixed ${suspension.fixes.length} times since ${suspension.fixes[0]?.at}, reverted by ${cleanText(suspension.changedBy.join(", "), { max: 600 })}. The next drift is fixed again; if it keeps coming back, driftwarden suspends it again after ${config.flapping.maxFixes} fixes.\n`;
}

const whereHelp = `
Where: --history-table or DRIFTWARDEN_HISTORY_TABLE (the deployed historyTable), --audit-table or
DRIFTWARDEN_AUDIT_TABLE (auditTable), --region or AWS_REGION (the deployment's home region), --config or
./driftwarden.config.json (flapping settings). Your identity (STS GetCallerIdentity) is audited. Against
the local demo, set the variables \`npm start\` prints.`;

export function registerResumeCommand(
  program: Command,
  print: (text: string) => void,
  context: FailureContext,
): void {
  program
    .command("resume")
    .description(
      "Lift the suspension of a resource that kept drifting back (fix what reverts it first); audited with your identity",
    )
    .argument("<control>", "the control that suspended it (from the SUSPENDED email or driftwarden status)")
    .argument("<resource>", "the resource ARN")
    .option("--history-table <name>", "fix history table (default: $DRIFTWARDEN_HISTORY_TABLE)")
    .option("--audit-table <name>", "audit table (default: $DRIFTWARDEN_AUDIT_TABLE)")
    .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
    .option("--config <file>", "the deployment's configuration (default: ./driftwarden.config.json)")
    .addHelpText("after", whereHelp)
    .action(async (control: string, resource: string, options: ResumeOptions) =>
      print(await resumeCommand(control, resource, options, process.env, context)),
    );
}
