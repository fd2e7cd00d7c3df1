import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { approvalLinks } from "../approvals/links.js";
import { expireApproval, putApproval } from "../approvals/store.js";
import { type AuditRecord, type Decision, writeAudit } from "../audit/store.js";
import { controlById } from "../controls/registry.js";
import type { Change, FindingStatus, RiskAssessment } from "../controls/types.js";
import { now } from "../lib/clock.js";
import { type ControlMode, controlMode } from "../lib/config.js";
import { digest } from "../lib/digest.js";
import { metrics } from "../lib/observability.js";
import { resources } from "../lib/resources.js";
import { buildNotification } from "../notify/message.js";
import { publishNotification } from "../notify/publish.js";
import { controlContext } from "./context.js";
import { activeExemption, recentFixes, recordFix } from "./guards.js";
import type { Outcome, WorkflowInput } from "./types.js";

/**
 * The business logic of every workflow step, as plain functions of their
 * Step Functions payload. The Lambda handlers only wrap these.
 */
interface StepPayload {
  input: WorkflowInput;
  executionId: string;
  executionName: string;
}

export interface CheckResult {
  status: FindingStatus | "gone";
  message: string;
  stateDigest: string | null;
  tags: Record<string, string>;
}

async function snapshotOf(input: WorkflowInput) {
  const control = controlById(input.control);
  const ctx = controlContext(input);
  const snapshot = await control.collect(ctx, input.resource);
  return { control, ctx, snapshot };
}

export async function check(payload: StepPayload): Promise<CheckResult> {
  const { control, snapshot } = await snapshotOf(payload.input);
  if (snapshot === null) {
    return {
      status: "gone",
      message: `${payload.input.resource} no longer exists`,
      stateDigest: null,
      tags: {},
    };
  }
  const finding = control.detect(snapshot);
  return {
    status: finding.status,
    message: finding.message,
    stateDigest: digest(control.ownedState(snapshot)),
    tags: control.tags(snapshot),
  };
}

export interface ModeResult {
  mode: ControlMode;
  decision: "proceed" | "exempt" | "suspended";
  reason: string;
}

export async function mode(payload: StepPayload & { check: CheckResult }): Promise<ModeResult> {
  const { config, ...res } = resources();
  const controlModeValue = controlMode(config, payload.input.control);
  if (controlModeValue === "off") {
    return { mode: controlModeValue, decision: "exempt", reason: `control ${payload.input.control} is off` };
  }
  const exemption = activeExemption(config, payload.input, payload.check.tags, now());
  if (exemption) return { mode: controlModeValue, decision: "exempt", reason: exemption };
  if (controlModeValue !== "report") {
    const fixes = await recentFixes(
      { table: res.historyTable, region: res.region },
      payload.input,
      config,
      now(),
    );
    if (fixes.length >= config.flapping.maxFixes) {
      const actors = [...new Set(fixes.map((fix) => fix.actor ?? "unknown"))];
      return {
        mode: controlModeValue,
        decision: "suspended",
        reason: `fixed ${fixes.length} times since ${fixes[0]?.at}; it keeps drifting back, changed by: ${actors.join(", ")}`,
      };
    }
  }
  return { mode: controlModeValue, decision: "proceed", reason: `mode ${controlModeValue}` };
}

export interface Assessment {
  status: "compliant" | "non-compliant";
  message: string;
  plan: unknown;
  changes: Change[];
  risk: RiskAssessment;
  planDigest: string;
  stateBefore: unknown;
  needsApproval: boolean;
  planChanged: boolean;
}

export async function assess(
  payload: StepPayload & { mode: ModeResult; approvedPlanDigest?: string },
): Promise<Assessment> {
  const { control, ctx, snapshot } = await snapshotOf(payload.input);
  const finding = snapshot === null ? null : control.detect(snapshot);
  if (snapshot === null || !finding || finding.status !== "non-compliant") {
    return {
      status: "compliant",
      message: finding?.message ?? `${payload.input.resource} no longer exists`,
      plan: null,
      changes: [],
      risk: { level: "automatic", reasons: [] },
      planDigest: "",
      stateBefore: snapshot === null ? null : control.ownedState(snapshot),
      needsApproval: false,
      planChanged: false,
    };
  }
  const plan = control.plan(snapshot);
  const changes = control.describePlan(plan, snapshot);
  const risk = await control.assessRisk(snapshot, plan, ctx);
  const stateBefore = control.ownedState(snapshot);
  const planDigest = digest({ stateBefore, changes });
  const reasons =
    payload.mode.mode === "approve-all" && risk.level === "automatic"
      ? [`control ${control.metadata.id} is in approve-all mode: every fix waits for on-call`]
      : risk.reasons;
  return {
    status: "non-compliant",
    message: finding.message,
    plan,
    changes,
    risk: { level: risk.level, reasons },
    planDigest,
    stateBefore,
    needsApproval: risk.level === "approval" || payload.mode.mode === "approve-all",
    planChanged: payload.approvedPlanDigest !== undefined && payload.approvedPlanDigest !== planDigest,
  };
}

export function approvalId(executionId: string, planDigest: string): string {
  return digest({ executionId, planDigest }, 24);
}

export async function requestApproval(
  payload: StepPayload & {
    taskToken: string;
    check: CheckResult;
    mode: ModeResult;
    assessment: Assessment;
    timeoutSeconds: number;
  },
): Promise<{ approvalId: string }> {
  const res = resources();
  const control = controlById(payload.input.control);
  const createdAt = now();
  const expiresAt = new Date(createdAt.getTime() + payload.timeoutSeconds * 1000);
  const id = approvalId(payload.executionId, payload.assessment.planDigest);
  const written = await putApproval(
    { table: res.approvalsTable, region: res.region },
    {
      id,
      executionId: payload.executionId,
      executionName: payload.executionName,
      control: control.metadata.id,
      resource: payload.input.resource,
      account: payload.input.account,
      region: payload.input.region,
      actor: payload.input.actor,
      finding: payload.assessment.message,
      reasons: payload.assessment.risk.reasons,
      changes: payload.assessment.changes,
      planDigest: payload.assessment.planDigest,
      token: payload.taskToken,
      status: "pending",
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      // Kept a week past expiry so "expired" can still be shown to a late click.
      expiresAtEpoch: Math.floor(expiresAt.getTime() / 1000) + 7 * 86_400,
    },
  );
  if (written === "exists") return { approvalId: id };
  const record = baseAudit(payload, "awaiting-approval", {
    finding: payload.assessment.message,
    stateBefore: payload.assessment.stateBefore,
    change: { made: false, calls: payload.assessment.changes },
    decision: { kind: "pending" },
  });
  await writeAudit({ table: res.auditTable, region: res.region }, record);
  const links = approvalLinks(res, id, expiresAt);
  const notification = buildNotification({
    outcome: "awaiting-approval",
    control: control.metadata,
    input: payload.input,
    finding: payload.assessment.message,
    changes: payload.assessment.changes,
    changesMade: false,
    riskReasons: payload.assessment.risk.reasons,
    auditId: record.auditId,
    executionId: payload.executionId,
    approval: { id, expiresAt: expiresAt.toISOString(), ...links },
  });
  await publishNotification(res, notification);
  return { approvalId: id };
}

export async function apply(payload: StepPayload & { assessment: Assessment }): Promise<{ calls: Change[] }> {
  const control = controlById(payload.input.control);
  const calls = await control.apply(
    controlContext(payload.input),
    payload.input.resource,
    payload.assessment.plan,
  );
  return { calls };
}

export async function verify(payload: StepPayload) {
  const control = controlById(payload.input.control);
  return control.verify(controlContext(payload.input), payload.input.resource);
}

/** The workflow state document as the Record states receive it. */
export interface WorkflowState {
  input: WorkflowInput;
  check?: CheckResult;
  mode?: ModeResult;
  assessment?: Assessment;
  approval?: { decision: string; by: string; at: string; reason?: string | null };
  rejection?: { Error: string; Cause: string };
  applied?: { calls: Change[] };
  verification?: { status: string; message: string };
  error?: { Error: string; Cause?: string };
  outcome: Outcome;
}

function baseAudit(
  payload: StepPayload,
  outcome: Outcome,
  facts: Pick<AuditRecord, "finding" | "stateBefore" | "change" | "decision"> & Partial<AuditRecord>,
): AuditRecord {
  const control = controlById(payload.input.control);
  return {
    executionId: payload.executionId,
    auditId: payload.executionName,
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
    ...facts,
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
  if (state.approval) {
    return {
      kind: "approved",
      by: state.approval.by,
      at: state.approval.at,
      reason: state.approval.reason ?? undefined,
    };
  }
  if (state.outcome === "rejected" && state.rejection) {
    try {
      const cause = JSON.parse(state.rejection.Cause) as { by?: string; at?: string; reason?: string | null };
      return { kind: "rejected", by: cause.by, at: cause.at, reason: cause.reason ?? undefined };
    } catch {
      return { kind: "rejected", reason: state.rejection.Cause };
    }
  }
  if (state.outcome === "approval-expired") return { kind: "expired" };
  if (state.outcome === "fixed" || (state.outcome === "failed" && state.applied))
    return { kind: "automatic" };
  return { kind: "none" };
}

function changesOf(state: WorkflowState): { made: boolean; calls: Change[] } {
  if (state.applied) return { made: true, calls: state.applied.calls };
  return { made: false, calls: state.assessment?.changes ?? [] };
}

function findingOf(state: WorkflowState): string {
  return state.assessment?.message ?? state.check?.message ?? "not determined";
}

export async function audit(
  payload: StepPayload & { outcome: Outcome; state: WorkflowState },
): Promise<{ auditId: string; written: boolean }> {
  const res = resources();
  const { state } = payload;
  const error = errorOf(state);
  const record = baseAudit(payload, payload.outcome, {
    finding: findingOf(state),
    stateBefore: state.assessment?.stateBefore ?? null,
    change: changesOf(state),
    decision: decisionOf(state),
    ...(error ? { error } : {}),
  });
  const result = await writeAudit({ table: res.auditTable, region: res.region }, record);
  if (result === "written") {
    // One data point per outcome, so dashboards and alarms can count fixes, failures and waits.
    const metric = metrics.singleMetric();
    metric.addDimensions({ control: record.control, outcome: record.outcome });
    metric.addMetric("RemediationOutcomes", MetricUnit.Count, 1);
  }
  if (payload.outcome === "approval-expired" && state.assessment) {
    await expireApproval(
      { table: res.approvalsTable, region: res.region },
      approvalId(payload.executionId, state.assessment.planDigest),
    );
  }
  if (payload.outcome === "fixed") {
    await recordFix(
      { table: res.historyTable, region: res.region },
      payload.input,
      resources().config,
      now(),
    );
  }
  return { auditId: record.auditId, written: result === "written" };
}

export async function notify(
  payload: StepPayload & { outcome: Outcome; auditId: string; state: WorkflowState },
): Promise<{ messageId: string }> {
  const res = resources();
  const { state } = payload;
  const control = controlById(payload.input.control);
  const notes: string[] = [];
  if (payload.outcome === "suspended" && state.mode) notes.push(`Suspended because: ${state.mode.reason}`);
  if (payload.outcome === "fixed" && control.metadata.service === "cloudfront") {
    notes.push(
      "CloudFront is deploying the change (status InProgress); propagation to every edge takes a few minutes.",
    );
  }
  const notification = buildNotification({
    outcome: payload.outcome,
    control: control.metadata,
    input: payload.input,
    finding: findingOf(state),
    changes: changesOf(state).calls,
    changesMade: Boolean(state.applied),
    riskReasons: state.assessment?.risk.reasons ?? [],
    decision: decisionOf(state),
    error: errorOf(state),
    auditId: payload.auditId,
    executionId: payload.executionId,
    notes,
  });
  return publishNotification(res, notification);
}
