import type { Actor, Change, ControlMetadata } from "../controls/types.js";
import type { Outcome, WorkflowInput } from "../workflow/types.js";

/** Everything a notification can say; fields are absent when the workflow did not get that far. */
export interface NotificationFacts {
  outcome: Outcome;
  control: ControlMetadata;
  input: WorkflowInput;
  finding?: string;
  /** Calls made (fixed/failed) or proposed (every other outcome). */
  changes: Change[];
  changesMade: boolean;
  riskReasons: string[];
  decision?: { kind: string; by?: string; at?: string; reason?: string };
  error?: { name: string; message: string };
  auditId: string;
  executionId: string;
  /** Extra lines specific to the outcome (propagation note, approval links, suspension reason). */
  notes?: string[];
  /** Approval request: where on-call decides. */
  approval?: { id: string; expiresAt: string; approveUrl?: string; rejectUrl?: string; pageUrl?: string };
}

export interface Notification {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

const headline: Record<Outcome, string> = {
  fixed: "FIXED",
  compliant: "COMPLIANT",
  "awaiting-approval": "APPROVAL NEEDED",
  rejected: "REJECTED",
  "approval-expired": "APPROVAL EXPIRED",
  exempt: "EXEMPT",
  reported: "DRIFT",
  blocked: "BLOCKED",
  suspended: "SUSPENDED",
  failed: "FAILED",
};

/** SNS subjects: ASCII printable, no line breaks, under 100 characters. */
export function sanitizeSubject(subject: string): string {
  const ascii = subject
    .normalize("NFKD")
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/ {2,}/g, " ")
    .trim();
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii || "driftwarden notification";
}

/** A short, recognisable name for a resource ARN (listener shop-prod/8c7b..., distribution E1QS...). */
export function resourceLabel(arn: string): string {
  const listener = /:listener\/(?:app|net|gwy)\/([^/]+)\/[^/]+\/([^/]+)$/.exec(arn);
  if (listener) return `listener ${listener[1]}/${listener[2]}`;
  const distribution = /:distribution\/([A-Z0-9]+)$/.exec(arn);
  if (distribution) return `distribution ${distribution[1]}`;
  return arn.split(":").slice(5).join(":") || arn;
}

export function describeActor(actor: Actor | null): string[] {
  if (!actor)
    return ["Changed by: unknown (found by the scheduled sweep or AWS Config, without a CloudTrail record)"];
  const lines = [`Changed by: ${actor.arn} (${actor.type})`];
  if (actor.sourceIp) lines.push(`Source IP: ${actor.sourceIp}`);
  if (actor.userAgent) lines.push(`User agent: ${actor.userAgent}`);
  if (actor.eventName)
    lines.push(`API call: ${actor.eventName}${actor.eventTime ? ` at ${actor.eventTime}` : ""}`);
  return lines;
}

/** What drifted where and who changed it: the facts every notification and reminder states alike. */
export function driftLines(about: {
  resource: string;
  account: string;
  region: string;
  finding: string;
  actor: Actor | null;
}): string[] {
  return [
    `Resource: ${about.resource}`,
    `Account / region: ${about.account} / ${about.region}`,
    `What drifted: ${about.finding}`,
    ...describeActor(about.actor),
  ];
}

/** One exact call on one line, as on-call can compare it with CloudTrail. */
export function describeChange(change: Change): string {
  return `${change.service}:${change.action} ${JSON.stringify(change.input)}`;
}

/** The exact calls, one per line, under a heading that says whether they were made or proposed. */
export function changeLines(changes: Change[], made: boolean): string[] {
  if (changes.length === 0) return [];
  return [
    "",
    made ? "Change made:" : "Change proposed:",
    ...changes.map((change) => `  ${describeChange(change)}`),
  ];
}

export function riskLines(reasons: string[]): string[] {
  if (reasons.length === 0) return [];
  return ["", "Why a person must decide:", ...reasons.map((reason) => `  - ${reason}`)];
}

/** Where and how on-call decides: the signed links and the CLI commands. */
export function approvalLines(approval: NonNullable<NotificationFacts["approval"]>): string[] {
  const lines = ["", `Approval id: ${approval.id} (expires ${approval.expiresAt})`];
  if (approval.pageUrl) lines.push(`Review and decide: ${approval.pageUrl}`);
  if (approval.approveUrl) lines.push(`Approve: ${approval.approveUrl}`);
  if (approval.rejectUrl) lines.push(`Reject: ${approval.rejectUrl}`);
  lines.push(
    `Or from a terminal: driftwarden approve ${approval.id}  /  driftwarden reject ${approval.id} --reason "..."`,
  );
  return lines;
}

const outcomeSentence: Record<Outcome, string> = {
  fixed: "driftwarden fixed the drift and verified the fix by re-reading the resource.",
  compliant: "Re-checked: the resource is compliant, nothing was changed.",
  "awaiting-approval":
    "The fix could break traffic, so it waits for on-call approval. Nothing has been changed yet.",
  rejected: "On-call rejected the fix. Nothing was changed; the drift remains.",
  "approval-expired": "Nobody decided within the approval timeout. Nothing was changed; the drift remains.",
  exempt: "The resource is exempt. Nothing was changed.",
  reported: "The control is in report mode. Nothing was changed; this is the fix driftwarden would make.",
  blocked: "This drift cannot be fixed safely. Nothing was changed; a person has to decide what to do.",
  suspended:
    "The resource keeps drifting back after fixes, so automatic fixing is suspended for it. Something is fighting the fix.",
  failed: "The fix failed. The resource may be partly changed; check it now.",
};

export function buildNotification(facts: NotificationFacts): Notification {
  const { control, input, outcome } = facts;
  const label = resourceLabel(input.resource);
  // The resource first: a long subject is cut at the end, and the account is in the body and attributes.
  const subject = sanitizeSubject(
    `[driftwarden] ${headline[outcome]}: ${label} (${[control.securityHubIds[0], input.region].filter(Boolean).join(", ")})`,
  );
  const lines: string[] = [
    `${headline[outcome]}: ${control.title}`,
    "",
    outcomeSentence[outcome],
    "",
    `Control: ${control.id} (${control.securityHubIds.join(", ")}, severity ${control.severity})`,
    ...driftLines({ ...input, finding: facts.finding ?? "not determined" }),
    `Reported at: ${input.eventTime} (trigger: ${input.trigger})`,
  ];
  lines.push(...changeLines(facts.changes, facts.changesMade), ...riskLines(facts.riskReasons));
  if (facts.decision && facts.decision.kind !== "none") {
    const by = facts.decision.by ? ` by ${facts.decision.by}` : "";
    const at = facts.decision.at ? ` at ${facts.decision.at}` : "";
    const reason = facts.decision.reason ? ` (reason: ${facts.decision.reason})` : "";
    lines.push("", `Decision: ${facts.decision.kind}${by}${at}${reason}`);
  }
  if (facts.approval) lines.push(...approvalLines(facts.approval));
  if (facts.error) lines.push("", `Error: ${facts.error.name}: ${facts.error.message}`);
  if (facts.notes?.length) lines.push("", ...facts.notes);
  lines.push("", `Outcome: ${outcome}`, `Audit id: ${facts.auditId}`, `Execution: ${facts.executionId}`);
  return {
    subject,
    message: lines.join("\n"),
    attributes: {
      severity: control.severity,
      control: control.id,
      outcome,
      account: input.account,
      region: input.region,
    },
  };
}
