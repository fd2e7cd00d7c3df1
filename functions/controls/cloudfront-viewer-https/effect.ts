import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { insecureBehaviors } from "./detector.js";
import { plannedBehaviors } from "./planner.js";

/** Live when none of the behaviors the call changes still lets plain HTTP through (a behavior since removed needs nothing). */
export function inEffect(snapshot: DistributionSnapshot, change: Change): boolean {
  const insecure = new Set(insecureBehaviors(snapshot.config).map((behavior) => behavior.pathPattern));
  return plannedBehaviors(change).every((planned) => !insecure.has(planned.pathPattern));
}
