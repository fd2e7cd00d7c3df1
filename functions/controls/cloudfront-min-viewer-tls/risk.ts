import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change, RiskAssessment } from "../types.js";
import { customCertificate } from "./detector.js";
import { plannedPolicy } from "./planner.js";
import { type SecurityPolicy, viewersLosingAccess } from "./policies.js";

/**
 * Raising the minimum always cuts off the viewers the old policy still let in,
 * so it always waits for on-call, with who those viewers are. A dedicated-IP
 * (vip) or static-IP certificate cannot take a modern policy through the API at
 * all: that is blocked, with what a person can do instead.
 */
export function assessRisk(snapshot: DistributionSnapshot, changes: Change[]): RiskAssessment[] {
  const method = customCertificate(snapshot.config.ViewerCertificate)?.SSLSupportMethod;
  return changes.map((change) => {
    const planned = plannedPolicy(change);
    if (!planned) return { level: "approval", reasons: ["the planned call names no security policy"] };
    const target = planned.set.MinimumProtocolVersion;
    if (method === "vip" || method === "static-ip") {
      return {
        level: "blocked",
        reasons: [
          `distribution ${snapshot.id} serves its certificate on dedicated IP addresses (SSLSupportMethod ${method}), ` +
            `for which CloudFront accepts only SSLv3 or TLSv1: ${target} cannot be set. Switch to sni-only ` +
            "(viewers without SNI, such as Internet Explorer on Windows XP and Android 2.x, then lose access) " +
            "or ask AWS Support",
        ],
      };
    }
    return {
      level: "approval",
      reasons: [
        `raising the minimum from ${planned.was} to ${target} cuts off the viewers only the old policy let in`,
        ...viewersLosingAccess(planned.was as SecurityPolicy, target),
      ],
    };
  });
}
