import { behaviorLabel } from "../cloudfront/behaviors.js";
import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change, RiskAssessment } from "../types.js";
import { plannedBehaviors } from "./planner.js";

function aliasesOf(snapshot: DistributionSnapshot): string[] {
  return (snapshot.config.Aliases?.Items ?? []).filter((alias) => alias !== "");
}

/** No ViewerCertificate, or CloudFront's own: only *.cloudfront.net names are covered. */
function servesDefaultCertificate(snapshot: DistributionSnapshot): boolean {
  const certificate = snapshot.config.ViewerCertificate;
  return (
    certificate === undefined ||
    certificate.CloudFrontDefaultCertificate === true ||
    (!certificate.ACMCertificateArn && !certificate.IAMCertificateId)
  );
}

/**
 * Redirecting to HTTPS is safe when viewers can complete HTTPS on the names
 * they use. A distribution that answers for its own names (aliases) with
 * CloudFront's default certificate cannot: the redirect would send those
 * viewers to a certificate error, so on-call decides.
 */
export function assessRisk(snapshot: DistributionSnapshot, changes: Change[]): RiskAssessment[] {
  const aliases = aliasesOf(snapshot);
  return changes.map((change) => {
    if (aliases.length === 0 || !servesDefaultCertificate(snapshot))
      return { level: "automatic", reasons: [] };
    const behaviors = plannedBehaviors(change).map(behaviorLabel).join(", ");
    return {
      level: "approval",
      reasons: [
        `distribution ${snapshot.id} answers for ${aliases.join(", ")} with CloudFront's default certificate, ` +
          "which covers only *.cloudfront.net: viewers who use those names cannot complete HTTPS, so " +
          "redirecting them sends them to a certificate error instead of the page",
        `redirect-to-https answers every plain-HTTP request on ${behaviors} with a 301 to the https:// URL: ` +
          "browsers follow it, but HTTP-only clients (API clients and devices that do not follow redirects, " +
          "or that turn a redirected POST into a GET) stop working",
      ],
    };
  });
}
