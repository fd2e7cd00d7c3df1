import { behaviorLabel } from "../cloudfront/behaviors.js";
import { viewerHosts } from "../cloudfront/distribution.js";
import type { Change, ControlContext, RiskAssessment } from "../types.js";
import { otherHeaders, shortfalls, viewerEffects } from "./headers.js";
import type { Settings } from "./metadata.js";
import { plannedBehaviors, plannedPolicyId } from "./planner.js";
import { readPolicy, type Snapshot } from "./snapshot.js";

/**
 * Security headers change what browsers allow (HSTS cannot be recalled,
 * framing breaks embeds), so attaching them always waits for on-call, with what
 * they do to viewers. The configured policy is read first: one that does not
 * exist, or that itself falls short, cannot be the fix (blocked).
 */
export async function assessRisk(
  snapshot: Snapshot,
  changes: Change[],
  ctx: ControlContext,
  settings: Settings,
): Promise<RiskAssessment[]> {
  return Promise.all(
    changes.map(async (change): Promise<RiskAssessment> => {
      const policyId = plannedPolicyId(change) ?? settings.responseHeadersPolicyId;
      const policy = await readPolicy(ctx, policyId);
      if (!policy) {
        return {
          level: "blocked",
          reasons: [
            `the configured response headers policy ${policyId} (controls.cloudfront-security-headers.responseHeadersPolicyId) does not exist`,
          ],
        };
      }
      const name = `"${policy.config.Name ?? policyId}" (${policyId})`;
      const missing = shortfalls(policy.config, settings);
      if (missing.length > 0) {
        return {
          level: "blocked",
          reasons: [
            `the configured response headers policy ${name} itself has ${missing.join(", ")}: attaching it would not make the behaviors compliant`,
          ],
        };
      }
      const behaviors = plannedBehaviors(change);
      const replaced = behaviors
        .filter((planned) => planned.was !== null)
        .map((planned) => {
          const was = planned.was ?? "";
          const old = snapshot.policies[was]?.config;
          const lost = old ? otherHeaders(old) : [];
          return (
            `cache behavior ${behaviorLabel(planned)} now uses policy ${old?.Name ? `"${old.Name}" (${was})` : was}, ` +
            `which falls short; it is replaced, not edited${lost.length > 0 ? `, so viewers stop getting what else it sends: ${lost.join(", ")}` : ""}`
          );
        });
      return {
        level: "approval",
        reasons: [
          `attaching ${name} to cache behavior(s) ${behaviors.map(behaviorLabel).join(", ")} changes what browsers allow on ${viewerHosts(snapshot).join(", ")}`,
          ...viewerEffects(policy.config, viewerHosts(snapshot)),
          ...replaced,
        ],
      };
    }),
  );
}
