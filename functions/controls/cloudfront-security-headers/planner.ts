import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { type BehaviorRef, findBehavior } from "../cloudfront/behaviors.js";
import type { Change } from "../types.js";
import { judgeBehaviors } from "./detector.js";
import type { Settings } from "./metadata.js";
import { policyIdOf, type Snapshot } from "./snapshot.js";

export interface PlannedBehavior extends BehaviorRef {
  /** The policy it had when planned (null: none): a policy someone attached since is theirs, not replaced. */
  was: string | null;
}

/**
 * Attach the configured policy to every behavior that has none or one that
 * falls short. A custom policy is never edited (other behaviors and other
 * distributions may rely on it as it is): the behavior is pointed at the
 * configured policy instead, which on-call approves knowing what it replaces.
 */
export function plan(snapshot: Snapshot, settings: Settings): Change[] {
  const target = settings.responseHeadersPolicyId;
  const behaviors = judgeBehaviors(snapshot, settings)
    .filter((verdict) => verdict.problems.length > 0 && verdict.policyId !== target)
    .map(({ pathPattern, policyId }) => ({ pathPattern, was: policyId }));
  return behaviors.length === 0 ? [] : [updateChange(snapshot.id, target, behaviors)];
}

export function updateChange(
  id: string,
  policyId: string,
  behaviors: PlannedBehavior[],
  ifMatch?: string,
): Change {
  return {
    service: "cloudfront",
    action: "UpdateDistribution",
    input: {
      Id: id,
      ...(ifMatch ? { IfMatch: ifMatch } : {}),
      set: { ResponseHeadersPolicyId: policyId },
      behaviors: behaviors.map(({ pathPattern, was }) => ({ pathPattern, was })),
    },
  };
}

export function plannedPolicyId(change: Change): string | undefined {
  const set = change.input.set as { ResponseHeadersPolicyId?: unknown } | undefined;
  return typeof set?.ResponseHeadersPolicyId === "string" ? set.ResponseHeadersPolicyId : undefined;
}

export function plannedBehaviors(change: Change): PlannedBehavior[] {
  const behaviors = change.input.behaviors;
  return Array.isArray(behaviors) ? (behaviors as PlannedBehavior[]) : [];
}

/** The planned behaviors that still have the policy they had when planned: what is left to change. */
export function pending(config: DistributionConfig, behaviors: PlannedBehavior[]): PlannedBehavior[] {
  return behaviors.filter((planned) => {
    const behavior = findBehavior(config, planned);
    return behavior !== undefined && policyIdOf(behavior) === planned.was;
  });
}
