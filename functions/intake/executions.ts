import { createHash } from "node:crypto";
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { errorName } from "../lib/errors.js";
import type { WorkflowInput } from "../workflow/types.js";
import type { StartDeps } from "./start.js";

/**
 * Which workflow execution a drift of a resource belongs to, in a constant
 * number of calls however often it recurs. One item per (control, resource)
 * in the events table holds a sequence number and the execution it last
 * started (its name, drift and triggering event); a conditional update on
 * the sequence number is the lock, so two deliveries of the same drift
 * cannot both start one. Execution names stay `<control>-<resource>-<drift>`
 * with the sequence number appended from the second execution of a resource
 * on, and never repeat: Step Functions refuses a name reused within 90 days,
 * and the item outlives that.
 */

export type StartOutcome =
  | { status: "started"; execution: string }
  | { status: "ignored"; reason: "duplicate"; detail: string };

interface LatestExecution {
  name: string;
  drift: string;
  /** Envelope id of the event that started it; null for the sweep. */
  event: string | null;
}

interface TargetRecord {
  pk: string;
  seq: number;
  latest: LatestExecution;
}

/** Step Functions keeps closed executions (and their names) for 90 days; a day more for clock slack. */
const keepForSeconds = 91 * 24 * 60 * 60;
/** Reserving a name races only with other deliveries about the same resource; a few rounds settle it. */
const maxReservations = 3;

const openStatuses = new Set(["RUNNING", "PENDING_REDRIVE"]);

function targetKey(controlId: string, resource: string): string {
  return `target#${controlId}#${createHash("sha256").update(resource).digest("hex")}`;
}

async function readTarget(
  controlId: string,
  resource: string,
  deps: StartDeps,
): Promise<TargetRecord | undefined> {
  const { Item } = await deps.clients.dynamo(deps.resources.region).send(
    new GetCommand({
      TableName: deps.resources.eventsTable,
      Key: { pk: targetKey(controlId, resource) },
      ConsistentRead: true,
    }),
  );
  return Item as TargetRecord | undefined;
}

function sfnOf(deps: StartDeps) {
  const region = deps.resources.stateMachineArn.split(":")[3] || deps.resources.region;
  return deps.clients.sfn(region);
}

function executionArn(deps: StartDeps, name: string): string {
  return `${deps.resources.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}

async function describe(
  deps: StartDeps,
  name: string,
): Promise<{ status: string; eventId: string | null } | undefined> {
  try {
    const execution = await sfnOf(deps).send(
      new DescribeExecutionCommand({ executionArn: executionArn(deps, name) }),
    );
    let eventId: string | null = null;
    try {
      eventId = (JSON.parse(execution.input ?? "{}") as { eventId?: string | null }).eventId ?? null;
    } catch {
      // Not an input intake wrote: it cannot be this event's.
    }
    return { status: execution.status ?? "RUNNING", eventId };
  } catch (error) {
    if (errorName(error) === "ExecutionDoesNotExist") return undefined;
    throw error;
  }
}

/** Whether a workflow of this control is still open for the resource (the latest one it started, any drift). */
export async function openExecution(
  controlId: string,
  resource: string,
  deps: StartDeps,
): Promise<string | undefined> {
  const record = await readTarget(controlId, resource, deps);
  if (!record?.latest) return undefined;
  const execution = await describe(deps, record.latest.name);
  return execution && openStatuses.has(execution.status) ? record.latest.name : undefined;
}

/**
 * Starts the workflow for this drift, or joins the one already handling it.
 * A redelivered event that already started one is a duplicate even after that
 * execution ended; a name reserved by a delivery that died before starting it
 * is started by whoever comes next.
 */
export async function startOrJoin(input: WorkflowInput, deps: StartDeps): Promise<StartOutcome> {
  const base = executionName(input.control, input.resource, input.driftDigest);
  for (let round = 1; round <= maxReservations; round++) {
    const record = await readTarget(input.control, input.resource, deps);
    const latest = record?.latest;
    let name: string | undefined;
    if (latest?.drift === input.driftDigest) {
      const existing = await describe(deps, latest.name);
      if (!existing) {
        // Reserved, but its start never happened: start it now.
        name = latest.name;
      } else if (openStatuses.has(existing.status)) {
        return { status: "ignored", reason: "duplicate", detail: `joined running execution ${latest.name}` };
      } else if (input.eventId !== null && latest.event === input.eventId) {
        return {
          status: "ignored",
          reason: "duplicate",
          detail: `event ${input.eventId} already started execution ${latest.name}`,
        };
      }
    }
    if (!name) {
      const seq = (record?.seq ?? 0) + 1;
      name = seq === 1 ? base : `${base}-${seq}`;
      if (!(await reserve(input, name, seq, record, deps))) continue;
    }
    const outcome = await start(input, name, deps);
    if (outcome) return outcome;
  }
  throw new Error(
    `could not reserve an execution name for ${input.control} on ${input.resource} in ${maxReservations} rounds: other deliveries kept winning`,
  );
}

async function reserve(
  input: WorkflowInput,
  name: string,
  seq: number,
  record: TargetRecord | undefined,
  deps: StartDeps,
): Promise<boolean> {
  const latest: LatestExecution = { name, drift: input.driftDigest, event: input.eventId };
  try {
    await deps.clients.dynamo(deps.resources.region).send(
      new UpdateCommand({
        TableName: deps.resources.eventsTable,
        Key: { pk: targetKey(input.control, input.resource) },
        UpdateExpression:
          "SET #seq = :seq, #latest = :latest, #control = :control, #resource = :resource, #expires = :expires",
        ConditionExpression: record ? "#seq = :previous" : "attribute_not_exists(pk)",
        ExpressionAttributeNames: {
          "#seq": "seq",
          "#latest": "latest",
          "#control": "control",
          "#resource": "resource",
          "#expires": "expiresAt",
        },
        ExpressionAttributeValues: {
          ":seq": seq,
          ":latest": latest,
          ":control": input.control,
          ":resource": input.resource,
          ":expires": Math.floor(deps.now().getTime() / 1000) + keepForSeconds,
          ...(record ? { ":previous": record.seq } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** Undefined when the name turned out to be taken by an unrelated execution: reserve the next one. */
async function start(input: WorkflowInput, name: string, deps: StartDeps): Promise<StartOutcome | undefined> {
  const { stateMachineArn } = deps.resources;
  try {
    await sfnOf(deps).send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { status: "started", execution: name };
  } catch (error) {
    if (errorName(error) !== "ExecutionAlreadyExists") throw error;
  }
  // Another delivery started the same reservation first, or the name is older than this table's record of it.
  const existing = await describe(deps, name);
  if (existing && (openStatuses.has(existing.status) || existing.eventId === input.eventId)) {
    return { status: "ignored", reason: "duplicate", detail: `execution ${name} was started concurrently` };
  }
  return undefined;
}

/**
 * `<control>-<resource hash>-<drift digest>`: at most 80 characters of
 * [A-Za-z0-9_-], as Step Functions requires, with room for a `-<sequence>`
 * suffix of up to ten digits.
 */
export function executionName(controlId: string, resource: string, driftDigest: string): string {
  const resourceHash = createHash("sha256").update(resource).digest("hex").slice(0, 12);
  const safeDigest = driftDigest.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16);
  const safeControl = controlId.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80 - 1 - 12 - 1 - 16 - 11);
  return `${safeControl}-${resourceHash}-${safeDigest}`;
}
