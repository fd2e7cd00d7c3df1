import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { catalogEntry } from "../controls/catalog.js";
import { now } from "../lib/clock.js";
import { ApprovalDeliveryError, ApprovalError } from "../lib/errors.js";
import { humanTime } from "../lib/human-time.js";
import { lambda } from "../lib/middleware.js";
import { logger } from "../lib/observability.js";
import { type DriftwardenResources, resources } from "../lib/resources.js";
import { cleanText } from "../lib/untrusted.js";
import { resourceLabel } from "../notify/message.js";
import { CSRF_MAX_AGE_SECONDS, issueCsrfToken, verifyCsrfToken } from "./csrf.js";
import { verifyLink } from "./link-check.js";
import { type LinkDecision, type LinkKey, linkKeyOf, linkUrl as signedLinkUrl } from "./link-format.js";
import {
  approvalDetails,
  approvalFormPage,
  type ControlLabel,
  decisionSummary,
  describeDecider,
  escapeHtml,
  type LinkParams,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
  messagePage,
} from "./page.js";
import { type ApprovalRecord, decideApproval, getApproval } from "./store.js";

/**
 * The approval endpoint behind a Lambda function URL. A GET (what a mail
 * scanner or link preview does) only renders the request and a form; only a
 * POST from that form, carrying the signed link parameters and a fresh CSRF
 * token, decides. Deciding is `decideApproval`: one conditional update from
 * pending, then SendTaskSuccess/SendTaskFailure with the stored task token.
 * Links are checked with KMS VerifyMac: this function can verify them, never
 * make them.
 */
export type FunctionUrlEvent = APIGatewayProxyEventV2;
export type FunctionUrlResult = APIGatewayProxyStructuredResultV2;

export const securityHeaders: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

// A form with a name and a reason is far below this; anything larger is not from our page.
const MAX_BODY_BYTES = 16 * 1024;

function respond(statusCode: number, body: string, extra: Record<string, string> = {}): FunctionUrlResult {
  return { statusCode, headers: { ...securityHeaders, ...extra }, body };
}

const toRecordDecision = (decision: LinkDecision) => (decision === "approve" ? "approved" : "rejected");

function controlLabel(id: string): ControlLabel {
  const metadata = catalogEntry(id)?.metadata;
  // A record written by a newer deployment still renders, with the id only.
  if (!metadata) return { id };
  return {
    id,
    title: metadata.title,
    securityHubIds: metadata.securityHubIds,
    ...(metadata.sourceFix ? { sourceFix: metadata.sourceFix } : {}),
  };
}

function pageBase(res: Pick<DriftwardenResources, "approvalUrl">, event: FunctionUrlEvent): string {
  return res.approvalUrl ?? `https://${event.requestContext.domainName}${event.rawPath || "/"}`;
}

function readLinkParams(source: URLSearchParams): Partial<LinkParams> {
  return {
    id: source.get("id") ?? undefined,
    decision: (source.get("decision") ?? undefined) as LinkDecision | undefined,
    expires: source.get("expires") ?? undefined,
    sig: source.get("sig") ?? undefined,
  };
}

function formBody(event: FunctionUrlEvent): URLSearchParams | "too-large" | "not-a-form" {
  const type = (event.headers?.["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return "not-a-form";
  // Function URLs hand form posts over base64-encoded; a direct invoke may not.
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64")
    : Buffer.from(event.body ?? "", "utf8");
  if (raw.length > MAX_BODY_BYTES) return "too-large";
  return new URLSearchParams(raw.toString("utf8"));
}

type Resolved =
  | { ok: true; record: ApprovalRecord; link: LinkParams }
  | { ok: false; response: FunctionUrlResult };

/**
 * Everything a GET and a POST check alike: the signature, the link's expiry,
 * the record's existence and state. The signature comes first so that a
 * forged link learns nothing, not even whether the id exists.
 */
async function resolveLink(res: Keyed, params: Partial<LinkParams>, at: Date): Promise<Resolved> {
  const { id, decision, expires, sig } = params;
  if (!id || !decision || !expires || !sig) {
    return {
      ok: false,
      response: respond(
        400,
        messagePage("Incomplete approval link", [
          "This link is missing part of its parameters (id, decision, expires, sig). Open the link from the email again; copying it from a mail client sometimes cuts it. Nothing was changed.",
        ]),
      ),
    };
  }
  let verified: Awaited<ReturnType<typeof verifyLink>>;
  try {
    verified = await verifyLink(res.linkKey, { id, decision, expires, sig }, at);
  } catch (error) {
    // KMS could not answer (throttled, key disabled): a link we cannot check decides nothing.
    logger.error("approval link could not be checked with KMS", { approvalId: id, error });
    return {
      ok: false,
      response: respond(
        503,
        messagePage("Approvals unavailable right now", [
          "This link could not be checked just now. Nothing was changed. Try again in a minute, or decide from a terminal with the driftwarden CLI.",
        ]),
        { "retry-after": "60" },
      ),
    };
  }
  if (!verified.ok && verified.reason === "bad-signature") {
    logger.warn("approval link with a bad signature", { approvalId: id, decision });
    return {
      ok: false,
      response: respond(
        403,
        messagePage("Approval link not valid", [
          "The signature of this link does not match: it was changed, or it comes from another driftwarden deployment or local run. Nothing was changed.",
        ]),
      ),
    };
  }
  const record = await getApproval({ table: res.approvalsTable, region: res.region }, id);
  if (!record) {
    return {
      ok: false,
      response: respond(
        404,
        messagePage("Unknown approval", [`There is no approval request ${id}. Nothing was changed.`]),
      ),
    };
  }
  if (record.status === "approved" || record.status === "rejected") {
    return { ok: false, response: alreadyDecided(record) };
  }
  if (record.status === "superseded") return { ok: false, response: superseded(record) };
  if (record.status === "undelivered") return { ok: false, response: undelivered(record) };
  if (!verified.ok || record.status === "expired" || Date.parse(record.expiresAt) <= at.getTime()) {
    return { ok: false, response: expired(record) };
  }
  if (record.status === "deciding") return { ok: false, response: beingDecided(record) };
  return { ok: true, record, link: { id, decision: verified.decision, expires, sig } };
}

function alreadyDecided(record: ApprovalRecord): FunctionUrlResult {
  return respond(
    409,
    messagePage(
      "Already decided",
      [
        `This request was ${decisionSummary(record)}.`,
        "Nothing was changed by opening or submitting this page again.",
      ],
      `<h2>The request</h2>\n${approvalDetails(record, controlLabel(record.control), now())}`,
    ),
  );
}

/** The resource changed while on-call looked: a fresh request went out, and this one decides nothing. */
function superseded(record: ApprovalRecord): FunctionUrlResult {
  return respond(
    410,
    messagePage("Replaced by a newer request", [
      `The resource changed after this request was sent, so the fix was planned again and a new request went out by email${record.supersededBy ? ` (approval ${record.supersededBy})` : ""}.`,
      "This request can no longer be decided; nothing was changed. Decide on the newest request.",
    ]),
  );
}

function beingDecided(record: ApprovalRecord): FunctionUrlResult {
  return respond(
    409,
    messagePage("Being decided", [
      `Someone (${record.decidedBy ?? "unknown"}) is deciding this request right now: their ${record.decision ?? "decision"} is being delivered to the workflow.`,
      "Nothing was changed by opening this page. Reload it in a minute to see the result.",
    ]),
  );
}

/** The decision did not reach the workflow: it was not recorded, and the request is still open. */
function notDelivered(record: ApprovalRecord, pageUrl: string): FunctionUrlResult {
  return respond(
    503,
    messagePage(
      "Decision not recorded",
      [
        `Your decision on ${resourceLabel(record.resource)} could not be delivered to the workflow, so it was not recorded and nothing was changed.`,
        "The request is still open: open the approval page again and submit once more, or decide from a terminal with the driftwarden CLI.",
      ],
      `<p><a href="${escapeHtml(pageUrl)}">Open the approval page again</a></p>`,
    ),
  );
}

function undelivered(record: ApprovalRecord): FunctionUrlResult {
  return respond(
    410,
    messagePage("Approval request never sent", [
      `This request for ${cleanText(record.resource, { max: 300 })} was never sent to on-call: the workflow failed before it went out, so it cannot be decided.`,
      "Nothing was changed and the drift remains. If the resource is still out of its hardened state, the next event or sweep asks again.",
    ]),
  );
}

function expired(record: ApprovalRecord): FunctionUrlResult {
  return respond(
    410,
    messagePage("Approval expired", [
      `This request for ${cleanText(record.resource, { max: 300 })} expired at ${humanTime(record.expiresAt)}, before anyone decided.`,
      "Nothing was changed and the drift remains; on-call was told. If the resource is still out of its hardened state, the next event or sweep asks again.",
    ]),
  );
}

function formPage(
  res: Keyed,
  event: FunctionUrlEvent,
  record: ApprovalRecord,
  link: LinkParams,
  at: Date,
  extra: { status?: number; error?: string; by?: string; reason?: string } = {},
): FunctionUrlResult {
  const other: LinkDecision = link.decision === "approve" ? "reject" : "approve";
  // The link's MAC does not cover the decision: the same link opens the other one.
  const otherDecisionUrl = signedLinkUrl(pageBase(res, event), { ...link, decision: other });
  return respond(
    extra.status ?? 200,
    approvalFormPage({
      record,
      control: controlLabel(record.control),
      link,
      csrf: issueCsrfToken(link.sig, { id: link.id, decision: link.decision }, at),
      now: at,
      otherDecisionUrl,
      error: extra.error,
      by: extra.by,
      reason: extra.reason,
    }),
  );
}

async function show(res: Keyed, event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  const at = now();
  const resolved = await resolveLink(
    res,
    readLinkParams(new URLSearchParams(event.rawQueryString ?? "")),
    at,
  );
  if (!resolved.ok) return resolved.response;
  return formPage(res, event, resolved.record, resolved.link, at);
}

async function decide(res: Keyed, event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  const at = now();
  const form = formBody(event);
  if (form === "not-a-form") {
    return respond(
      415,
      messagePage("Not a form submission", ["Decide from the approval page. Nothing was changed."]),
    );
  }
  if (form === "too-large") {
    return respond(413, messagePage("Request too large", ["Nothing was changed."]));
  }
  const resolved = await resolveLink(res, readLinkParams(form), at);
  if (!resolved.ok) return resolved.response;
  const { record, link } = resolved;
  const csrf = verifyCsrfToken(
    link.sig,
    form.get("csrf") ?? "",
    { id: link.id, decision: link.decision },
    at,
  );
  if (!csrf.ok) {
    logger.warn("approval form with a bad CSRF token", { approvalId: link.id, reason: csrf.reason });
    const pageUrl = signedLinkUrl(pageBase(res, event), link);
    return respond(
      403,
      messagePage(
        "Form no longer valid",
        [
          csrf.reason === "stale"
            ? `The form was opened more than ${CSRF_MAX_AGE_SECONDS / 60} minutes ago.`
            : "The form was not issued by this approval page.",
          "Nothing was changed. Open the approval page again and submit from there.",
        ],
        `<p><a href="${escapeHtml(pageUrl)}">Open the approval page again</a></p>`,
      ),
    );
  }
  const by = (form.get("by") ?? "").trim();
  const reason = (form.get("reason") ?? "").trim();
  if (!by || by.length > MAX_NAME_LENGTH || reason.length > MAX_REASON_LENGTH) {
    return formPage(res, event, record, link, at, {
      status: 400,
      error: !by
        ? "Enter your name or email: it is recorded as who decided."
        : `Keep the name under ${MAX_NAME_LENGTH} and the reason under ${MAX_REASON_LENGTH} characters.`,
      by: by.slice(0, MAX_NAME_LENGTH),
      reason: reason.slice(0, MAX_REASON_LENGTH),
    });
  }
  const { sourceIp, userAgent } = event.requestContext.http;
  const decision = toRecordDecision(link.decision);
  try {
    await decideApproval(
      { table: res.approvalsTable, region: res.region, stateMachineRegion: res.region },
      {
        id: link.id,
        decision,
        by,
        // A name typed on the page proves nothing: it is recorded as typed, unverified.
        verified: false,
        reason: reason || undefined,
        via: { channel: "web", sourceIp, userAgent },
        now: at,
      },
    );
  } catch (error) {
    if (error instanceof ApprovalDeliveryError) {
      logger.error("approval decision not delivered", { approvalId: link.id, decision, error });
      return notDelivered(record, signedLinkUrl(pageBase(res, event), link));
    }
    if (!(error instanceof ApprovalError)) throw error;
    // Someone else (another click, the CLI, the timeout, a new plan) won between our read and the update.
    const latest = await getApproval({ table: res.approvalsTable, region: res.region }, link.id);
    if (latest && (latest.status === "approved" || latest.status === "rejected"))
      return alreadyDecided(latest);
    if (latest?.status === "superseded") return superseded(latest);
    if (latest?.status === "deciding") return beingDecided(latest);
    return expired(latest ?? record);
  }
  logger.info("approval decided", { approvalId: link.id, decision, by, sourceIp, channel: "web" });
  const next =
    decision === "approved"
      ? "driftwarden now re-checks the resource: if it is unchanged the fix is applied and verified; if it changed, the fix is re-planned and asked again. The result comes by email."
      : "Nothing will be changed; the drift remains. The rejection is recorded in the audit trail and on-call is told.";
  return respond(
    200,
    messagePage(
      decision === "approved" ? "Approved" : "Rejected",
      [
        `${decision === "approved" ? "Approved" : "Rejected"} by ${describeDecider({ decidedBy: by, decidedByVerified: false, decidedVia: { channel: "web" } })} at ${humanTime(at)}.`,
        next,
      ],
      `<h2>The request</h2>\n${approvalDetails(record, controlLabel(record.control), at)}`,
    ),
  );
}

type Keyed = DriftwardenResources & { linkKey: LinkKey };

export async function handleApprovalRequest(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  const res = resources();
  const linkKey = linkKeyOf(res);
  if (!linkKey) {
    logger.error("the approval endpoint has no approval link key; links cannot be verified");
    return respond(
      503,
      messagePage("Approvals unavailable", [
        "This deployment has no approval link key. Nothing was changed.",
      ]),
    );
  }
  const keyed: Keyed = { ...res, linkKey };
  const method = event.requestContext.http.method.toUpperCase();
  if (method === "GET") return show(keyed, event);
  if (method === "HEAD") return { ...(await show(keyed, event)), body: "" };
  if (method === "POST") return decide(keyed, event);
  return respond(405, messagePage("Method not allowed", ["Nothing was changed."]), {
    allow: "GET, HEAD, POST",
  });
}

export const handler = lambda(handleApprovalRequest);
