import { outOfScope } from "../controls/scope.js";
import type { Actor, AnyControl, ControlContext } from "../controls/types.js";
import type { Clients } from "../lib/aws.js";
import type { ControlClients } from "../lib/clients/controls.js";
import { controlConfig } from "../lib/config.js";
import { digest } from "../lib/digest.js";
import { errorMessage, errorName } from "../lib/errors.js";
import type { DriftwardenResources } from "../lib/resources.js";
import type { TriggerSource, WorkflowInput } from "../workflow/types.js";
import type { IgnoreReason } from "./classify.js";
import { openExecution, startOrJoin } from "./executions.js";

export { executionName } from "./executions.js";

/**
 * The path shared by event intake and the sweep: re-read one resource, judge
 * it, and start (or join) the one workflow for its current drift.
 */

export type IntakeIgnoreReason = IgnoreReason | "duplicate" | "compliant";

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

/** The clients intake and the sweep call: the controls' reads, their records and starting workflows. */
export type IntakeClients = ControlClients & Pick<Clients, "dynamo" | "sfn">;

/** What the workflows need from the deployment; shared by intake and the sweep. */
export interface StartDeps {
  resources: DriftwardenResources;
  clients: IntakeClients;
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
   * An event about a compliant resource joins the workflow still open for it
   * (it may be the fix the event reports); the sweep skips compliant
   * resources without asking, or every run would cost a look-up per resource.
   */
  joinOpenWhenCompliant: boolean;
}

/**
 * One resource of one control: a result for every definite answer (started,
 * joined, gone, compliant, not applicable). A failure to read or to start is
 * thrown: the caller decides whether it is retried (intake) or reported (the sweep).
 */
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
  const region = resourceRegion(resource, context.region);
  const ctx: ControlContext = { account: context.account, region, clients: deps.clients, now: deps.now };
  let snapshot: unknown;
  try {
    snapshot = await control.collect(ctx, resource);
  } catch (error) {
    if (!isInvalidRequest(error)) throw error;
    return {
      ...base,
      status: "ignored",
      reason: "not-relevant",
      detail: `${resource} cannot exist: ${errorMessage(error)}`,
    };
  }
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
  if (finding.status === "compliant") {
    const open = options.joinOpenWhenCompliant ? await openExecution(controlId, resource, deps) : undefined;
    if (open) {
      return { ...base, status: "ignored", reason: "duplicate", detail: `joined running execution ${open}` };
    }
    return { ...base, status: "ignored", reason: "compliant", detail: finding.message };
  }
  const input: WorkflowInput = {
    control: controlId,
    resource,
    region,
    account: context.account,
    trigger: origin.source,
    actor: origin.actor,
    eventId: origin.eventId,
    eventTime: origin.eventTime,
    driftDigest: digest(control.ownedState(snapshot), 16),
  };
  return { ...base, ...(await startOrJoin(input, deps)) };
}

const invalidRequests = new Set([
  "ValidationError",
  "ValidationException",
  "InvalidArgument",
  "InvalidInput",
  "InvalidParameterValue",
  "InvalidParameterException",
]);

/**
 * AWS refused the request itself as invalid (an ARN of the wrong shape, an
 * unknown region): the event named something that cannot exist, and asking
 * again cannot change that. Anything else (throttling, 5xx, access denied)
 * may pass, and is retried.
 */
export function isInvalidRequest(error: unknown): boolean {
  return invalidRequests.has(errorName(error) ?? "") && (error as { $fault?: string }).$fault === "client";
}

/** CloudFront is global and lives in us-east-1; other ARNs name their region. */
export function resourceRegion(resource: string, fallback: string): string {
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return fallback;
  if (parts[2] === "cloudfront") return "us-east-1";
  return parts[3] || fallback;
}
