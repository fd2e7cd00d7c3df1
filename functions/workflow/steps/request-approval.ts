import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { approvalLinks } from "../../approvals/links.js";
import {
  type ApprovalRecord,
  markNotified,
  putApproval,
  refreshToken,
  supersedeApproval,
} from "../../approvals/store.js";
import { appendAudit } from "../../audit/store.js";
import { metadataById } from "../../controls/catalog.js";
import type { Change } from "../../controls/types.js";
import { sfn } from "../../lib/clients/sfn.js";
import { now } from "../../lib/clock.js";
import { lambda } from "../../lib/middleware.js";
import { resources } from "../../lib/resources.js";
import { buildNotification } from "../../notify/message.js";
import { publishOnce } from "../../notify/once.js";
import type { Evaluation } from "../evaluate.js";
import { facts, type StepPayload } from "../outcome.js";

/**
 * WorkflowRequestApproval: asks on-call (the approval record, its audit entry,
 * signed links, one email) and waits on the task token. Names the control
 * from its metadata only: it runs none.
 */
export async function requestApproval(
  payload: StepPayload & { taskToken: string; evaluation: Evaluation; made?: Change[] },
): Promise<{ approvalId: string }> {
  const res = resources();
  const store = { table: res.approvalsTable, region: res.region };
  const { evaluation } = payload;
  const approval = evaluation.approval;
  if (!approval)
    throw new TypeError("requestApproval needs the evaluation's approval (decision ask or wait)");
  if (approval.supersedes && approval.supersedes !== approval.id) {
    await supersedeApproval(store, approval.supersedes, approval.id);
  }
  const control = metadataById(payload.input.control);
  const created = now();
  const expiresAt = new Date(approval.expiresAt);
  const written = await putApproval(store, {
    id: approval.id,
    executionId: payload.executionId,
    executionName: payload.executionName,
    round: approval.round,
    control: control.id,
    resource: payload.input.resource,
    account: payload.input.account,
    region: payload.input.region,
    actor: payload.input.actor,
    ...(evaluation.owner ? { owner: evaluation.owner } : {}),
    finding: evaluation.message,
    reasons: evaluation.reasons,
    changes: evaluation.ask,
    planDigest: evaluation.planDigest,
    token: payload.taskToken,
    status: "pending",
    createdAt: created.toISOString(),
    expiresAt: expiresAt.toISOString(),
    // Kept a week past expiry so "expired" can still be shown to a late click.
    expiresAtEpoch: Math.floor(expiresAt.getTime() / 1000) + 7 * 86_400,
  });
  let record: ApprovalRecord | undefined;
  if (written === "exists") {
    // A retried attempt (or a new wait on the same request) has a new token: the old one is dead.
    record = await refreshToken(store, approval.id, payload.taskToken);
    if (!record) {
      // Decided (or closed) while this task started: let the workflow read the record right away.
      await sfn(res.region).send(
        new SendTaskSuccessCommand({
          taskToken: payload.taskToken,
          output: JSON.stringify({ approvalId: approval.id }),
        }),
      );
      return { approvalId: approval.id };
    }
    if (record.notifiedAt) return { approvalId: approval.id };
  }
  await appendAudit(
    { table: res.auditTable, region: res.region },
    facts(payload, "awaiting-approval", `awaiting-approval#${approval.round}`, {
      finding: evaluation.message,
      stateBefore: evaluation.stateBefore,
      change:
        (payload.made ?? []).length > 0
          ? { made: true, calls: payload.made ?? [], proposed: evaluation.ask }
          : { made: false, calls: evaluation.ask },
      decision: { kind: "pending" },
      notes: evaluation.notes,
      owner: evaluation.owner ?? null,
    }),
  );
  const links = await approvalLinks(res, approval.id, expiresAt);
  const notification = buildNotification({
    outcome: "awaiting-approval",
    control,
    input: payload.input,
    finding: evaluation.message,
    changes: evaluation.ask,
    changesMade: false,
    riskReasons: evaluation.reasons,
    auditId: payload.executionName,
    executionId: payload.executionId,
    approval: { id: approval.id, expiresAt: expiresAt.toISOString(), ...links },
    notes: [...madeSoFarNotes(payload), ...evaluation.notes],
    owner: evaluation.owner ?? null,
  });
  await publishOnce(res, `${payload.executionName}#approval#${approval.id}`, notification, now());
  await markNotified(store, approval.id, now());
  return { approvalId: approval.id };
}

/** The safe part already made goes into the request, so on-call knows what changed before asking. */
function madeSoFarNotes(payload: { made?: Change[] }): string[] {
  const made = payload.made ?? [];
  return made.length > 0
    ? [`Already made automatically (safe): ${made.map((c) => c.action).join(", ")}`]
    : [];
}

/** The Lambda: Powertools context logging, then the step. */
export const handler = lambda(requestApproval);
