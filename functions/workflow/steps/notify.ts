import { metadataById } from "../../controls/catalog.js";
import { dynamo } from "../../lib/clients/dynamo.js";
import { now } from "../../lib/clock.js";
import { lambda } from "../../lib/middleware.js";
import { resources } from "../../lib/resources.js";
import { buildNotification } from "../../notify/message.js";
import { publishOnce } from "../../notify/once.js";
import { keep } from "../outbox.js";
import {
  changesOf,
  decisionFacts,
  errorOf,
  findingOf,
  notesOf,
  type StepPayload,
  type WorkflowState,
} from "../outcome.js";
import type { Outcome } from "../types.js";

/**
 * WorkflowNotify: emails on-call the outcome (or keeps the message in the
 * outbox). Names the control from its metadata only: it runs none.
 */
export async function notify(
  payload: StepPayload & { mode: "notify" | "outbox"; outcome: Outcome; state: WorkflowState },
): Promise<{ messageId: string; published: boolean }> {
  const res = resources();
  const { state } = payload;
  const control = metadataById(payload.input.control);
  const notes = notesOf(payload.outcome, state);
  if (payload.outcome === "fixed" && control.service === "cloudfront") {
    notes.push(
      "CloudFront is deploying the change (status InProgress); propagation to every edge takes a few minutes.",
    );
  }
  if (!(state as { audit?: unknown }).audit) {
    notes.push(
      "The audit record of this outcome could not be written yet; it waits in the outbox and is written when the audit table answers again.",
    );
  }
  const change = changesOf(state);
  const notification = buildNotification({
    outcome: payload.outcome,
    control,
    input: payload.input,
    finding: findingOf(state),
    changes: change.calls,
    changesMade: change.made,
    riskReasons: state.evaluation?.reasons ?? [],
    decision: decisionFacts(state),
    error: errorOf(state),
    owner: state.evaluation?.owner ?? null,
    auditId: payload.executionName,
    executionId: payload.executionId,
    notes,
  });
  if (payload.mode === "outbox") {
    await keep(
      { clients: { dynamo }, table: res.outboxTable, region: res.region },
      {
        id: `notification#${payload.executionName}`,
        kind: "notification",
        notification,
        execution: payload.executionName,
        keptAt: now().toISOString(),
      },
    );
    return { messageId: "", published: false };
  }
  return publishOnce(res, `${payload.executionName}#${payload.outcome}`, notification, now());
}

/** The Lambda: Powertools context logging, then the step. */
export const handler = lambda(notify);
