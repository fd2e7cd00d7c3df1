import { KMSInvalidMacException, VerifyMacCommand } from "@aws-sdk/client-kms";
import { kms } from "../lib/clients/kms.js";
import { LINK_MAC_ALGORITHM, type LinkDecision, type LinkKey, linkMessage } from "./link-format.js";

/** Checks an approval link with KMS VerifyMac: the endpoint's only use of the link key. */
export type LinkCheck =
  | { ok: true; decision: LinkDecision; expires: number }
  | { ok: false; reason: "bad-signature" | "expired" };

// Approval ids are hex digests; anything else was never signed, and KMS need not be asked.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Digits only: Number() would also read "1e9" or " 0x10", so one MAC would verify under several spellings.
const EXPIRES = /^\d{1,12}$/;
// HMAC-SHA-256 is 32 bytes: 43 characters of unpadded base64url.
const SIG = /^[A-Za-z0-9_-]{43}$/;

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
    await kms(key.region).send(
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
