import { type BehaviorRef, cacheBehaviors } from "../cloudfront/behaviors.js";
import type { Finding } from "../types.js";
import { minimumHstsSeconds, shortfalls } from "./headers.js";
import type { Settings } from "./metadata.js";
import { policyIdOf, type Snapshot } from "./snapshot.js";

export interface BehaviorVerdict extends BehaviorRef {
  label: string;
  /** The policy the behavior names, null when none. */
  policyId: string | null;
  problems: string[];
}

function policyName(snapshot: Snapshot, id: string): string {
  const name = snapshot.policies[id]?.config.Name;
  return name ? `"${name}" (${id})` : id;
}

export function judgeBehaviors(snapshot: Snapshot, settings: Settings): BehaviorVerdict[] {
  return cacheBehaviors(snapshot.config).map(({ pathPattern, label, behavior }) => {
    const policyId = policyIdOf(behavior);
    if (policyId === null) return { pathPattern, label, policyId, problems: ["no response headers policy"] };
    const policy = snapshot.policies[policyId];
    if (!policy) {
      return { pathPattern, label, policyId, problems: [`policy ${policyId} could not be read`] };
    }
    const missing = shortfalls(policy.config, settings);
    if (missing.length === 0) return { pathPattern, label, policyId, problems: [] };
    // Attaching the configured policy cannot fix what the configured policy itself lacks.
    const configured =
      policyId === settings.responseHeadersPolicyId
        ? "; it is the policy driftwarden attaches (controls.cloudfront-security-headers.responseHeadersPolicyId), so only a policy that sends them can fix it"
        : "";
    return {
      pathPattern,
      label,
      policyId,
      problems: [`policy ${policyName(snapshot, policyId)} has ${missing.join(", ")}${configured}`],
    };
  });
}

export function detect(snapshot: Snapshot, settings: Settings): Finding {
  const verdicts = judgeBehaviors(snapshot, settings);
  const offending = verdicts.filter((verdict) => verdict.problems.length > 0);
  if (offending.length === 0) {
    return {
      status: "compliant",
      message:
        `distribution ${snapshot.id}: all ${verdicts.length} cache behavior(s) send Strict-Transport-Security ` +
        `(max-age >= ${minimumHstsSeconds}${settings.requireIncludeSubdomains ? ", includeSubDomains" : ""}), ` +
        "X-Content-Type-Options and X-Frame-Options",
    };
  }
  return {
    status: "non-compliant",
    message: offending
      .map((verdict) => `cache behavior ${verdict.label}: ${verdict.problems.join("; ")}`)
      .join(" | "),
  };
}

/** Which policy each behavior uses and what those policies send: the same drift digests the same. */
export function ownedState(snapshot: Snapshot): unknown {
  return {
    behaviors: cacheBehaviors(snapshot.config)
      .map(({ label, behavior }) => `${label}=${policyIdOf(behavior) ?? "none"}`)
      .sort(),
    policies: Object.keys(snapshot.policies)
      .sort()
      .map((id) => ({ id, security: snapshot.policies[id]?.config.SecurityHeadersConfig ?? null })),
  };
}
