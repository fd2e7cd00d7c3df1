import { controlById } from "../../controls/registry.js";
import type { Change } from "../../controls/types.js";
import { dynamo } from "../../lib/clients/dynamo.js";
import { now } from "../../lib/clock.js";
import { lambda } from "../../lib/middleware.js";
import { resources } from "../../lib/resources.js";
import { applyRound, reconcileRound } from "../apply.js";
import { controlContext } from "../context.js";
import { journalKey } from "../journal.js";
import type { StepPayload } from "../outcome.js";

/**
 * WorkflowApply, running as the remediator: makes the planned calls one by
 * one through the journal, or reconciles a round a crash cut short.
 */
export async function apply(
  payload: StepPayload & { mode: "apply" | "reconcile"; changes: Change[]; round: number; made: Change[] },
): Promise<{ calls: Change[] }> {
  const res = resources();
  const control = controlById(payload.input.control);
  const target = {
    control,
    ctx: controlContext(payload.input),
    resource: payload.input.resource,
    changes: payload.changes,
    journal: {
      clients: { dynamo },
      table: res.eventsTable,
      region: res.region,
      key: journalKey(payload.executionName, payload.round),
    },
    now,
  };
  const made = payload.mode === "reconcile" ? await reconcileRound(target) : await applyRound(target);
  return { calls: [...payload.made, ...made] };
}

/** The Lambda: Powertools context logging, then the step. */
export const handler = lambda(apply);
