import { type ApprovalRecord, getApproval } from "../approvals/store.js";
import { controlById } from "../controls/registry.js";
import { outOfScope } from "../controls/scope.js";
import type { Change, FindingStatus, RiskAssessment } from "../controls/types.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { now } from "../lib/clock.js";
import { approvalTimeoutSeconds, type ControlMode, controlConfig } from "../lib/config.js";
import { digest } from "../lib/digest.js";
import { identifyOwner, type Owner } from "../lib/owner.js";
import { resources } from "../lib/resources.js";
import { controlContext } from "./context.js";
import { type ActiveExemption, exemptionFor } from "./exemptions.js";
import { recentFixes, suspensionOf } from "./history.js";
import type { WorkflowInput } from "./types.js";

/**
 * The one step that reads the resource and decides what happens to a drift:
 * re-check (events are triggers, never truth), scope, mode, exemptions,
 * flapping, plan, per-call risk, and, after on-call decided, the decision as
 * the approvals table records it (never the task output). It changes nothing
 * in the account; the workflow routes on `decision`.
 */
export type EvaluationDecision =
  /** Nothing to do: the resource complies, is gone, or is out of scope. */
  | "compliant"
  | "exempt"
  | "suspended"
  | "reported"
  | "blocked"
  /** Make `apply` now; nothing waits. */
  | "apply"
  /** Make the safe calls (`apply`) now, then evaluate again and ask about the rest. */
  | "apply-safe"
  /** Ask on-call about `ask` (a new request: new id, token and email). */
  | "ask"
  /** The request is still open (the wait ended without a recorded decision): wait again. */
  | "wait"
  | "rejected"
  | "expired";

export interface ApprovalRef {
  id: string;
  round: number;
  /** Seconds the wait may last: the whole timeout for a new request, what is left of it otherwise. */
  timeoutSeconds: number;
  expiresAt: string;
  /** The request this one replaces (its plan changed), to be closed as superseded. */
  supersedes?: string;
}

export interface DecidedBy {
  decision: "approved" | "rejected";
  by: string;
  verified: boolean;
  at: string;
  reason?: string;
  /** Where the decision was made: web, cli, demo... */
  channel?: string;
  approvalId: string;
}

export interface Evaluation {
  status: FindingStatus | "gone";
  message: string;
  mode: ControlMode;
  decision: EvaluationDecision;
  /** Why this decision (the exemption, the suspension, the mode, the block). */
  reason: string;
  /** Extra lines on-call should read (an exemption that lapsed, a tag that exempts nothing). */
  notes: string[];
  tags: Record<string, string>;
  exemption?: ActiveExemption;
  /** True once per tag exemption: the first execution that sees it tells on-call. */
  announce: boolean;
  /** The whole fix, in order, and each call's risk. */
  changes: Change[];
  risks: RiskAssessment[];
  /** The calls to make now. */
  apply: Change[];
  /** The calls that wait for on-call, and why. */
  ask: Change[];
  reasons: string[];
  stateBefore: unknown;
  /** What an approval binds to: the state and the calls asked about. */
  planDigest: string;
  /** Counts approval requests of this execution: each new plan asked about is a new round. */
  round: number;
  /** Counts apply rounds: the journal of each round is its own. */
  applyRound: number;
  approval?: ApprovalRef;
  decided?: DecidedBy;
  /** Who keeps reverting the fix (suspended). */
  fixedBy?: string[];
  /** Who manages the resource's configuration (a stack, an environment) or which tool changed it. */
  owner?: Owner;
}

export interface EvaluatePayload {
  input: WorkflowInput;
  executionId: string;
  executionName: string;
  previous?: Evaluation;
  /** The approval wait ended because a decision was delivered (or someone completed the task). */
  afterDecision?: boolean;
  /** The approval wait timed out: only a resource that no longer needs the fix ends otherwise than expired. */
  afterTimeout?: boolean;
}

/** A safe part applied this many times in one execution means something undoes it at once: ask instead. */
const maxSafeRounds = 3;

export function approvalId(executionId: string, round: number, planDigest: string): string {
  return digest({ executionId, round, planDigest }, 24);
}

export async function evaluate(payload: EvaluatePayload): Promise<Evaluation> {
  const res = resources();
  const { input, previous } = payload;
  const control = controlById(input.control);
  const { mode, scope, settings } = controlConfig(res.config, control.metadata.id);
  const at = now();
  const record =
    payload.afterDecision && previous?.approval
      ? await getApproval({ table: res.approvalsTable, region: res.region }, previous.approval.id)
      : undefined;

  const base = {
    mode,
    announce: false,
    notes: [] as string[],
    changes: [] as Change[],
    risks: [] as RiskAssessment[],
    apply: [] as Change[],
    ask: [] as Change[],
    reasons: [] as string[],
    stateBefore: null as unknown,
    planDigest: "",
    round: previous?.round ?? 0,
    applyRound: previous?.applyRound ?? 0,
    ...(previous?.approval ? { approval: previous.approval } : {}),
    ...(record ? { decided: decidedBy(record) } : {}),
  };

  const ctx = controlContext(input);
  const snapshot = await control.collect(ctx, input.resource);
  if (snapshot === null) {
    const message = `${input.resource} no longer exists`;
    return { ...base, status: "gone", message, tags: {}, decision: "compliant", reason: message };
  }
  const tags = control.tags(snapshot);
  const owner = identifyOwner({ tags, actor: input.actor });
  const finding = control.detect(snapshot, settings);
  const outside = outOfScope(tags, scope);
  if (outside) {
    const message = `${input.resource} is outside the scope of ${control.metadata.id}: ${outside}`;
    return { ...base, status: "not-applicable", message, tags, decision: "compliant", reason: message };
  }
  const stateBefore = control.ownedState(snapshot);
  const checked = {
    ...base,
    status: finding.status,
    message: finding.message,
    tags,
    stateBefore,
    ...(owner ? { owner } : {}),
  };
  if (finding.status !== "non-compliant") {
    return { ...checked, decision: "compliant", reason: finding.message };
  }
  if (payload.afterTimeout && previous) {
    // Still drifted: the request expired as asked. A decision recorded at the last moment is not
    // honoured here: its delivery failed on the timed-out task and on-call is told it expired.
    return {
      ...previous,
      decision: "expired",
      reason: `approval ${previous.approval?.id ?? ""} expired at ${previous.approval?.expiresAt ?? at.toISOString()} without a decision`,
    };
  }
  if (mode === "off") {
    return { ...checked, decision: "exempt", reason: `control ${control.metadata.id} is off` };
  }

  const exemption = await exemptionFor(
    {
      clients: { dynamo },
      region: res.region,
      exemptionsTable: res.exemptionsTable,
      eventsTable: res.eventsTable,
      config: res.config,
      now: at,
      executionName: payload.executionName,
    },
    { control: control.metadata.id, resource: input.resource },
    tags,
  );
  const notes = exemption.notes;
  if (exemption.active) {
    return {
      ...checked,
      notes,
      exemption: exemption.active,
      announce: exemption.active.announce,
      decision: "exempt",
      reason: describeExemption(exemption.active),
    };
  }

  if (mode !== "report") {
    const fixes = await recentFixes(
      { clients: { dynamo }, table: res.historyTable, region: res.region },
      { control: control.metadata.id, resource: input.resource },
      res.config,
      at,
    );
    const suspension = suspensionOf(
      { control: control.metadata.id, resource: input.resource },
      fixes,
      res.config,
    );
    if (suspension) {
      const who = suspension.changedBy;
      return {
        ...checked,
        notes,
        decision: "suspended",
        fixedBy: who,
        reason: `fixed ${fixes.length} times since ${fixes[0]?.at}; it keeps drifting back, changed by: ${who.join(", ")}`,
      };
    }
  }

  const changes = control.plan(snapshot, settings);
  const risks = await control.assessRisk(snapshot, changes, ctx, settings);
  const planned = { ...checked, notes, changes, risks };
  if (changes.length === 0) {
    // Drift the control has no fix for (a setting the fix needs is not configured): its finding says
    // why, and on-call is told; nothing is applied or asked.
    return {
      ...planned,
      decision: "reported",
      reason: `${control.metadata.id} has no fix to make for this drift (what drifted says why)`,
    };
  }
  if (mode === "report") {
    return {
      ...planned,
      reasons: risks.flatMap((risk) => risk.reasons),
      decision: "reported",
      reason: `control ${control.metadata.id} is in report mode`,
    };
  }
  if (changes.length === 0) {
    // Drift with no fix to make (e.g. no web ACL configured for a WAF control): on-call is told, nothing changes.
    return {
      ...planned,
      decision: "reported",
      reason: `no fix is configured for this drift: ${finding.message}`,
    };
  }
  const blocked = risks.flatMap((risk) => (risk.level === "blocked" ? risk.reasons : []));
  if (blocked.length > 0) {
    return { ...planned, reasons: blocked, decision: "blocked", reason: blocked.join("; ") };
  }

  const safeRounds = payload.previous?.applyRound ?? 0;
  const askAll = mode === "approve-all" || safeRounds >= maxSafeRounds;
  const apply = askAll ? [] : changes.filter((_, i) => risks[i]?.level === "automatic");
  const ask = askAll ? changes : changes.filter((_, i) => risks[i]?.level !== "automatic");
  const reasons = [
    ...(mode === "approve-all"
      ? [`control ${control.metadata.id} is in approve-all mode: every fix waits for on-call`]
      : []),
    ...(safeRounds >= maxSafeRounds && mode !== "approve-all"
      ? [`the safe part of this fix was made ${safeRounds} times and keeps being undone`]
      : []),
    ...changes.flatMap((change, i) => (ask.includes(change) ? (risks[i]?.reasons ?? []) : [])),
  ];
  const planDigest = digest({ stateBefore, ask });
  const split = { ...planned, apply, ask, reasons: [...new Set(reasons)], planDigest };

  if (ask.length === 0) {
    // Nothing risky (or on-call approved exactly this): make every call now.
    return { ...split, decision: "apply", reason: `mode ${mode}`, applyRound: base.applyRound + 1 };
  }

  if (record) {
    const sameRequest = record.planDigest === planDigest;
    const decision = record.status === "deciding" ? record.decision : record.status;
    if (decision === "rejected") {
      return { ...split, decision: "rejected", reason: `rejected by ${record.decidedBy ?? "on-call"}` };
    }
    if (record.status === "expired") {
      return {
        ...split,
        decision: "expired",
        reason: `approval ${record.id} expired at ${record.expiresAt}`,
      };
    }
    if (sameRequest && decision === "approved") {
      // Approved for exactly this plan: the safe calls of the moment go with the approved ones.
      return {
        ...split,
        apply: changes,
        decision: "apply",
        reason: `approved by ${record.decidedBy ?? "on-call"}`,
        applyRound: base.applyRound + 1,
      };
    }
    if (sameRequest && record.status === "pending") {
      // The task ended without a decision in the table (a forged or stray task completion):
      // nothing is applied, and the same request keeps waiting for what is left of its time.
      const left = Math.floor((Date.parse(record.expiresAt) - at.getTime()) / 1000);
      if (left <= 0) {
        return {
          ...split,
          decision: "expired",
          reason: `approval ${record.id} expired at ${record.expiresAt}`,
        };
      }
      return {
        ...split,
        decision: "wait",
        reason: `approval ${record.id} is still pending: the wait ended without a recorded decision`,
        approval: { ...(previous?.approval as ApprovalRef), timeoutSeconds: left },
      };
    }
  }

  if (apply.length > 0) {
    return {
      ...split,
      decision: "apply-safe",
      reason: "the safe part of the fix is made now; the rest waits for on-call",
      applyRound: base.applyRound + 1,
    };
  }

  // A new request: the first one, or the plan changed since the last one was asked.
  const round = base.round + 1;
  const timeoutSeconds = approvalTimeoutSeconds(res.config);
  return {
    ...split,
    round,
    decision: "ask",
    reason: record
      ? "the resource changed since on-call was asked: the new plan is asked again"
      : "risky fix",
    approval: {
      id: approvalId(payload.executionId, round, planDigest),
      round,
      timeoutSeconds,
      expiresAt: new Date(at.getTime() + timeoutSeconds * 1000).toISOString(),
      ...(previous?.approval ? { supersedes: previous.approval.id } : {}),
    },
  };
}

function decidedBy(record: ApprovalRecord): DecidedBy | undefined {
  const decision = record.status === "deciding" ? record.decision : record.status;
  if (decision !== "approved" && decision !== "rejected") return undefined;
  return {
    decision,
    by: record.decidedBy ?? "unknown",
    verified: record.decidedByVerified === true,
    at: record.decidedAt ?? "",
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.decidedVia?.channel ? { channel: record.decidedVia.channel } : {}),
    approvalId: record.id,
  };
}

function describeExemption(exemption: ActiveExemption): string {
  const until = `until ${exemption.until}`;
  switch (exemption.kind) {
    case "central":
      return `exempted by the central list ${until}: ${exemption.reason}`;
    case "runtime":
      return `exempted at runtime by ${exemption.by} ${until}: ${exemption.reason}`;
    case "tag":
      return `exempted by tag ${exemption.by} ${until}: ${JSON.stringify(exemption.reason)}`;
  }
}
