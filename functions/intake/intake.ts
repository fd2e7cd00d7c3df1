import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { AnyControl, ControlContext, Trigger } from "../controls/types.js";
import { errorMessage, IntakeFailedError } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import { classify } from "./classify.js";
import { checkTarget, type IntakeResult, isInvalidRequest, type StartDeps } from "./start.js";

export type { IntakeIgnoreReason, IntakeResult, IntakeStatus } from "./start.js";

export interface IntakeDeps extends StartDeps {
  controls: readonly AnyControl[];
  remediatorRoleArn: string;
}

/** Redeliveries of an event arrive within hours; a week is ample and keeps the table small. */
const seenForSeconds = 7 * 24 * 60 * 60;

interface Failure {
  control: string;
  resource?: string;
  error: unknown;
}

/**
 * One EventBridge event in, one result per (control, target) out. An event
 * that means nothing (malformed, not relevant, a failed call, the
 * remediator's own change) is answered without touching AWS. An event that
 * could not be fully handled (a throttled read, an AWS 5xx, a timeout, any
 * error) fails the invocation once every target was tried, so that Lambda
 * retries it and finally dead-letters it: targets already started are safe
 * to try again (their workflows are named after the drift), and the event is
 * marked seen only after everything succeeded.
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
  // A deployment guards its own account only. Another account's event reaches this bus only when
  // that account forwards its events here; its resources are not ours to read or fix (a read with
  // this account's role answers "not found" at best, or fails and retries the event), and calling
  // them gone would misstate what happened to them.
  const home = deps.resources.account;
  if (home && trigger.account !== home) {
    return [
      {
        eventId,
        status: "ignored",
        reason: "not-relevant",
        detail: `the ${trigger.kind} event concerns account ${trigger.account}, not ${home} where driftwarden is deployed`,
      },
    ];
  }
  if (await unless(`reading the seen-marker of event ${eventId}`, () => seen(eventId, deps))) {
    return [
      { eventId, status: "ignored", reason: "duplicate", detail: `event ${eventId} was already handled` },
    ];
  }

  const origin = { source, actor, eventId, eventTime };
  const results: IntakeResult[] = [];
  const failures: Failure[] = [];
  for (const control of classification.controls) {
    const controlId = control.metadata.id;
    let targets: string[];
    try {
      targets = [...new Set(await control.resolveTargets(trigger, triggerContext(trigger, deps)))];
    } catch (error) {
      if (isInvalidRequest(error)) {
        results.push({
          eventId,
          status: "ignored",
          reason: "not-relevant",
          control: controlId,
          detail: `the ${trigger.kind} event names nothing that can exist: ${errorMessage(error)}`,
        });
        continue;
      }
      logger.error("resolving the targets of an event failed; it will be retried", {
        eventId,
        control: controlId,
        error,
      });
      failures.push({ control: controlId, error });
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
      try {
        results.push(
          await checkTarget(control, target, origin, context, deps, { joinOpenWhenCompliant: true }),
        );
      } catch (error) {
        logger.error("handling a resource of an event failed; the event will be retried", {
          eventId,
          control: controlId,
          resource: target,
          error,
        });
        failures.push({ control: controlId, resource: target, error });
      }
    }
  }

  if (failures.length > 0) {
    const what = failures.map(
      (f) => `${f.control} on ${f.resource ?? "its targets"}: ${errorMessage(f.error)}`,
    );
    throw new IntakeFailedError(
      `event ${eventId} was not fully handled (${what.join("; ")})`,
      failures[0]?.resource,
      { cause: failures[0]?.error },
    );
  }
  await unless(`marking event ${eventId} seen`, () => markSeen(eventId, deps));
  return results;
}

/** Runs `step`; its failure fails the invocation, naming what was being done. */
async function unless<T>(doing: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    logger.error(`${doing} failed; the event will be retried`, { error });
    throw new IntakeFailedError(`${doing} failed: ${errorMessage(error)}`, undefined, { cause: error });
  }
}

function triggerContext(trigger: Trigger, deps: IntakeDeps): ControlContext {
  return { account: trigger.account, region: trigger.region, clients: deps.clients, now: deps.now };
}

const seenKey = (eventId: string) => ({ pk: `event#${eventId}` });

/** True when an earlier delivery of this event was fully handled (EventBridge delivers at least once). */
async function seen(eventId: string, deps: IntakeDeps): Promise<boolean> {
  const { Item } = await deps.clients
    .dynamo(deps.resources.region)
    .send(
      new GetCommand({ TableName: deps.resources.eventsTable, Key: seenKey(eventId), ConsistentRead: true }),
    );
  return Item !== undefined;
}

async function markSeen(eventId: string, deps: IntakeDeps): Promise<void> {
  const now = deps.now();
  await deps.clients.dynamo(deps.resources.region).send(
    new PutCommand({
      TableName: deps.resources.eventsTable,
      Item: {
        ...seenKey(eventId),
        eventId,
        handledAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + seenForSeconds,
      },
    }),
  );
}
