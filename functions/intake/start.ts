import { createHash } from "node:crypto";
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { outOfScope } from "../controls/scope.js";
import type { Actor, AnyControl, ControlContext } from "../controls/types.js";
import type { Clients } from "../lib/aws.js";
import { controlConfig } from "../lib/config.js";
import { digest } from "../lib/digest.js";
import { errorMessage, errorName } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import type { DriftwardenResources } from "../lib/resources.js";
import type { TriggerSource, WorkflowInput } from "../workflow/types.js";
import type { IgnoreReason } from "./classify.js";

/**
 * The path shared by event intake and the sweep: re-read one resource, judge
 * it, and start (or join) the one workflow for its current drift.
 */

export type IntakeIgnoreReason = IgnoreReason | "duplicate";

export type IntakeResult =
  | { eventId: string | null; status: "started"; execution: string; control: string; resource: string }
  | {
      eventId: string | null;
      status: "ignored";
      reason: IntakeIgnoreReason;
      detail: string;
      control?: string;
      resource?: string;
    }
  | { eventId: string | null; status: "malformed"; reason: string }
  | { eventId: string | null; status: "error"; message: string; control?: string; resource?: string };

export type IntakeStatus = IntakeResult["status"];

/** What the workflows need from the deployment; shared by intake and the sweep. */
export interface StartDeps {
  resources: DriftwardenResources;
  clients: Clients;
  now: () => Date;
}

export interface TriggerOrigin {
  source: TriggerSource;
  actor: Actor | null;
  eventId: string | null;
  eventTime: string;
}

export interface CheckOptions {
  /**
   * Events start a workflow for a compliant resource too (the workflow
   * re-checks and records `compliant`); the sweep does not, or every resource
   * would get an execution and an audit record on every run.
   */
  startWhenCompliant: boolean;
}

/** Standard workflows keep closed execution names for 90 days; recurrences get a numbered suffix. */
const maxRecurrences = 50;

export async function checkTarget(
  control: AnyControl,
  resource: string,
  origin: TriggerOrigin,
  context: { account: string; region: string },
  deps: StartDeps,
  options: CheckOptions,
): Promise<IntakeResult> {
  const controlId = control.metadata.id;
  const base = { eventId: origin.eventId, control: controlId, resource };
  try {
    const region = resourceRegion(resource, context.region);
    const ctx: ControlContext = { account: context.account, region, clients: deps.clients, now: deps.now };
    const snapshot = await control.collect(ctx, resource);
    if (snapshot === null || snapshot === undefined) {
      return { ...base, status: "ignored", reason: "resource-gone", detail: `${resource} no longer exists` };
    }
    const { scope, settings } = controlConfig(deps.resources.config, controlId);
    const outside = outOfScope(control.tags(snapshot), scope);
    if (outside) {
      return { ...base, status: "ignored", reason: "not-relevant", detail: `out of scope: ${outside}` };
    }
    const finding = control.detect(snapshot, settings);
    if (finding.status === "not-applicable") {
      return { ...base, status: "ignored", reason: "not-relevant", detail: finding.message };
    }
    if (finding.status === "compliant" && !options.startWhenCompliant) {
      return { ...base, status: "ignored", reason: "not-relevant", detail: `compliant: ${finding.message}` };
    }
    const driftDigest = digest(control.ownedState(snapshot), 16);
    const input: WorkflowInput = {
      control: controlId,
      resource,
      region,
      account: context.account,
      trigger: origin.source,
      actor: origin.actor,
      eventId: origin.eventId,
      eventTime: origin.eventTime,
      driftDigest,
    };
    return { ...base, ...(await startOrJoin(executionName(controlId, resource, driftDigest), input, deps)) };
  } catch (error) {
    const message = errorMessage(error);
    logger.error("checking a resource failed", {
      control: controlId,
      resource,
      eventId: origin.eventId,
      error,
    });
    return { ...base, status: "error", message };
  }
}

type StartOutcome =
  | { status: "started"; execution: string }
  | { status: "ignored"; reason: "duplicate"; detail: string }
  | { status: "error"; message: string };

/**
 * One workflow per (control, resource, drift): the name is the lock. A running
 * execution of the same drift is joined; a closed one means the drift came
 * back after it ended, so the next numbered name is tried.
 */
async function startOrJoin(name: string, input: WorkflowInput, deps: StartDeps): Promise<StartOutcome> {
  const { stateMachineArn } = deps.resources;
  const sfn = deps.clients.sfn(arnRegion(stateMachineArn) ?? deps.resources.region);
  const executionPrefix = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:`;
  const closed: string[] = [];
  for (let attempt = 1; attempt <= maxRecurrences; attempt += 1) {
    const candidate = attempt === 1 ? name : `${name}-${attempt}`;
    const status = await executionStatus(sfn, `${executionPrefix}${candidate}`);
    if (status === "RUNNING" || status === "PENDING_REDRIVE") {
      return { status: "ignored", reason: "duplicate", detail: `joined running execution ${candidate}` };
    }
    if (status !== undefined) {
      closed.push(`${candidate} (${status})`);
      continue;
    }
    try {
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: candidate, input: JSON.stringify(input) }),
      );
      return { status: "started", execution: candidate };
    } catch (error) {
      // Another delivery of the same drift won the race between Describe and Start.
      if (errorName(error) === "ExecutionAlreadyExists") {
        return {
          status: "ignored",
          reason: "duplicate",
          detail: `execution ${candidate} was started concurrently`,
        };
      }
      throw error;
    }
  }
  return {
    status: "error",
    message: `drift of ${input.resource} recurred more than ${maxRecurrences} times; closed executions: ${closed.slice(-3).join(", ")}`,
  };
}

async function executionStatus(
  sfn: ReturnType<Clients["sfn"]>,
  executionArn: string,
): Promise<string | undefined> {
  try {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status ?? "RUNNING";
  } catch (error) {
    if (errorName(error) === "ExecutionDoesNotExist") return undefined;
    throw error;
  }
}

/**
 * `<control>-<resource hash>-<drift digest>`: at most 80 characters of
 * [A-Za-z0-9_-], as Step Functions requires, with room for a recurrence suffix.
 */
export function executionName(controlId: string, resource: string, driftDigest: string): string {
  const resourceHash = createHash("sha256").update(resource).digest("hex").slice(0, 12);
  const safeDigest = driftDigest.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16);
  const safeControl = controlId.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80 - 1 - 12 - 1 - 16 - 3);
  return `${safeControl}-${resourceHash}-${safeDigest}`;
}

/** CloudFront is global and lives in us-east-1; other ARNs name their region. */
export function resourceRegion(resource: string, fallback: string): string {
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return fallback;
  if (parts[2] === "cloudfront") return "us-east-1";
  return parts[3] || fallback;
}

function arnRegion(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}
