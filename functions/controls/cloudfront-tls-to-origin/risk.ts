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
  _snapshot: Snapshot,
  changes: Change[],
  ctx: ControlContext,
): Promise<RiskAssessment[]> {
  return Promise.all(
    changes.map((change) => {
      const vpcOrigin = plannedVpcOrigin(change);
      return vpcOrigin ? assessVpcOrigin(vpcOrigin) : assessUpdate(plannedOrigins(change), ctx);
    }),
  );
}

/**
 * A VPC origin is reachable only from inside its VPC: no probe from here can
 * tell whether it completes the handshake CloudFront will make, so on-call
 * decides, knowing what a wrong guess does to viewers.
 */
function assessVpcOrigin(planned: PlannedVpcOrigin): RiskAssessment {
  const fields = [
    planned.set.OriginProtocolPolicy ? "OriginProtocolPolicy https-only" : undefined,
    planned.set.OriginSslProtocols ? "OriginSslProtocols TLSv1.2" : undefined,
  ].filter(Boolean);
  const origins = planned.origins.map((origin) => `"${origin}"`).join(", ");
  return {
    level: "approval",
    reasons: [
      `VPC origin ${planned.vpcOriginId} (origin ${origins}, fronting ${planned.endpointArn}) is private: ` +
        "driftwarden cannot probe it from outside its VPC, so nobody has checked that it completes a TLS 1.2 " +
        `handshake on port ${planned.httpsPort} with a certificate CloudFront trusts`,
      `the fix sets ${fields.join(" and ")} on the VPC origin: if it cannot serve HTTPS that way, every viewer ` +
        "request routed to it fails with 502 Bad Gateway, on every distribution that uses this VPC origin",
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
