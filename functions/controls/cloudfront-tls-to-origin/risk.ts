import type { Change, ControlContext, ProbeResult, RiskAssessment } from "../types.js";
import { describeOrigin } from "./detector.js";
import { type PlannedOrigin, type PlannedVpcOrigin, plannedOrigins, plannedVpcOrigin } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/** Both spellings AWS uses: s3-website-<region> (older regions) and s3-website.<region>. */
const s3WebsiteEndpoint = /\.s3-website[-.][a-z0-9-]+\.amazonaws\.com(\.cn)?\.?$/i;

export function isS3WebsiteEndpoint(domainName: string): boolean {
  return s3WebsiteEndpoint.test(domainName);
}

const seen: Record<Exclude<ProbeResult["status"], "ok">, string> = {
  "invalid-certificate": "certificate problem",
  "tls-too-old": "protocol too old",
  "no-https": "no TLS",
  unreachable: "unreachable",
};

function where(origin: PlannedOrigin): string {
  return `origin "${origin.originId}" (${origin.domainName}:${origin.httpsPort})`;
}

async function probeOrigin(ctx: ControlContext, origin: PlannedOrigin): Promise<string | undefined> {
  if (!ctx.probe) return `${where(origin)}: origin could not be probed (no TLS probe available)`;
  let result: ProbeResult;
  try {
    result = await ctx.probe({ host: origin.domainName, port: origin.httpsPort });
  } catch (error) {
    return `${where(origin)}: origin could not be probed: ${(error as Error).message}`;
  }
  if (result.status === "ok") return undefined;
  return `${where(origin)}: ${seen[result.status]} - ${result.detail}`;
}

/**
 * Switching CloudFront to HTTPS is only safe when the origin already completes
 * the handshake CloudFront will make; otherwise the fix takes the site down.
 */
export async function assessRisk(
  snapshot: Snapshot,
  changes: Change[],
  ctx: ControlContext,
): Promise<RiskAssessment[]> {
  return Promise.all(
    changes.map((change) => {
      const vpcOrigin = plannedVpcOrigin(change);
      return vpcOrigin ? assessVpcOrigin(snapshot, vpcOrigin) : assessUpdate(plannedOrigins(change), ctx);
    }),
  );
}

/**
 * CloudFront refuses to change a VPC origin while any distribution uses it
 * (CannotUpdateEntityWhileInUse, 409: "Please disassociate the VPC origin from
 * all distributions before updating or deleting"), and this one is in use by
 * the distribution being judged. Detaching it takes the origin's paths down,
 * and a private origin cannot be probed from here to know HTTPS would work
 * afterwards: no safe fix exists, so on-call is told how to fix it at the source.
 */
function assessVpcOrigin(snapshot: Snapshot, planned: PlannedVpcOrigin): RiskAssessment {
  const fields = [
    planned.set.OriginProtocolPolicy ? "OriginProtocolPolicy https-only" : undefined,
    planned.set.OriginSslProtocols ? "OriginSslProtocols TLSv1.2" : undefined,
  ].filter(Boolean);
  const origins = planned.origins.map((origin) => `"${origin}"`).join(", ");
  return {
    level: "blocked",
    reasons: [
      `VPC origin ${planned.vpcOriginId} (origin ${origins}, fronting ${planned.endpointArn}) is used by distribution ` +
        `${snapshot.id}: CloudFront refuses UpdateVpcOrigin while any distribution uses a VPC origin ` +
        "(CannotUpdateEntityWhileInUse), so it cannot be fixed in place",
      `fix it at the source: point the origin at a VPC origin for the same endpoint with ${fields.join(" and ")}, ` +
        "or detach this one in a maintenance window, set them, and attach it again; it is private, so check first " +
        `that it completes a TLS 1.2 handshake on port ${planned.httpsPort} with a certificate CloudFront trusts, ` +
        "or every viewer request routed to it fails with 502 Bad Gateway",
    ],
  };
}

async function assessUpdate(origins: PlannedOrigin[], ctx: ControlContext): Promise<RiskAssessment> {
  const websites = origins.filter((origin) => isS3WebsiteEndpoint(origin.domainName));
  if (websites.length > 0) {
    return {
      level: "blocked",
      reasons: websites.map(
        (origin) =>
          `${describeOrigin(origin)} is an S3 website endpoint, which cannot serve HTTPS: ` +
          "serve the bucket through its S3 REST endpoint with origin access control instead",
      ),
    };
  }
  const reasons = await Promise.all(origins.map((origin) => probeOrigin(ctx, origin)));
  const problems = reasons.filter((reason): reason is string => reason !== undefined);
  return problems.length === 0
    ? { level: "automatic", reasons: [] }
    : { level: "approval", reasons: problems };
}
