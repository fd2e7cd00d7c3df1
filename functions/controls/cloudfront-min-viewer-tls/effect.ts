import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { plannedPolicy, stillBelow } from "./planner.js";

export function inEffect(snapshot: DistributionSnapshot, change: Change): boolean {
  const planned = plannedPolicy(change);
  return planned === undefined || !stillBelow(snapshot.config, planned);
}
