import { createHmac, timingSafeEqual } from "node:crypto";
import type { DriftwardenResources } from "../lib/resources.js";

export type LinkDecision = "approve" | "reject";

/**
 * Links carry the approval id, the decision and an expiry, signed with
 * HMAC-SHA256. They only open the approval page: deciding is a POST from it,
 * so a mail scanner following links decides nothing.
 */
export function signLink(key: string, id: string, decision: LinkDecision, expires: number): string {
  return createHmac("sha256", key).update(`${id}\n${decision}\n${expires}`).digest("base64url");
}

export function verifyLink(
  key: string,
  params: { id: string; decision: string; expires: string; sig: string },
  now: Date,
):
  | { ok: true; decision: LinkDecision; expires: number }
  | { ok: false; reason: "bad-signature" | "expired" } {
  if (params.decision !== "approve" && params.decision !== "reject")
    return { ok: false, reason: "bad-signature" };
  // Digits only: Number() would also read "1e9" or " 0x10", so one signature would verify under several spellings.
  if (!/^\d{1,12}$/.test(params.expires)) return { ok: false, reason: "bad-signature" };
  const expires = Number(params.expires);
  const expected = Buffer.from(signLink(key, params.id, params.decision, expires));
  const given = Buffer.from(params.sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "bad-signature" };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, decision: params.decision, expires };
}

/**
 * Where on-call decides: the signed links, and the table and region the CLI
 * needs (`driftwarden approve` reads them from its environment), so an email
 * can name them.
 */
export function approvalLinks(
  res: Pick<DriftwardenResources, "approvalUrl" | "signingKey"> &
    Partial<Pick<DriftwardenResources, "approvalsTable" | "region">>,
  id: string,
  expiresAt: Date,
): { approveUrl?: string; rejectUrl?: string; cli?: { table: string; region: string } } {
  const cli =
    res.approvalsTable && res.region ? { cli: { table: res.approvalsTable, region: res.region } } : {};
  if (!res.approvalUrl || !res.signingKey) return cli;
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const link = (decision: LinkDecision) => {
    const url = new URL(res.approvalUrl as string);
    url.searchParams.set("id", id);
    url.searchParams.set("decision", decision);
    url.searchParams.set("expires", String(expires));
    url.searchParams.set("sig", signLink(res.signingKey as string, id, decision, expires));
    return url.toString();
  };
  return { approveUrl: link("approve"), rejectUrl: link("reject"), ...cli };
}
