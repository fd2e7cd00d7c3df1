/**
 * CloudFront's viewer security policies, oldest first, and what each lets
 * viewers use. From the Developer Guide's "Supported protocols and ciphers
 * between viewers and CloudFront" table: TLSv1.2_2021 keeps only ECDHE key
 * exchange with AES-GCM or ChaCha20 for TLS 1.2 (no CBC, no RSA key exchange),
 * TLSv1.2_2025 drops ChaCha20 as well, TLSv1.3_2025 refuses TLS 1.2.
 */
export const securityPolicies = [
  "SSLv3",
  "TLSv1",
  "TLSv1_2016",
  "TLSv1.1_2016",
  "TLSv1.2_2018",
  "TLSv1.2_2019",
  "TLSv1.2_2021",
  "TLSv1.2_2025",
  "TLSv1.3_2025",
] as const;
export type SecurityPolicy = (typeof securityPolicies)[number];

/** The policies the setting may require: TLS 1.2 or newer, as CLOUDFRONT_SECURITY_POLICY_CHECK does. */
export const minimumPolicies = [
  "TLSv1.2_2018",
  "TLSv1.2_2019",
  "TLSv1.2_2021",
  "TLSv1.2_2025",
  "TLSv1.3_2025",
] as const;

/** Position in age order; -1 for a value CloudFront did not have when this was written. */
export function rank(policy: string | undefined): number {
  return securityPolicies.indexOf(policy as SecurityPolicy);
}

function oldestProtocol(policy: SecurityPolicy): string {
  if (policy === "SSLv3") return "SSLv3";
  if (policy === "TLSv1" || policy === "TLSv1_2016") return "TLS 1.0";
  if (policy === "TLSv1.1_2016") return "TLS 1.1";
  if (policy === "TLSv1.3_2025") return "TLS 1.3";
  return "TLS 1.2";
}

/** TLS 1.2 ciphers without forward secrecy or with CBC: still accepted up to TLSv1.2_2019. */
function allowsLegacyTls12Ciphers(policy: SecurityPolicy): boolean {
  return rank(policy) <= rank("TLSv1.2_2019");
}

/**
 * Which viewers can no longer connect once `to` replaces `from`, in words
 * on-call can weigh against their audience.
 */
export function viewersLosingAccess(from: SecurityPolicy, to: SecurityPolicy): string[] {
  const lost: string[] = [];
  if (rank(from) < rank("TLSv1.2_2018") && rank(to) >= rank("TLSv1.2_2018")) {
    lost.push(
      `${from} still lets viewers connect with ${oldestProtocol(from)}; ${to} requires TLS 1.2 or newer, so clients ` +
        "without it lose access: Android 4.3 and older, Internet Explorer 10 and older, Safari 6 and older " +
        "(iOS 4 and older), Windows XP, Java 6 and Java 7 clients left at their defaults, and tools built on " +
        "OpenSSL older than 1.0.1 (old curl, embedded devices, payment terminals)",
    );
  }
  if (allowsLegacyTls12Ciphers(from) && rank(to) >= rank("TLSv1.2_2021") && to !== "TLSv1.3_2025") {
    lost.push(
      `${to} accepts TLS 1.2 only with ECDHE key exchange and AES-GCM or ChaCha20 ciphers: TLS 1.2 clients ` +
        "without them lose access too, such as Internet Explorer 11 on Windows 7 and 8.1 when the certificate " +
        "is RSA",
    );
  }
  if (to === "TLSv1.2_2025" && rank(from) < rank("TLSv1.2_2025")) {
    lost.push("TLSv1.2_2025 also removes the ChaCha20 ciphers for TLS 1.2 viewers");
  }
  if (to === "TLSv1.3_2025") {
    lost.push(
      "TLSv1.3_2025 refuses TLS 1.2 entirely: every client without TLS 1.3 loses access, such as Windows 10 " +
        "and Windows Server 2019 or older built-in HTTPS (.NET Framework, PowerShell), Java 8 before 8u261, " +
        "Android 9 and older, and OpenSSL 1.0.x",
    );
  }
  return lost;
}
