import type { Change } from "../types.js";
import { pending, plannedBehaviors } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Live when no planned behavior still has the policy it had when planned:
 * each now has the configured one (or one someone chose since, which is theirs).
 */
export function inEffect(snapshot: Snapshot, change: Change): boolean {
  return pending(snapshot.config, plannedBehaviors(change)).length === 0;
}
