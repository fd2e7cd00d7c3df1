import type { DriftwardenResources } from "../lib/resources.js";

/**
 * What an approval link is: the approval id and an expiry, authenticated with
 * an HMAC made by an AWS KMS HMAC key, so nothing in a function's configuration
 * or bundle can forge one. Making links (`links.ts`, GenerateMac) and checking
 * them (`link-check.ts`, VerifyMac) live apart, so the endpoint's bundle holds
 * no code that could make one, as its role holds no permission to.
 *
 * The MAC covers the id and the expiry, not the decision: whoever holds the
 * link may approve or reject (the page offers both), and the endpoint, which
 * cannot make MACs, can then link to the other decision. Links only open the
 * page; deciding is a POST from it, so a mail scanner following links decides
 * nothing.
 */
export type LinkDecision = "approve" | "reject";

export const LINK_MAC_ALGORITHM = "HMAC_SHA_256";

/** The key that MACs the links and the region it lives in (the deployment's home region). */
export interface LinkKey {
  keyArn: string;
  region: string;
}

export function linkMessage(id: string, expires: number): Uint8Array {
  // The prefix keeps this MAC's domain apart from anything else the key might ever authenticate.
  return new TextEncoder().encode(`driftwarden approval link\n${id}\n${expires}`);
}

/** The deployment's link key, when it has one. */
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
