import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { approvalLinks } from "../approvals/links.js";
import {
  type ApprovalRecord,
  expireApproval,
  getApproval,
  markNotified,
  putApproval,
  refreshToken,
  settle,
  supersedeApproval,
} from "../approvals/store.js";
import { type AuditFacts, appendAudit, type Decision } from "../audit/store.js";
import { controlById } from "../controls/registry.js";
import type { Change, Finding } from "../controls/types.js";
import { clients } from "../lib/aws.js";
import { now } from "../lib/clock.js";
import { controlConfig } from "../lib/config.js";
import { metrics } from "../lib/observability.js";
import { describeOwner } from "../lib/owner.js";
import { resources } from "../lib/resources.js";
import { buildNotification, type DecisionFacts } from "../notify/message.js";
import { publishOnce } from "../notify/once.js";
import { applyRound, reconcileRound } from "./apply.js";
import { controlContext } from "./context.js";
import type { Evaluation } from "./evaluate.js";
import { recordFix } from "./history.js";
import { journalKey } from "./journal.js";
import { keep } from "./outbox.js";
import type { Outcome, WorkflowInput } from "./types.js";

export { evaluate } from "./evaluate.js";

/**
 * The business logic of every workflow step, as plain functions of their
 * Step Functions payload. The Lambda handlers only wrap these.
 */
export interface StepPayload {
  input: WorkflowInput;
  executionId: string;
  executionName: string;
}

/** The workflow state document as the recording steps receive it. */
export interface WorkflowState {
  input: WorkflowInput;
  evaluation?: Evaluation;
  applied?: { calls: Change[] };
  verification?: Finding;
  error?: { Error: string; Cause?: string };
  outcome: Outcome;
}

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
  const control = controlById(payload.input.control);
  const created = now();
  const expiresAt = new Date(approval.expiresAt);
  const written = await putApproval(store, {
    id: approval.id,
    executionId: payload.executionId,
    executionName: payload.executionName,
    round: approval.round,
    control: control.metadata.id,
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
      await clients.sfn(res.region).send(
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
  const links = approvalLinks(res, approval.id, expiresAt);
  const notification = buildNotification({
    outcome: "awaiting-approval",
    control: control.metadata,
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
      clients,
      table: res.eventsTable,
      region: res.region,
      key: journalKey(payload.executionName, payload.round),
    },
    now,
  };
  const made = payload.mode === "reconcile" ? await reconcileRound(target) : await applyRound(target);
  return { calls: [...payload.made, ...made] };
}

/** Re-reads live state: only what AWS now says counts as fixed. */
export async function verify(payload: StepPayload): Promise<Finding> {
  const control = controlById(payload.input.control);
  const { settings } = controlConfig(resources().config, control.metadata.id);
  const snapshot = await control.collect(controlContext(payload.input), payload.input.resource);
  if (snapshot === null) {
    return {
      status: "non-compliant",
      message: `${payload.input.resource} no longer exists, so the fix could not be verified`,
    };
  }
  return control.detect(snapshot, settings);
}

function facts(
  payload: StepPayload,
  outcome: Outcome,
  entry: string,
  rest: Pick<AuditFacts, "finding" | "stateBefore" | "change" | "decision"> & Partial<AuditFacts>,
): AuditFacts {
  const control = controlById(payload.input.control);
  return {
    executionId: payload.executionId,
    auditId: payload.executionName,
    entry,
    control: control.metadata.id,
    securityHubIds: control.metadata.securityHubIds,
    resource: payload.input.resource,
    account: payload.input.account,
    region: payload.input.region,
    trigger: payload.input.trigger,
    actor: payload.input.actor,
    eventId: payload.input.eventId,
    outcome,
    at: now().toISOString(),
    ...rest,
  };
}

/** Lambda reports a failure as {Error, Cause}; Cause is the JSON of {errorType, errorMessage} or plain text. */
function errorOf(state: WorkflowState): { name: string; message: string } | undefined {
  if (state.outcome !== "failed" || !state.error) return undefined;
  const cause = state.error.Cause ?? "";
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed.errorMessage) return { name: state.error.Error, message: parsed.errorMessage };
  } catch {
    // Not JSON: Step Functions' own errors carry a plain sentence.
  }
  return { name: state.error.Error, message: cause || state.error.Error };
}

function decisionOf(state: WorkflowState): Decision {
  const decided = state.evaluation?.decided;
  if (decided && (state.outcome === "rejected" || decided.decision === "approved")) {
    return {
      kind: decided.decision,
      by: decided.by,
      verified: decided.verified,
      at: decided.at,
      ...(decided.reason ? { reason: decided.reason } : {}),
      ...(decided.channel ? { channel: decided.channel } : {}),
    };
  }
  if (state.outcome === "approval-expired") return { kind: "expired" };
  if ((state.applied?.calls.length ?? 0) > 0) return { kind: "automatic" };
  return { kind: "none" };
}

/** The decision as on-call reads it: who, and whether that identity was verified or only typed. */
function decisionFacts(state: WorkflowState): DecisionFacts {
  const { verified, ...decision } = decisionOf(state);
  return {
    ...decision,
    ...(verified === undefined ? {} : { byVerified: verified }),
  };
}

function changesOf(state: WorkflowState): AuditFacts["change"] {
  const made = state.applied?.calls ?? [];
  const planned = state.evaluation?.changes ?? [];
  if (made.length > 0) {
    // What was proposed but not made (the part that waited and was rejected, or expired) stays visible.
    const rest = state.outcome === "fixed" ? [] : (state.evaluation?.ask ?? []);
    return { made: true, calls: made, ...(rest.length > 0 ? { proposed: rest } : {}) };
  }
  return { made: false, calls: planned };
}

function findingOf(state: WorkflowState): string {
  return state.evaluation?.message ?? "not determined";
}

function outcomeFacts(payload: StepPayload & { outcome: Outcome; state: WorkflowState }): AuditFacts {
  const { state } = payload;
  const error = errorOf(state);
  return facts(payload, payload.outcome, "outcome", {
    finding: findingOf(state),
    stateBefore: state.evaluation?.stateBefore ?? null,
    change: changesOf(state),
    decision: decisionOf(state),
    notes: notesOf(payload.outcome, state),
    owner: state.evaluation?.owner ?? null,
    ...(error ? { error } : {}),
  });
}

export async function audit(
  payload: StepPayload & { mode: "audit" | "outbox"; outcome: Outcome; state: WorkflowState },
): Promise<{ auditId: string; written: boolean; seq?: number }> {
  const res = resources();
  const record = outcomeFacts(payload);
  if (payload.mode === "outbox") {
    await keep(
      { clients, table: res.outboxTable, region: res.region },
      { id: `audit#${payload.executionName}`, kind: "audit", facts: record, keptAt: now().toISOString() },
    );
    return { auditId: record.auditId, written: false };
  }
  const result = await appendAudit({ table: res.auditTable, region: res.region }, record);
  if (result.written) {
    // One data point per outcome, so dashboards and alarms can count fixes, failures and waits.
    const metric = metrics.singleMetric();
    metric.addDimensions({ control: record.control, outcome: record.outcome });
    metric.addMetric("RemediationOutcomes", MetricUnit.Count, 1);
  }
  await closeApproval(payload);
  if (payload.outcome === "fixed") {
    await recordFix(
      { clients, table: res.historyTable, region: res.region },
      {
        control: payload.input.control,
        resource: payload.input.resource,
        execution: payload.executionName,
        actor: payload.input.actor?.arn ?? null,
        // A suspension names who keeps reverting the fix: the stack or environment, when one owns it.
        owner: payload.state.evaluation?.owner ? describeOwner(payload.state.evaluation.owner) : null,
      },
      res.config,
      now(),
    );
  }
  return { auditId: record.auditId, written: result.written, seq: result.record.seq };
}

/** The approval this execution last asked for ends with it: decided, or expired. */
async function closeApproval(
  payload: StepPayload & { outcome: Outcome; state: WorkflowState },
): Promise<void> {
  const res = resources();
  const store = { table: res.approvalsTable, region: res.region };
  const approval = payload.state.evaluation?.approval;
  if (!approval) return;
  if (payload.outcome === "approval-expired") {
    await expireApproval(store, approval.id);
    return;
  }
  const record = await getApproval(store, approval.id);
  if (record?.status === "deciding" && record.decision) await settle(store, record, record.decision);
  else if (record?.status === "pending") await expireApproval(store, approval.id);
}

function notesOf(outcome: Outcome, state: WorkflowState): string[] {
  const notes = [...(state.evaluation?.notes ?? [])];
  if (outcome === "suspended" && state.evaluation)
    notes.unshift(`Suspended because: ${state.evaluation.reason}`);
  if (outcome === "exempt" && state.evaluation) notes.unshift(`Exempt: ${state.evaluation.reason}`);
  if (outcome === "blocked" && state.evaluation) notes.unshift(`Blocked because: ${state.evaluation.reason}`);
  if (outcome === "reported" && state.evaluation)
    notes.unshift(`Reported because: ${state.evaluation.reason}`);
  return notes;
}

export async function notify(
  payload: StepPayload & { mode: "notify" | "outbox"; outcome: Outcome; state: WorkflowState },
): Promise<{ messageId: string; published: boolean }> {
  const res = resources();
  const { state } = payload;
  const control = controlById(payload.input.control);
  const notes = notesOf(payload.outcome, state);
  if (payload.outcome === "fixed" && control.metadata.service === "cloudfront") {
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
    control: control.metadata,
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
      { clients, table: res.outboxTable, region: res.region },
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
