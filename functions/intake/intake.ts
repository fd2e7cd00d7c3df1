import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AnyControl, ControlContext, Trigger } from "../controls/types.js";
import { errorMessage, errorName } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import { classify } from "./classify.js";
import { checkTarget, type IntakeResult, type StartDeps } from "./start.js";

export type { IntakeIgnoreReason, IntakeResult, IntakeStatus } from "./start.js";

export interface IntakeDeps extends StartDeps {
  controls: readonly AnyControl[];
  remediatorRoleArn: string;
}

/** Redeliveries of an event arrive within minutes; a week is ample and keeps the table small. */
const seenForSeconds = 7 * 24 * 60 * 60;

/**
 * One EventBridge event in, one result per (control, target) out. Every event
 * ends in at least one result, so nothing it caused or failed to cause is lost.
 */
export async function intake(envelope: unknown, deps: IntakeDeps): Promise<IntakeResult[]> {
  const classification = classify(envelope, deps);
  if (classification.kind === "malformed") {
    return [{ eventId: classification.eventId, status: "malformed", reason: classification.reason }];
  }
  if (classification.kind === "ignored") {
    const { eventId, reason, detail } = classification;
    return [{ eventId, status: "ignored", reason, detail }];
  }

  const { eventId, trigger, actor, source, eventTime } = classification;
  try {
    if (!(await markSeen(eventId, deps))) {
      return [
        { eventId, status: "ignored", reason: "duplicate", detail: `event ${eventId} was already handled` },
      ];
    }
  } catch (error) {
    logger.error("marking the event seen failed", { eventId, error });
    return [{ eventId, status: "error", message: `marking event ${eventId} seen: ${errorMessage(error)}` }];
  }

  const origin = { source, actor, eventId, eventTime };
  const results: IntakeResult[] = [];
  for (const control of classification.controls) {
    const controlId = control.metadata.id;
    let targets: string[];
    try {
      targets = [...new Set(await control.resolveTargets(trigger, triggerContext(trigger, deps)))];
    } catch (error) {
      logger.error("resolving targets failed", { control: controlId, eventId, error });
      results.push({ eventId, status: "error", control: controlId, message: errorMessage(error) });
      continue;
    }
    if (targets.length === 0) {
      results.push({
        eventId,
        status: "ignored",
        reason: "not-relevant",
        control: controlId,
        detail: `the ${trigger.kind} event concerns no ${control.metadata.resourceType} of ${controlId}`,
      });
      continue;
    }
    for (const target of targets) {
      const context = { account: trigger.account, region: trigger.region };
      results.push(await checkTarget(control, target, origin, context, deps, { startWhenCompliant: true }));
    }
  }

  if (results.some((result) => result.status === "error")) await releaseSeen(eventId, deps);
  return results;
}

function triggerContext(trigger: Trigger, deps: IntakeDeps): ControlContext {
  return { account: trigger.account, region: trigger.region, clients: deps.clients, now: deps.now };
}

/** True when this delivery is the first; EventBridge delivers at least once. */
async function markSeen(eventId: string, deps: IntakeDeps): Promise<boolean> {
  const now = deps.now();
  try {
    await deps.clients.dynamo(deps.resources.region).send(
      new PutCommand({
        TableName: deps.resources.eventsTable,
        Item: {
          pk: `event#${eventId}`,
          eventId,
          receivedAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + seenForSeconds,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/**
 * A target failed: the event was not fully handled, so a redelivery must not be
 * taken for a duplicate. Targets that did start are protected by their
 * execution names.
 */
async function releaseSeen(eventId: string, deps: IntakeDeps): Promise<void> {
  try {
    await deps.clients
      .dynamo(deps.resources.region)
      .send(new DeleteCommand({ TableName: deps.resources.eventsTable, Key: { pk: `event#${eventId}` } }));
  } catch (error) {
    logger.error("releasing the seen marker failed; a redelivery will be taken for a duplicate", {
      eventId,
      error,
    });
  }
}
