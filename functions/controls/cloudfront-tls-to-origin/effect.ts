import type { Change } from "../types.js";
import { plannedOrigins, plannedVpcOrigin, planOrigins, planVpcOrigins } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Whether a planned call is already live: none of the origins it edits still
 * offends (made before a crash, or fixed by someone meanwhile). An origin that
 * no longer exists needs nothing.
 */
export function inEffect(snapshot: Snapshot, change: Change): boolean {
  const vpcOrigin = plannedVpcOrigin(change);
  if (vpcOrigin) {
    return !planVpcOrigins(snapshot).some((planned) => planned.vpcOriginId === vpcOrigin.vpcOriginId);
  }
  const stillOffending = new Set(planOrigins(snapshot.config).map((origin) => origin.originId));
  return plannedOrigins(change).every((origin) => !stillOffending.has(origin.originId));
}
