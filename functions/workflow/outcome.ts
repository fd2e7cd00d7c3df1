import type { AuditFacts, Decision } from "../audit/store.js";
import { metadataById } from "../controls/catalog.js";
import type { Change, Finding } from "../controls/types.js";
import { now } from "../lib/clock.js";
import type { DecisionFacts } from "../notify/message.js";
import type { Evaluation } from "./evaluate.js";
import type { Outcome, WorkflowInput } from "./types.js";

/**
 * What the workflow's steps share: their payload, the state document the
 * recording steps receive, and how an outcome reads as audit facts and
 * notification parts. Metadata only: no control runs here.
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

export function facts(
  payload: StepPayload,
  outcome: Outcome,
  entry: string,
  rest: Pick<AuditFacts, "finding" | "stateBefore" | "change" | "decision"> & Partial<AuditFacts>,
): AuditFacts {
  const control = metadataById(payload.input.control);
  return {
    executionId: payload.executionId,
    auditId: payload.executionName,
    entry,
    control: control.id,
    securityHubIds: control.securityHubIds,
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
export function errorOf(state: WorkflowState): { name: string; message: string } | undefined {
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

export function decisionOf(state: WorkflowState): Decision {
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
export function decisionFacts(state: WorkflowState): DecisionFacts {
  const { verified, ...decision } = decisionOf(state);
  return {
    ...decision,
    ...(verified === undefined ? {} : { byVerified: verified }),
  };
}

export function changesOf(state: WorkflowState): AuditFacts["change"] {
  const made = state.applied?.calls ?? [];
  const planned = state.evaluation?.changes ?? [];
  if (made.length > 0) {
    // What was proposed but not made (the part that waited and was rejected, or expired) stays visible.
    const rest = state.outcome === "fixed" ? [] : (state.evaluation?.ask ?? []);
    return { made: true, calls: made, ...(rest.length > 0 ? { proposed: rest } : {}) };
  }
  return { made: false, calls: planned };
}

export function findingOf(state: WorkflowState): string {
  return state.evaluation?.message ?? "not determined";
}

export function outcomeFacts(payload: StepPayload & { outcome: Outcome; state: WorkflowState }): AuditFacts {
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

export function notesOf(outcome: Outcome, state: WorkflowState): string[] {
  const notes = [...(state.evaluation?.notes ?? [])];
  if (outcome === "suspended" && state.evaluation)
    notes.unshift(`Suspended because: ${state.evaluation.reason}`);
  if (outcome === "exempt" && state.evaluation) notes.unshift(`Exempt: ${state.evaluation.reason}`);
  if (outcome === "blocked" && state.evaluation) notes.unshift(`Blocked because: ${state.evaluation.reason}`);
  if (outcome === "reported" && state.evaluation)
    notes.unshift(`Reported because: ${state.evaluation.reason}`);
  return notes;
}
