import type { Actor, Change, SourceFix } from "../controls/types.js";
import { timeLeft } from "../lib/duration.js";
import { humanizeTimes, humanTime } from "../lib/human-time.js";
import { describeOwner, identifyOwner, sourceFixFor } from "../lib/owner.js";
import { cleanText, inertJson, quoteUntrusted } from "../lib/untrusted.js";
import { describeDecider as deciderText } from "../notify/message.js";
import type { LinkDecision } from "./links.js";
import type { ApprovalRecord } from "./store.js";

/**
 * The approval pages: plain HTML, no JavaScript, readable on a phone. Every
 * value that came from an event, a resource or a person goes through
 * `escapeHtml`, because CloudTrail fields (user agents, ARNs, rule values)
 * are written by whoever made the call; and through `untrusted.ts` first, so
 * that it reads as quoted data (no line breaks, no bidi tricks, no live URLs)
 * and never as the page's own words.
 */

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

export interface LinkParams {
  id: string;
  decision: LinkDecision;
  expires: string;
  sig: string;
}

/** Enforced by the endpoint as well: the form's maxlength is only a hint to the browser. */
export const MAX_NAME_LENGTH = 200;
export const MAX_REASON_LENGTH = 1000;

export interface ControlLabel {
  id: string;
  title?: string;
  securityHubIds?: string[];
  /** Shown with the resource's owner, when one is known. */
  sourceFix?: SourceFix;
}

const style = `
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 1rem; }
  main { max-width: 42rem; margin: 0 auto; }
  h1 { font-size: 1.4rem; margin: 0 0 .75rem; }
  h2 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
  dl { margin: 0; }
  dt { font-weight: 600; margin-top: .6rem; }
  dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: rgba(127,127,127,.12); padding: .6rem; border-radius: 4px; font-size: .85rem; }
  ul { padding-left: 1.2rem; margin: .25rem 0; }
  .note { border-left: 4px solid #b58900; padding: .4rem .8rem; background: rgba(181,137,0,.1); }
  .error { border-left: 4px solid #c0392b; padding: .4rem .8rem; background: rgba(192,57,43,.12); }
  form { margin-top: 1.5rem; padding-top: 1rem; border-top: 1px solid rgba(127,127,127,.4); }
  label { display: block; font-weight: 600; margin-top: .75rem; }
  input[type=text], textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; margin-top: .25rem; }
  button { font: inherit; font-weight: 600; margin-top: 1rem; padding: .75rem 1.25rem; border: 0; border-radius: 4px; color: #fff; width: 100%; }
  button.approve { background: #1e7d32; }
  button.reject { background: #b3261e; }
  a { overflow-wrap: anywhere; }
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)} - driftwarden</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function actorLines(actor: Actor | null): string {
  if (!actor) {
    return "<dd>unknown: found by the scheduled sweep or AWS Config, without a CloudTrail record</dd>";
  }
  const rows = [
    `<dd>${escapeHtml(quoteUntrusted(actor.arn))} (${escapeHtml(cleanText(actor.type, { max: 40 }))})</dd>`,
  ];
  if (actor.sourceIp)
    rows.push(`<dd>Source IP: ${escapeHtml(quoteUntrusted(actor.sourceIp, { max: 80 }))}</dd>`);
  if (actor.userAgent)
    rows.push(`<dd>User agent: ${escapeHtml(quoteUntrusted(actor.userAgent, { max: 400 }))}</dd>`);
  if (actor.eventName) {
    const at = actor.eventTime ? ` at ${escapeHtml(humanTime(actor.eventTime))}` : "";
    rows.push(`<dd>API call: ${escapeHtml(cleanText(actor.eventName, { max: 80 }))}${at}</dd>`);
  }
  return rows.join("\n");
}

function changeBlocks(changes: Change[]): string {
  if (changes.length === 0) return "<dd>none</dd>";
  return changes
    .map(
      (change) =>
        `<dd><strong>${escapeHtml(cleanText(change.service, { max: 20 }))}:${escapeHtml(cleanText(change.action, { max: 60 }))}</strong><pre>${escapeHtml(inertJson(change.input, 2))}</pre></dd>`,
    )
    .join("\n");
}

/** Who manages the resource, worked out from who changed it, and how its source keeps the setting. */
function ownerRows(record: ApprovalRecord, control: ControlLabel): string {
  // The request step saw the resource's tags; older records only have the actor to go by.
  const owner = record.owner ?? identifyOwner({ actor: record.actor });
  if (!owner) return "";
  const fix = sourceFixFor(owner, control.sourceFix);
  return `<dt>Owner</dt><dd>${escapeHtml(describeOwner(owner))}: its next deploy puts the drift back unless its source keeps the setting.</dd>${
    fix ? `\n<dt>Fix at the source</dt><dd><pre>${escapeHtml(fix)}</pre></dd>` : ""
  }`;
}

/** A time as on-call reads it, with the exact instant for the browser. */
function timeElement(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(humanTime(iso))}</time>`;
}

/** The facts on-call needs to decide, the same ones the email states. */
export function approvalDetails(record: ApprovalRecord, control: ControlLabel, now: Date): string {
  const controlText = [
    control.id,
    control.securityHubIds?.length ? ` (${control.securityHubIds.join(", ")})` : "",
    control.title ? `: ${control.title}` : "",
  ].join("");
  const clean = (text: string) => escapeHtml(cleanText(humanizeTimes(text), { max: 1000 }));
  return `<dl>
<dt>Control</dt><dd>${escapeHtml(controlText)}</dd>
<dt>Resource</dt><dd>${escapeHtml(cleanText(record.resource, { max: 300 }))}</dd>
<dt>Account / region</dt><dd>${escapeHtml(cleanText(record.account, { max: 20 }))} / ${escapeHtml(cleanText(record.region, { max: 30 }))}</dd>
<dt>What drifted</dt><dd>${clean(record.finding)}</dd>
<dt>Who caused it</dt>
${actorLines(record.actor)}
${ownerRows(record, control)}
<dt>Why a person must decide</dt>
<dd><ul>${record.reasons.map((reason) => `<li>${clean(reason)}</li>`).join("")}</ul></dd>
<dt>The exact change</dt>
${changeBlocks(record.changes)}
<dt>Expires</dt><dd>${timeElement(record.expiresAt)} (in ${escapeHtml(timeLeft(record.expiresAt, now))})</dd>
<dt>Approval id</dt><dd>${escapeHtml(record.id)}</dd>
</dl>`;
}

export interface ApprovalFormPage {
  record: ApprovalRecord;
  control: ControlLabel;
  link: LinkParams;
  csrf: string;
  now: Date;
  /** The signed link for the other decision, so on-call can change their mind before submitting. */
  otherDecisionUrl?: string;
  /** Shown above the form when a submission was refused (a missing name). */
  error?: string;
  by?: string;
  reason?: string;
}

export function approvalFormPage(page: ApprovalFormPage): string {
  const { link } = page;
  const approving = link.decision === "approve";
  const verb = approving ? "Approve" : "Reject";
  const consequence = approving
    ? "driftwarden re-checks the resource first: if it changed since this request, the fix is re-planned and asked again instead of applied."
    : "Nothing will be changed; the drift stays until someone fixes it.";
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const other = page.otherDecisionUrl
    ? `<p>Want to ${approving ? "reject" : "approve"} instead? <a href="${escapeHtml(page.otherDecisionUrl)}">Open the ${approving ? "reject" : "approve"} page</a>.</p>`
    : "";
  const body = `<h1>${verb} this fix?</h1>
<p class="note">A fix driftwarden will not make on its own, because it could break traffic. Opening this page changed nothing; only submitting the form below decides.</p>
${approvalDetails(page.record, page.control, page.now)}
<form method="post">
${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ""}
${hidden("id", link.id)}
${hidden("decision", link.decision)}
${hidden("expires", link.expires)}
${hidden("sig", link.sig)}
${hidden("csrf", page.csrf)}
<label for="by">Your name or email (recorded as typed: the page cannot verify it)</label>
<input type="text" id="by" name="by" required maxlength="${MAX_NAME_LENGTH}" autocomplete="email" value="${escapeHtml(page.by ?? "")}">
${
  approving
    ? ""
    : `<label for="reason">Reason (optional)</label>
<textarea id="reason" name="reason" rows="3" maxlength="${MAX_REASON_LENGTH}">${escapeHtml(page.reason ?? "")}</textarea>`
}
<p>${escapeHtml(consequence)}</p>
<button type="submit" class="${approving ? "approve" : "reject"}">${verb} this fix</button>
</form>
${other}`;
  return layout(`${verb} fix for ${cleanText(page.record.resource, { max: 300 })}`, body);
}

/** A page that only says what happened (decided, refused, expired, unknown). */
export function messagePage(title: string, paragraphs: string[], details?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>\n${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}${details ? `\n${details}` : ""}`,
  );
}

/** `"dana" (typed on the approval page, unverified)`: who decided, shown as what they are. */
export function describeDecider(
  record: Pick<ApprovalRecord, "decidedBy" | "decidedByVerified" | "decidedVia">,
): string {
  return deciderText(record.decidedBy, record.decidedByVerified, record.decidedVia?.channel);
}

/** "already decided by X: approved at T (via web)", for a reopened link and a replayed POST alike. */
export function decisionSummary(record: ApprovalRecord): string {
  const at = record.decidedAt ? ` at ${humanTime(record.decidedAt)}` : "";
  const via = record.decidedVia?.channel ? ` (via ${cleanText(record.decidedVia.channel, { max: 40 })})` : "";
  return `already decided by ${describeDecider(record)}: ${record.status}${at}${via}`;
}
