import type { Actor, Change, ControlMetadata } from "../controls/types.js";
import { humanizeTimes, humanTime } from "../lib/human-time.js";
import { describeOwner, identifyOwner, type Owner, ownerLabels, sourceFixFor } from "../lib/owner.js";
import { cleanText, inertJson, quoteUntrusted } from "../lib/untrusted.js";
import type { Outcome, WorkflowInput } from "../workflow/types.js";

/**
 * The emails on-call reads, mostly on a phone. The first lines say what to do
 * and about which resource, then why and the change, one line each; the
 * approval links come next, in a section no outside text can precede or
 * imitate. ARNs, JSON and everything an outsider wrote (quoted, cleaned and
 * defanged by `untrusted.ts`) come below.
 */

/** Where the approval CLI acts: what `driftwarden approve` reads from its environment (cli/approvals.ts). */
export interface ApprovalCliTarget {
  /** DRIFTWARDEN_APPROVALS_TABLE */
  table: string;
  /** AWS_REGION: the deployment's home region. */
  region: string;
}

export interface ApprovalFacts {
  id: string;
  expiresAt: string;
  approveUrl?: string;
  rejectUrl?: string;
  pageUrl?: string;
  /** When given, the CLI hint names the variables the CLI needs. */
  cli?: ApprovalCliTarget;
}

/** Who decided, and whether that identity was verified (AWS credentials) or only typed on the page. */
export interface DecisionFacts {
  kind: string;
  by?: string;
  at?: string;
  reason?: string;
  /** true: an AWS identity (CLI); false: a name typed on the approval page or at the demo prompt. */
  byVerified?: boolean;
  /** web, cli, demo terminal, ... */
  channel?: string;
}

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
  decision?: DecisionFacts;
  error?: { name: string; message: string };
  auditId: string;
  executionId: string;
  /** Extra lines specific to the outcome (propagation note, suspension reason). */
  notes?: string[];
  /** Approval request: where on-call decides. */
  approval?: ApprovalFacts;
  /**
   * Who manages the resource (from its tags) or which tool changed it. When
   * absent it is worked out from the actor's user agent; null says there is none.
   */
  owner?: Owner | null;
  /** IANA time zone of the times shown; UTC by default. */
  timeZone?: string;
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

// Lengths of what is shown: a line on a phone, and a generous bound for the details below it.
const LINE = 200;
const DETAIL = 1000;

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
  if (listener) return cleanText(`listener ${listener[1]}/${listener[2]}`, { max: 80 });
  const rule = /:listener-rule\/(?:app|net|gwy)\/([^/]+)\/[^/]+\/[^/]+\/([^/]+)$/.exec(arn);
  if (rule) return cleanText(`rule ${rule[1]}/${rule[2]}`, { max: 80 });
  const loadBalancer = /:loadbalancer\/(?:app|net|gwy)\/([^/]+)\/[^/]+$/.exec(arn);
  if (loadBalancer) return cleanText(`load balancer ${loadBalancer[1]}`, { max: 80 });
  const distribution = /:distribution\/([A-Z0-9]+)$/.exec(arn);
  if (distribution) return `distribution ${distribution[1]}`;
  return cleanText(arn.split(":").slice(5).join(":") || arn, { max: 80 });
}

const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"',;()]+/g;

/**
 * ARNs in a sentence replaced by the names people use (`listener intranet/7d6c...`
 * -> `intranet/7d6c...`, a target group by its name), so the line that says
 * why fits a phone; the full ARNs stay in the details.
 */
export function shortenArns(text: string): string {
  return text.replace(ARN, (arn) => {
    const resource = arn.split(":").slice(5).join(":");
    const parts = resource.split("/");
    switch (parts[0]) {
      case "listener":
        return `${parts[2]}/${parts[4]}`;
      case "listener-rule":
        return `${parts[2]}/${parts[5]}`;
      case "loadbalancer":
        return parts[2] ?? arn;
      case "targetgroup":
        return parts[1] ?? arn;
      default:
        return parts.slice(1).join("/") || resource || arn;
    }
  });
}

/** Who changed the resource: every field comes from a CloudTrail record its caller shaped. */
export function describeActor(actor: Actor | null, timeZone?: string): string[] {
  if (!actor)
    return ["Changed by: unknown (found by the scheduled sweep or AWS Config, without a CloudTrail record)"];
  const lines = [`Changed by: ${quoteUntrusted(actor.arn)} (${cleanText(actor.type, { max: 40 })})`];
  if (actor.sourceIp) lines.push(`Source IP: ${quoteUntrusted(actor.sourceIp, { max: 80 })}`);
  if (actor.userAgent) lines.push(`User agent: ${quoteUntrusted(actor.userAgent, { max: 400 })}`);
  if (actor.eventName) {
    const at = actor.eventTime ? ` at ${humanTime(actor.eventTime, { timeZone })}` : "";
    lines.push(`API call: ${cleanText(actor.eventName, { max: 80 })}${at}`);
  }
  return lines;
}

/** What drifted where and who changed it: the facts every notification and reminder states alike. */
export function driftLines(
  about: { resource: string; account: string; region: string; finding: string; actor: Actor | null },
  timeZone?: string,
): string[] {
  return [
    `Resource: ${cleanText(about.resource, { max: 300 })}`,
    `Account / region: ${cleanText(about.account, { max: 20 })} / ${cleanText(about.region, { max: 30 })}`,
    `What drifted: ${cleanText(humanizeTimes(about.finding, { timeZone }), { max: DETAIL })}`,
    ...describeActor(about.actor, timeZone),
  ];
}

/** One exact call on one line, as on-call can compare it with CloudTrail. */
export function describeChange(change: Change): string {
  return `${cleanText(change.service, { max: 20 })}:${cleanText(change.action, { max: 60 })} ${inertJson(change.input)}`;
}

/** `ModifyListener on listener shop-prod/8c7b...`: the change in words short enough for one line. */
export function summarizeChange(change: Change): string {
  const input = change.input as Record<string, unknown>;
  const target = [input.ListenerArn, input.RuleArn, input.ResourceArn, input.LoadBalancerArn].find(
    (value): value is string => typeof value === "string",
  );
  const on = target
    ? ` on ${resourceLabel(target)}`
    : typeof input.Id === "string"
      ? ` on ${change.action.includes("VpcOrigin") ? "VPC origin" : "distribution"} ${cleanText(input.Id, { max: 40 })}`
      : "";
  return `${cleanText(change.action, { max: 60 })}${on}`;
}

function changeSummaryLine(changes: Change[], made: boolean): string | undefined {
  if (changes.length === 0) return undefined;
  const what = changes.map(summarizeChange).join("; ");
  return `Change: ${cleanText(what, { max: LINE })} (${made ? "made" : "proposed, not made"}; exact call below)`;
}

/** The exact calls, one per line, under a heading that says whether they were made or proposed. */
export function changeLines(changes: Change[], made: boolean): string[] {
  if (changes.length === 0) return [];
  return [
    "",
    made ? "Exact change made:" : "Exact change proposed:",
    ...changes.map((change) => `  ${describeChange(change)}`),
  ];
}

export function riskLines(reasons: string[]): string[] {
  if (reasons.length === 0) return [];
  return [
    "",
    "Why a person must decide:",
    ...reasons.map((reason) => `  - ${cleanText(reason, { max: DETAIL })}`),
  ];
}

/** The base every driftwarden link starts with: scheme, host and path of the deployment's approval URL. */
function linkBase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** `driftwarden approve` as on-call pastes it: with the variables it reads, when they are known. */
function cliCommands(approval: ApprovalFacts, local: boolean): string[] {
  const env = approval.cli
    ? `DRIFTWARDEN_APPROVALS_TABLE=${approval.cli.table} AWS_REGION=${approval.cli.region} `
    : "";
  const lines = [
    "From a terminal, with your own AWS credentials (your AWS identity is recorded as who decided):",
    `  ${env}npx driftwarden approve ${approval.id}`,
    `  ${env}npx driftwarden reject ${approval.id} --reason "..."`,
  ];
  if (local) {
    lines.push(
      "  Against the local demo, also set DRIFTWARDEN_LOCAL_ENDPOINT to the endpoint `npm start` prints.",
    );
  }
  return lines;
}

/**
 * Where and how on-call decides. Only driftwarden's own values are here (the
 * signed links, the approval id, the table), and it comes before anything an
 * outsider wrote, so nothing outside it can pass for it.
 */
export function approvalLines(approval: ApprovalFacts, timeZone?: string): string[] {
  const deadline = humanTime(approval.expiresAt, { timeZone });
  const links = [approval.pageUrl, approval.approveUrl, approval.rejectUrl].filter((url): url is string =>
    Boolean(url),
  );
  const lines = [`Decide by ${deadline}. Nothing changes until someone does.`, `Approval id: ${approval.id}`];
  if (approval.pageUrl) lines.push(`Review and decide: ${approval.pageUrl}`);
  if (approval.approveUrl) lines.push(`Approve: ${approval.approveUrl}`);
  if (approval.rejectUrl) lines.push(`Reject: ${approval.rejectUrl}`);
  const first = links[0];
  const local = first ? isLoopback(first) : false;
  if (first) {
    lines.push(
      `driftwarden's links always start with ${linkBase(first)}; a link anywhere else in this email is not from driftwarden.`,
    );
    if (local) {
      lines.push(
        "These links point at the local approval page that `driftwarden demo` (npm start) serves on this machine; a link works only with the run that signed it.",
      );
    }
  } else {
    lines.push("This deployment has no approval page: decide from a terminal.");
  }
  return [...lines, ...cliCommands(approval, local)];
}

/** What on-call is asked to do, by outcome: the first thing they read. */
const toDo: Record<Outcome, (label: string, owner?: Owner) => string> = {
  fixed: (label) => `nothing to do: driftwarden fixed ${label} and verified the fix.`,
  compliant: (label) => `nothing to do: ${label} is compliant.`,
  "awaiting-approval": (label) => `approve or reject the fix for ${label}.`,
  rejected: (label) => `${label} still drifts: the fix was rejected, so fix it by hand or exempt it.`,
  "approval-expired": (label) =>
    `${label} still drifts: nobody decided in time. Fix it by hand, or wait for the next request.`,
  exempt: (label) => `nothing to do: ${label} is exempt.`,
  reported: (label) => `review ${label}: driftwarden reported the drift and changed nothing.`,
  blocked: (label) => `fix ${label} by hand: driftwarden cannot fix it safely.`,
  suspended: (label, owner) =>
    owner
      ? `${ownerLabels[owner.kind]}${owner.name ? ` ${JSON.stringify(owner.name)}` : ""} keeps reverting ${label}: fix its source (below), then resume it. Automatic fixing is paused for it.`
      : `stop what keeps reverting ${label}, then resume it: automatic fixing is paused for it.`,
  failed: (label) => `check ${label} now: the fix failed and it may be partly changed.`,
};

const outcomeSentence: Record<Outcome, string> = {
  fixed: "driftwarden fixed the drift and verified the fix by re-reading the resource.",
  compliant: "Re-checked: the resource is compliant, nothing was changed.",
  "awaiting-approval":
    "The fix could break traffic, so it waits for on-call approval. Nothing has been changed yet.",
  rejected: "On-call rejected the fix. Nothing was changed; the drift remains.",
  "approval-expired": "Nobody decided within the approval timeout. Nothing was changed; the drift remains.",
  exempt: "The resource is exempt. Nothing was changed.",
  reported:
    "Nothing was changed: the control is in report mode (below is the fix driftwarden would make), or it has no fix to make (the reason is above).",
  blocked: "This drift cannot be fixed safely. Nothing was changed; a person has to decide what to do.",
  suspended:
    "The resource keeps drifting back after fixes, so automatic fixing is suspended for it. Something is fighting the fix.",
  failed: "The fix failed. The resource may be partly changed; check it now.",
};

/**
 * `"dana" (typed on the approval page, unverified)`, `"arn:..." (verified AWS
 * identity)`: who decided, shown as what driftwarden knows of them.
 */
export function describeDecider(by: string | undefined, verified?: boolean, channel?: string): string {
  if (!by) return "someone";
  const how =
    verified === true
      ? "verified AWS identity"
      : verified === false
        ? channel === "web" || !channel
          ? "typed on the approval page, unverified"
          : `${cleanText(channel, { max: 40 })}, unverified`
        : undefined;
  return `${quoteUntrusted(by)}${how ? ` (${how})` : ""}`;
}

/** `approved by "dana" (typed on the approval page, unverified) at ...`. */
export function describeDecision(decision: DecisionFacts, timeZone?: string): string {
  const by = decision.by ? ` by ${describeDecider(decision.by, decision.byVerified, decision.channel)}` : "";
  const at = decision.at ? ` at ${humanTime(decision.at, { timeZone })}` : "";
  const reason = decision.reason ? `, reason ${quoteUntrusted(decision.reason, { max: DETAIL })}` : "";
  return `${cleanText(decision.kind, { max: 40 })}${by}${at}${reason}`;
}

/** The owner and, when the control says how, the fix that keeps the setting in the owner's source. */
export function ownerLines(owner: Owner | undefined, control: Pick<ControlMetadata, "sourceFix">): string[] {
  if (!owner) return [];
  const lines = [
    "",
    `Owner: ${describeOwner(owner)}. Its next deploy puts the drift back unless its source keeps the setting.`,
  ];
  const fix = sourceFixFor(owner, control.sourceFix);
  if (fix) lines.push("Fix at the source:", ...fix.split("\n").map((line) => `  ${line}`));
  return lines;
}

function whyLine(facts: NotificationFacts): string {
  const risky = facts.outcome === "awaiting-approval" || facts.outcome === "blocked";
  const why = risky && facts.riskReasons.length > 0 ? facts.riskReasons.join("; ") : facts.finding;
  const text = humanizeTimes(shortenArns(why ?? "not determined"), { timeZone: facts.timeZone });
  return `Why: ${cleanText(text, { max: LINE })}`;
}

export function buildNotification(facts: NotificationFacts): Notification {
  const { control, input, outcome, timeZone } = facts;
  const label = resourceLabel(input.resource);
  // The resource first: a long subject is cut at the end, and the account is in the body and attributes.
  const subject = sanitizeSubject(
    `[driftwarden] ${headline[outcome]}: ${label} (${[control.securityHubIds[0], input.region].filter(Boolean).join(", ")})`,
  );
  const owner = facts.owner === null ? undefined : (facts.owner ?? identifyOwner({ actor: input.actor }));
  const lines: string[] = [`${headline[outcome]}: ${toDo[outcome](label, owner)}`];
  if (facts.approval) lines.push(...approvalLines(facts.approval, timeZone), "");
  lines.push(whyLine(facts));
  const change = changeSummaryLine(facts.changes, facts.changesMade);
  if (change) lines.push(change);
  if (facts.decision && facts.decision.kind !== "none")
    lines.push(`Decision: ${describeDecision(facts.decision, timeZone)}`);
  if (facts.error) {
    lines.push(
      `Error: ${cleanText(facts.error.name, { max: 80 })}: ${cleanText(facts.error.message, { max: DETAIL })}`,
    );
  }
  for (const note of facts.notes ?? [])
    lines.push(cleanText(humanizeTimes(note, { timeZone }), { max: DETAIL }));
  lines.push(...ownerLines(owner, control));
  if (outcome === "suspended") {
    // The command is the whole way back: without it on-call has to find the resume docs mid-incident.
    lines.push(
      "",
      "Once the source keeps the setting, resume automatic fixing:",
      `  driftwarden resume ${control.id} ${cleanText(input.resource, { max: LINE })}`,
    );
  }
  lines.push(
    "",
    "Details",
    outcomeSentence[outcome],
    `Control: ${control.id} (${[...control.securityHubIds, `severity ${control.severity}`].join(", ")}): ${control.title}`,
    ...driftLines({ ...input, finding: facts.finding ?? "not determined" }, timeZone),
    `Reported at: ${humanTime(input.eventTime, { timeZone })} (trigger: ${input.trigger})`,
    ...changeLines(facts.changes, facts.changesMade),
    ...riskLines(facts.riskReasons),
    "",
    `Outcome: ${outcome}`,
    `Audit id: ${facts.auditId}`,
    `Execution: ${facts.executionId}`,
  );
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
