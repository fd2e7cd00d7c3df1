import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { type BehaviorRef, cacheBehaviors } from "../cloudfront/behaviors.js";
import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Finding } from "../types.js";

/** allow-all lets a viewer use plain HTTP; the other two never serve content over it. */
const secure = new Set(["https-only", "redirect-to-https"]);

export interface InsecureBehavior extends BehaviorRef {
  label: string;
  /** The ViewerProtocolPolicy found, null when unset. */
  policy: string | null;
}

export function insecureBehaviors(config: DistributionConfig): InsecureBehavior[] {
  return cacheBehaviors(config)
    .filter(({ behavior }) => !secure.has(behavior.ViewerProtocolPolicy ?? ""))
    .map(({ pathPattern, label, behavior }) => ({
      pathPattern,
      label,
      policy: behavior.ViewerProtocolPolicy ?? null,
    }));
}

export function detect(snapshot: DistributionSnapshot): Finding {
  const insecure = insecureBehaviors(snapshot.config);
  if (insecure.length === 0) {
    const count = cacheBehaviors(snapshot.config).length;
    return {
      status: "compliant",
      message: `distribution ${snapshot.id}: all ${count} cache behavior(s) require HTTPS (redirect-to-https or https-only)`,
    };
  }
  const list = insecure.map((behavior) => `${behavior.label} (${behavior.policy ?? "unset"})`).join(", ");
  return {
    status: "non-compliant",
    message: `cache behaviors let viewers use plain HTTP: ${list}`,
  };
}

/** Every behavior's viewer policy, sorted: the same drift always digests the same. */
export function ownedState(snapshot: DistributionSnapshot): unknown {
  return cacheBehaviors(snapshot.config)
    .map(({ label, behavior }) => `${label}=${behavior.ViewerProtocolPolicy ?? "unset"}`)
    .sort();
}
