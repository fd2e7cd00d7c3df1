import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Command } from "commander";
import {
  type ApprovalRecord,
  type ApprovalStatus,
  decideApproval,
  listApprovals,
} from "../functions/approvals/store.js";
import { findControl } from "../functions/controls/registry.js";
import { clients, useClientPlugin, useDynamoEndpoint } from "../functions/lib/aws.js";
import { now, useClock } from "../functions/lib/clock.js";
import { ApprovalError, ConfigurationError } from "../functions/lib/errors.js";
import { humanTime } from "../functions/lib/human-time.js";
import { identifyOwner } from "../functions/lib/owner.js";
import { cleanText, visibleJson } from "../functions/lib/untrusted.js";
import {
  describeActor,
  describeChange,
  describeDecision,
  ownerLines,
  resourceLabel,
} from "../functions/notify/message.js";
import type { FailureContext } from "./errors.js";

/**
 * On-call decides from a terminal with their own AWS credentials: the caller's
 * identity (STS GetCallerIdentity) is recorded as who decided. The commands
 * read and decide through the same store code as the approval page.
 *
 * Where they act:
 *   --table / DRIFTWARDEN_APPROVALS_TABLE   the deployed approvals table (ApprovalsTable)
 *   --region / AWS_REGION / AWS_DEFAULT_REGION   the deployment's home region (table and state machine)
 *   DRIFTWARDEN_LOCAL_ENDPOINT   a local runtime's endpoints (`npm start` prints it): every
 *                                client talks to it instead of AWS
 */
export interface ApprovalTarget {
  table?: string;
  region?: string;
}

export interface ResolvedTarget {
  table: string;
  region: string;
  local?: string;
}

const statuses: readonly ApprovalStatus[] = ["pending", "approved", "rejected", "expired"];
// Local endpoints accept any signature; fixed credentials keep the SDK from looking for real ones.
const localCredentials = { accessKeyId: "driftwarden-local", secretAccessKey: "driftwarden-local" };

export function resolveTarget(options: ApprovalTarget, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  const table = options.table ?? env.DRIFTWARDEN_APPROVALS_TABLE;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!table) {
    throw new ConfigurationError(
      "which approvals table? Pass --table <name> or set DRIFTWARDEN_APPROVALS_TABLE to the deployed ApprovalsTable name",
    );
  }
  if (!region) {
    throw new ConfigurationError(
      "which region? Pass --region <region> or set AWS_REGION to the deployment's home region",
    );
  }
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/.test(region)) {
    throw new ConfigurationError(
      `region "${region}" is not an AWS region such as eu-west-1: check --region or AWS_REGION`,
    );
  }
  const local = env.DRIFTWARDEN_LOCAL_ENDPOINT || undefined;
  if (local && !URL.canParse(local)) {
    throw new ConfigurationError(
      `DRIFTWARDEN_LOCAL_ENDPOINT "${local}" is not a URL: use the line \`npm start\` prints, or unset it to use AWS`,
    );
  }
  return { table, region, ...(local ? { local } : {}) };
}

let connectedTo: string | undefined;

/**
 * Points every client at a local runtime's endpoints. The local account keeps
 * its own clock (the demo's day is not today): like an AWS client correcting
 * skew, the CLI takes "now" from the `Date` header of the endpoint's answers.
 */
export function connectLocal(endpoint: string): () => void {
  if (connectedTo === endpoint) return () => undefined;
  let serverTime: Date | undefined;
  const unregister = useClientPlugin({
    plugin: () => ({
      applyToStack: (stack) => {
        stack.add(
          (next) => async (args) => {
            const result = await next(args);
            const headers = (result.response as { headers?: Record<string, string> } | undefined)?.headers;
            const date = headers?.date ? new Date(headers.date) : undefined;
            if (date && !Number.isNaN(date.getTime())) serverTime = date;
            return result;
          },
          { step: "deserialize", name: "driftwardenLocalClock", override: true },
        );
      },
    }),
    config: { endpoint, credentials: localCredentials },
  });
  useDynamoEndpoint({ endpoint, credentials: localCredentials });
  useClock(() => serverTime ?? new Date());
  connectedTo = endpoint;
  return () => {
    unregister();
    useDynamoEndpoint(undefined);
    useClock(undefined);
    connectedTo = undefined;
  };
}

function prepare(options: ApprovalTarget, env: NodeJS.ProcessEnv, context?: FailureContext): ResolvedTarget {
  const target = resolveTarget(options, env);
  // A failure from here on can name the table, region and endpoint it was about.
  if (context)
    Object.assign(context, { table: target.table, region: target.region, localEndpoint: target.local });
  if (target.local) connectLocal(target.local);
  return target;
}

export async function callerArn(region: string): Promise<string> {
  const identity = await clients.sts(region).send(new GetCallerIdentityCommand({}));
  if (!identity.Arn)
    throw new ApprovalError("STS GetCallerIdentity returned no ARN; cannot record who decided");
  return identity.Arn;
}

/**
 * One approval as on-call reads it in a terminal. The actor, names and
 * reasons come from outside driftwarden: they are quoted and cleaned as in
 * the emails, because a terminal obeys control characters.
 */
export function formatApproval(record: ApprovalRecord): string {
  const control = findControl(record.control)?.metadata;
  const lines = [
    `${record.id}  ${record.status}  ${cleanText(record.control, { max: 80 })}  ${resourceLabel(record.resource)}`,
    `  resource:     ${cleanText(record.resource, { max: 300 })}`,
    `  what drifted: ${cleanText(record.finding, { max: 1000 })}`,
    ...describeActor(record.actor).map((line) => `  ${line}`),
    ...record.reasons.map((reason) => `  why risky:    ${cleanText(reason, { max: 1000 })}`),
    ...record.changes.map((change) => `  change:       ${describeChange(change)}`),
    ...(control ? ownerLines(identifyOwner({ actor: record.actor }), control) : [])
      .filter((line) => line !== "")
      .map((line) => `  ${line}`),
    `  requested:    ${humanTime(record.createdAt)}`,
    `  expires:      ${humanTime(record.expiresAt)}`,
  ];
  if (record.decidedBy) {
    const decision = describeDecision({
      kind: record.status,
      by: record.decidedBy,
      byVerified: record.decidedByVerified,
      channel: record.decidedVia?.channel,
      ...(record.decidedAt ? { at: record.decidedAt } : {}),
      ...(record.reason ? { reason: record.reason } : {}),
    });
    lines.push(
      `  decided:      ${decision} via ${cleanText(record.decidedVia?.channel ?? "?", { max: 40 })}`,
    );
  }
  return lines.join("\n");
}

export async function listCommand(
  options: ApprovalTarget & { status?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<string> {
  const status = (options.status ?? "pending") as ApprovalStatus;
  if (!statuses.includes(status)) {
    throw new ConfigurationError(`--status must be one of ${statuses.join(", ")}, not "${options.status}"`);
  }
  const target = prepare(options, env, context);
  const records = await listApprovals({ table: target.table, region: target.region }, status);
  // The task token stays server-side: the CLI output is pasted into tickets and chats.
  const shown = records.map(({ token: _token, ...rest }) => rest);
  if (options.json) return `${visibleJson(shown, 2)}\n`;
  if (shown.length === 0) return `No ${status} approvals in ${target.table} (${target.region}).\n`;
  return `${records.map(formatApproval).join("\n\n")}\n`;
}

export async function decideCommand(
  id: string,
  decision: "approved" | "rejected",
  options: ApprovalTarget & { reason?: string },
  env: NodeJS.ProcessEnv = process.env,
  context?: FailureContext,
): Promise<string> {
  const target = prepare(options, env, context);
  const by = await callerArn(target.region);
  const record = await decideApproval(
    { table: target.table, region: target.region, stateMachineRegion: target.region },
    // The caller's STS identity: authenticated, so recorded as verified.
    { id, decision, by, verified: true, reason: options.reason, via: { channel: "cli" }, now: now() },
  );
  const next =
    decision === "approved"
      ? "driftwarden re-checks the resource and applies the fix if it is unchanged (otherwise it re-plans and asks again)."
      : "Nothing will be changed.";
  return `${decision} ${record.id} (${cleanText(record.resource, { max: 300 })}) as ${by} (verified AWS identity). ${next}\n`;
}

const targetHelp = `
Where: --table or DRIFTWARDEN_APPROVALS_TABLE (the deployed ApprovalsTable name), --region or AWS_REGION
(the deployment's home region). Your AWS credentials are used; your identity (STS GetCallerIdentity) is
recorded as who decided. Against the local demo, set the variables \`npm start\` prints
(DRIFTWARDEN_LOCAL_ENDPOINT, DRIFTWARDEN_APPROVALS_TABLE, AWS_REGION).`;

/** Failures propagate to cli/main.ts, which turns them into one line and an exit code (cli/errors.ts). */
export function registerApprovalCommands(
  program: Command,
  print: (text: string) => void,
  context: FailureContext,
): void {
  const withTarget = (command: Command) =>
    command
      .option("--table <name>", "approvals table (default: $DRIFTWARDEN_APPROVALS_TABLE)")
      .option("--region <region>", "home region of the deployment (default: $AWS_REGION)")
      .addHelpText("after", targetHelp);

  const approvals = program.command("approvals").description("Approval requests waiting for on-call");
  withTarget(
    approvals
      .command("list")
      .description("List approval requests (pending ones by default), oldest first")
      .option("--status <status>", `one of ${statuses.join(", ")}`, "pending")
      .option("--json", "print the records as JSON (without task tokens)"),
  ).action(async (options: ApprovalTarget & { status?: string; json?: boolean }) =>
    print(await listCommand(options, process.env, context)),
  );

  withTarget(
    program
      .command("approve")
      .description("Approve a pending fix; you are recorded as the approver")
      .argument("<id>", "approval id (from the email or `driftwarden approvals list`)"),
  ).action(async (id: string, options: ApprovalTarget) =>
    print(await decideCommand(id, "approved", options, process.env, context)),
  );

  withTarget(
    program
      .command("reject")
      .description("Reject a pending fix; nothing is changed and you are recorded as who rejected")
      .argument("<id>", "approval id (from the email or `driftwarden approvals list`)")
      .requiredOption("--reason <text>", "why (kept in the audit record and the notification)"),
  ).action(async (id: string, options: ApprovalTarget & { reason: string }) =>
    print(await decideCommand(id, "rejected", options, process.env, context)),
  );
}
