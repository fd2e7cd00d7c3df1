import { createHmac, timingSafeEqual } from "node:crypto";
import type { LinkDecision } from "./links.js";

/**
 * The approval form carries a token only the endpoint can mint: an HMAC over
 * the approval id, the decision and when the page was issued. A POST without a
 * fresh token for exactly that approval and decision decides nothing, so a
 * form on another site (or a replayed old form) cannot decide for on-call.
 */
export const CSRF_MAX_AGE_SECONDS = 15 * 60;
// Tolerates a little clock difference between Lambda instances, not a token from the future.
const FUTURE_SKEW_SECONDS = 60;

export interface CsrfBinding {
  id: string;
  decision: LinkDecision;
}

function mac(key: string, binding: CsrfBinding, issuedAt: number): string {
  // "csrf" separates this MAC's domain from the link signature made with the same key.
  return createHmac("sha256", key)
    .update(`csrf\n${binding.id}\n${binding.decision}\n${issuedAt}`)
    .digest("base64url");
}

export function issueCsrfToken(key: string, binding: CsrfBinding, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${issuedAt}.${mac(key, binding, issuedAt)}`;
}

export type CsrfCheck = { ok: true } | { ok: false; reason: "invalid" | "stale" };

export function verifyCsrfToken(
  key: string,
  token: string,
  binding: CsrfBinding,
  now: Date,
  maxAgeSeconds = CSRF_MAX_AGE_SECONDS,
): CsrfCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(mac(key, binding, issuedAt));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "invalid" };
  }
  const age = Math.floor(now.getTime() / 1000) - issuedAt;
  if (age < -FUTURE_SKEW_SECONDS) return { ok: false, reason: "invalid" };
  if (age > maxAgeSeconds) return { ok: false, reason: "stale" };
  return { ok: true };
}
