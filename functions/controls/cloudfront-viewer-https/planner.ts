import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { type BehaviorRef, findBehavior } from "../cloudfront/behaviors.js";
import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { insecureBehaviors } from "./detector.js";

/** What the fix sets on each offending behavior, and nothing else. */
export const fixedPolicy = "redirect-to-https";

export interface PlannedBehavior extends BehaviorRef {
  /** The ViewerProtocolPolicy it had when planned (null: unset). */
  was: string | null;
  set: { ViewerProtocolPolicy: typeof fixedPolicy };
}

export function planBehaviors(config: DistributionConfig): PlannedBehavior[] {
  return insecureBehaviors(config).map(({ pathPattern, policy }) => ({
    pathPattern,
    was: policy,
    set: { ViewerProtocolPolicy: fixedPolicy },
  }));
}

/** One UpdateDistribution, in its readable form: the behaviors it changes, not the whole configuration. */
export function plan(snapshot: DistributionSnapshot): Change[] {
  const behaviors = planBehaviors(snapshot.config);
  return behaviors.length === 0 ? [] : [updateChange(snapshot.id, behaviors)];
}

export function updateChange(id: string, behaviors: PlannedBehavior[], ifMatch?: string): Change {
  return {
    service: "cloudfront",
    action: "UpdateDistribution",
    input: {
      Id: id,
      ...(ifMatch ? { IfMatch: ifMatch } : {}),
      behaviors: behaviors.map(({ pathPattern, was, set }) => ({ pathPattern, was, set: { ...set } })),
    },
  };
}

export function plannedBehaviors(change: Change): PlannedBehavior[] {
  const behaviors = change.input.behaviors;
  return Array.isArray(behaviors) ? (behaviors as PlannedBehavior[]) : [];
}

/** A copy of `config` with only the planned behaviors' ViewerProtocolPolicy changed. */
export function applyEdits(config: DistributionConfig, behaviors: PlannedBehavior[]): DistributionConfig {
  const updated = structuredClone(config);
  for (const planned of behaviors) {
    const behavior = findBehavior(updated, planned);
    if (behavior) behavior.ViewerProtocolPolicy = planned.set.ViewerProtocolPolicy;
  }
  return updated;
}
