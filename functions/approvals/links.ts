import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand } from "@aws-sdk/client-kms";
import { clients } from "../lib/aws.js";
import type { DriftwardenResources } from "../lib/resources.js";

export type LinkDecision = "approve" | "reject";

/**
 * Approval links carry the approval id and an expiry, authenticated with an
 * HMAC made by an AWS KMS HMAC key: the key never leaves KMS, so nothing in a
 * function's configuration or bundle can forge a link. The requesting step may
 * only GenerateMac, the endpoint only VerifyMac (IAM and the key policy say so).
 *
 * The MAC covers the id and the expiry, not the decision: whoever holds the
 * link may approve or reject (the page offers both), and the endpoint, which
 * cannot make MACs, can then link to the other decision. Links only open the
 * page; deciding is a POST from it, so a mail scanner following links decides
 * nothing.
 */
export const LINK_MAC_ALGORITHM = "HMAC_SHA_256";

/** The key that signs the links and the region it lives in (the deployment's home region). */
export interface LinkKey {
  keyArn: string;
  region: string;
}

// Approval ids are hex digests; anything else was never signed, and KMS need not be asked.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Digits only: Number() would also read "1e9" or " 0x10", so one MAC would verify under several spellings.
const EXPIRES = /^\d{1,12}$/;
// HMAC-SHA-256 is 32 bytes: 43 characters of unpadded base64url.
const SIG = /^[A-Za-z0-9_-]{43}$/;

function linkMessage(id: string, expires: number): Uint8Array {
  // The prefix keeps this MAC's domain apart from anything else the key might ever authenticate.
  return new TextEncoder().encode(`driftwarden approval link\n${id}\n${expires}`);
}

export async function signLink(key: LinkKey, id: string, expires: number): Promise<string> {
  const { Mac } = await clients.kms(key.region).send(
    new GenerateMacCommand({
      KeyId: key.keyArn,
      Message: linkMessage(id, expires),
      MacAlgorithm: LINK_MAC_ALGORITHM,
    }),
  );
  if (!Mac) throw new TypeError(`KMS GenerateMac with ${key.keyArn} returned no MAC`);
  return Buffer.from(Mac).toString("base64url");
}

export type LinkCheck =
  | { ok: true; decision: LinkDecision; expires: number }
  | { ok: false; reason: "bad-signature" | "expired" };

/** A bad MAC is an answer (`bad-signature`); KMS being unavailable is an error and propagates. */
export async function verifyLink(
  key: LinkKey,
  params: { id: string; decision: string; expires: string; sig: string },
  now: Date,
): Promise<LinkCheck> {
  const { id, decision, expires, sig } = params;
  if (decision !== "approve" && decision !== "reject") return { ok: false, reason: "bad-signature" };
  if (!ID.test(id) || !EXPIRES.test(expires) || !SIG.test(sig)) return { ok: false, reason: "bad-signature" };
  try {
    await clients.kms(key.region).send(
      new VerifyMacCommand({
        KeyId: key.keyArn,
        Message: linkMessage(id, Number(expires)),
        Mac: Buffer.from(sig, "base64url"),
        MacAlgorithm: LINK_MAC_ALGORITHM,
      }),
    );
  } catch (error) {
    if (error instanceof KMSInvalidMacException) return { ok: false, reason: "bad-signature" };
    throw error;
  }
  // Only a genuine link learns that it expired: the MAC was checked first.
  if (Number(expires) * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, decision, expires: Number(expires) };
}

/** The deployment's link key, when it has one (and an approval page to link to). */
export function linkKeyOf(res: Pick<DriftwardenResources, "approvalKeyArn" | "region">): LinkKey | undefined {
  return res.approvalKeyArn ? { keyArn: res.approvalKeyArn, region: res.region } : undefined;
}

export function linkUrl(
  base: string,
  params: { id: string; decision: LinkDecision; expires: number | string; sig: string },
): string {
  const url = new URL(base);
  url.searchParams.set("id", params.id);
  url.searchParams.set("decision", params.decision);
  url.searchParams.set("expires", String(params.expires));
  url.searchParams.set("sig", params.sig);
  return url.toString();
}

/** The Approve and Reject links of a request: one GenerateMac, both links carry it. */
export async function approvalLinks(
  res: Pick<DriftwardenResources, "approvalUrl" | "approvalKeyArn" | "region">,
  id: string,
  expiresAt: Date,
): Promise<{ approveUrl?: string; rejectUrl?: string }> {
  const key = linkKeyOf(res);
  if (!res.approvalUrl || !key) return {};
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const sig = await signLink(key, id, expires);
  return {
    approveUrl: linkUrl(res.approvalUrl, { id, decision: "approve", expires, sig }),
    rejectUrl: linkUrl(res.approvalUrl, { id, decision: "reject", expires, sig }),
  };
}
