import type { ViewerCertificate } from "@aws-sdk/client-cloudfront";
import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Finding } from "../types.js";
import type { Settings } from "./metadata.js";
import { rank } from "./policies.js";

const supportMethods = new Set(["sni-only", "vip"]);

/** A custom certificate (ACM or IAM); CloudFront's own certificate always runs TLSv1 and cannot be changed. */
export function customCertificate(certificate: ViewerCertificate | undefined): ViewerCertificate | undefined {
  if (!certificate || certificate.CloudFrontDefaultCertificate === true) return undefined;
  return certificate.ACMCertificateArn || certificate.IAMCertificateId ? certificate : undefined;
}

export interface TlsVerdict {
  status: Finding["status"];
  /** The policy found and whether it must be raised to the setting. */
  policy: string | undefined;
  method: string | undefined;
  raise: boolean;
  problems: string[];
}

export function judge(snapshot: DistributionSnapshot, settings: Settings): TlsVerdict {
  const certificate = customCertificate(snapshot.config.ViewerCertificate);
  const policy = certificate?.MinimumProtocolVersion;
  const method = certificate?.SSLSupportMethod;
  if (!certificate) return { status: "not-applicable", policy, method, raise: false, problems: [] };
  const problems: string[] = [];
  let raise = false;
  if (rank(policy) < 0) {
    // A policy newer than this code knows is never lowered: it is only reported as unknown.
    return { status: "not-applicable", policy, method, raise, problems: [] };
  }
  if (rank(policy) < rank(settings.minimumProtocolVersion)) {
    problems.push(
      `MinimumProtocolVersion is ${policy}, older than ${settings.minimumProtocolVersion} (controls.cloudfront-min-viewer-tls.minimumProtocolVersion)`,
    );
    raise = true;
  }
  if (!supportMethods.has(method ?? "")) {
    problems.push(`SSLSupportMethod is ${method ?? "unset"}, not sni-only or vip`);
  }
  return { status: problems.length > 0 ? "non-compliant" : "compliant", policy, method, raise, problems };
}

export function detect(snapshot: DistributionSnapshot, settings: Settings): Finding {
  const verdict = judge(snapshot, settings);
  if (verdict.status === "not-applicable") {
    return {
      status: "not-applicable",
      message: customCertificate(snapshot.config.ViewerCertificate)
        ? `distribution ${snapshot.id} uses security policy ${verdict.policy ?? "unset"}, which driftwarden does not know: it is left as it is`
        : `distribution ${snapshot.id} serves CloudFront's default certificate (*.cloudfront.net), whose security policy CloudFront sets itself`,
    };
  }
  if (verdict.status === "compliant") {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id}: security policy ${verdict.policy} (${verdict.method}) is ${settings.minimumProtocolVersion} or newer`,
    };
  }
  return { status: "non-compliant", message: `viewer certificate: ${verdict.problems.join("; ")}` };
}

/** The certificate's source, method and policy: what this control judges. */
export function ownedState(snapshot: DistributionSnapshot): unknown {
  const certificate = snapshot.config.ViewerCertificate;
  return {
    custom: customCertificate(certificate) !== undefined,
    SSLSupportMethod: certificate?.SSLSupportMethod ?? null,
    MinimumProtocolVersion: certificate?.MinimumProtocolVersion ?? null,
  };
}
