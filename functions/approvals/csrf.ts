import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkDecision } from "./link-format.js";

/**
 * The approval form carries a token bound to the approval id, the decision and
 * when the page was issued. A POST without a fresh token for exactly that
 * approval and decision decides nothing, so a form on another site (or a
 * replayed old form) cannot decide for on-call.
 *
 * The endpoint may only verify with the deployment's KMS key, never make MACs,
 * so the token is keyed by the link's own MAC, which KMS has just verified: it
 * is a secret only the link's holders know. Whoever lacks the link cannot make
 * a token; whoever holds it can open the page and get one anyway, so this
 * binds no less than a token keyed by a server secret would, and no key of its
 * own exists to be stolen.
 */
export const CSRF_MAX_AGE_SECONDS = 15 * 60;
// Tolerates a little clock difference between Lambda instances, not a token from the future.
const FUTURE_SKEW_SECONDS = 60;

export interface CsrfBinding {
  id: string;
  decision: LinkDecision;
}

function mac(linkMac: string, binding: CsrfBinding, issuedAt: number): string {
  // "csrf" keeps this MAC's domain apart from any other use of the link's MAC.
  return createHmac("sha256", Buffer.from(linkMac, "base64url"))
    .update(`csrf\n${binding.id}\n${binding.decision}\n${issuedAt}`)
    .digest("base64url");
}

/** `linkMac` is the verified `sig` of the link the page was opened with. */
export function issueCsrfToken(linkMac: string, binding: CsrfBinding, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${issuedAt}.${mac(linkMac, binding, issuedAt)}`;
}

export type CsrfCheck = { ok: true } | { ok: false; reason: "invalid" | "stale" };

export function verifyCsrfToken(
  linkMac: string,
  token: string,
  binding: CsrfBinding,
  now: Date,
  maxAgeSeconds = CSRF_MAX_AGE_SECONDS,
): CsrfCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(mac(linkMac, binding, issuedAt));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "invalid" };
  }
  const age = Math.floor(now.getTime() / 1000) - issuedAt;
  if (age < -FUTURE_SKEW_SECONDS) return { ok: false, reason: "invalid" };
  if (age > maxAgeSeconds) return { ok: false, reason: "stale" };
  return { ok: true };
}
