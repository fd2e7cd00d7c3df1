import { InvalidMinimumProtocolVersion, InvalidViewerCertificate } from "@aws-sdk/client-cloudfront";
import { parseAcmCertificateArn } from "./arn.js";
import { enumProblem, problemError } from "./cloudfront-problems.js";
import { modeled } from "./errors.js";
import { isRecord, type Json } from "./json.js";

/**
 * How CloudFront judges a distribution's ViewerCertificate against its
 * aliases, and how it reports the certificate afterwards.
 *
 * - An alias being added must be covered by a custom certificate (ACM or IAM):
 *   "To add an alternate domain name (CNAME) to a CloudFront distribution, you
 *   must attach ... a certificate that covers the alternate domain name"
 *   (Developer Guide, CNAMEs.html#alternate-domain-names-requirements). Aliases
 *   a distribution already has keep working (distributions from before 2019
 *   serve aliases on the default certificate).
 * - The security policies each SSLSupportMethod allows: sni-only takes TLSv1 or
 *   newer, vip only SSLv3 and TLSv1 (others need an AWS Support case),
 *   static-ip only where the CloudFront team enabled it (never in the sandbox).
 * - With CloudFrontDefaultCertificate, CloudFront sets the policy to TLSv1
 *   whatever was asked (ViewerCertificate.MinimumProtocolVersion, API reference).
 */
export const MINIMUM_PROTOCOL_VERSIONS = [
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
export const SSL_SUPPORT_METHODS = ["sni-only", "vip", "static-ip"] as const;
const VIP_POLICIES = ["SSLv3", "TLSv1"];

/** An ACM certificate as DescribeCertificate reports it (the members CloudFront's checks read). */
export interface AcmCertificate {
  CertificateArn: string;
  DomainName: string;
  SubjectAlternativeNames?: string[];
  Status?: string;
}

export interface ViewerCertificateContext {
  account: string;
  /** Aliases the submitted configuration adds (all of them for a new distribution). */
  addedAliases: string[];
  /**
   * The account's ACM certificates, or undefined when the scenario describes
   * none: then a well-formed us-east-1 certificate of the account is taken to
   * cover what it is asked to (the sandbox cannot know its names).
   */
  certificates?: readonly AcmCertificate[];
}

const INVALID_CERTIFICATE =
  "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.";
const NOT_COVERED =
  "The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) that you're trying to add. For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements";

/** A certificate name covers a host as ACM and CloudFront match them: exactly, or `*.` standing for one label. */
export function certificateCovers(name: string, host: string): boolean {
  const pattern = name.toLowerCase();
  const alias = host.toLowerCase();
  if (pattern === alias) return true;
  if (!pattern.startsWith("*.")) return false;
  const suffix = pattern.slice(1);
  if (!alias.endsWith(suffix)) return false;
  const label = alias.slice(0, -suffix.length);
  return label !== "" && !label.includes(".");
}

function invalidCertificate(message: string): Error {
  return modeled(InvalidViewerCertificate, message);
}

function notCovered(alias: string): Error {
  return invalidCertificate(`${NOT_COVERED} (alias: ${alias})`);
}

function acmCertificate(arn: string, ctx: ViewerCertificateContext): AcmCertificate | undefined {
  const parsed = parseAcmCertificateArn(arn);
  if (parsed?.region !== "us-east-1" || parsed.account !== ctx.account)
    throw invalidCertificate(INVALID_CERTIFICATE);
  if (!ctx.certificates) return undefined;
  const certificate = ctx.certificates.find((c) => c.CertificateArn === arn);
  if (!certificate || (certificate.Status !== undefined && certificate.Status !== "ISSUED"))
    throw invalidCertificate(INVALID_CERTIFICATE);
  return certificate;
}

function checkPolicy(method: string, policy: string): void {
  if (method === "static-ip") {
    throw invalidCertificate(
      "SSLSupportMethod static-ip is available only to distributions the CloudFront team has enabled for static IP addresses.",
    );
  }
  if ((method === "sni-only" && policy === "SSLv3") || (method === "vip" && !VIP_POLICIES.includes(policy))) {
    throw modeled(
      InvalidMinimumProtocolVersion,
      `The specified MinimumProtocolVersion cannot be used with the specified SSLSupportMethod: ${policy} with ${method}.`,
    );
  }
}

/**
 * Refuses a ViewerCertificate CloudFront refuses, and returns it as
 * GetDistributionConfig reports it afterwards (the deprecated Certificate and
 * CertificateSource members filled in, the default certificate's policy TLSv1).
 * An absent ViewerCertificate means the default certificate.
 */
export function checkViewerCertificate(raw: unknown, ctx: ViewerCertificateContext): Json | undefined {
  if (raw === undefined) {
    const [alias] = ctx.addedAliases;
    if (alias !== undefined) throw notCovered(alias);
    return undefined;
  }
  if (!isRecord(raw)) throw invalidCertificate("DistributionConfig.ViewerCertificate must be a structure");
  for (const [member, allowed] of [
    ["MinimumProtocolVersion", MINIMUM_PROTOCOL_VERSIONS],
    ["SSLSupportMethod", SSL_SUPPORT_METHODS],
  ] as const) {
    const found =
      raw[member] === undefined
        ? undefined
        : enumProblem(raw[member], allowed, ["ViewerCertificate", member]);
    if (found) throw problemError(found, "DistributionConfig");
  }
  const acm =
    typeof raw.ACMCertificateArn === "string" && raw.ACMCertificateArn !== ""
      ? raw.ACMCertificateArn
      : undefined;
  const iam =
    typeof raw.IAMCertificateId === "string" && raw.IAMCertificateId !== ""
      ? raw.IAMCertificateId
      : undefined;
  const byDefault = raw.CloudFrontDefaultCertificate === true;
  if ([acm, iam, byDefault || undefined].filter((source) => source !== undefined).length !== 1) {
    throw invalidCertificate(
      "DistributionConfig.ViewerCertificate: specify exactly one of CloudFrontDefaultCertificate (true), ACMCertificateArn or IAMCertificateId",
    );
  }
  const reported: Json = { ...raw };
  if (byDefault) {
    const [alias] = ctx.addedAliases;
    if (alias !== undefined) throw notCovered(alias);
    for (const member of ["ACMCertificateArn", "IAMCertificateId", "Certificate"]) delete reported[member];
    return {
      ...reported,
      SSLSupportMethod: "vip",
      MinimumProtocolVersion: "TLSv1",
      CertificateSource: "cloudfront",
    };
  }
  const method = raw.SSLSupportMethod;
  const policy = raw.MinimumProtocolVersion;
  if (typeof method !== "string" || typeof policy !== "string") {
    throw invalidCertificate(
      "DistributionConfig.ViewerCertificate: a custom certificate needs both SSLSupportMethod and MinimumProtocolVersion",
    );
  }
  checkPolicy(method, policy);
  if (acm) {
    const certificate = acmCertificate(acm, ctx);
    const names = certificate
      ? [certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? [])]
      : undefined;
    const uncovered =
      names && ctx.addedAliases.find((alias) => !names.some((name) => certificateCovers(name, alias)));
    if (uncovered !== undefined) throw notCovered(uncovered);
  }
  return {
    ...reported,
    CloudFrontDefaultCertificate: false,
    Certificate: acm ?? iam,
    CertificateSource: acm ? "acm" : "iam",
  };
}
