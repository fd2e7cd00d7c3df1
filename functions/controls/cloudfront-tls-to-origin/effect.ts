import type { Change } from "../types.js";
import { plannedOrigins, planOrigins } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Whether a planned UpdateDistribution is already live: none of the origins it
 * edits still offends (made before a crash, or fixed by someone meanwhile). An
 * origin that no longer exists needs nothing.
 */
export function inEffect(snapshot: Snapshot, change: Change): boolean {
  const stillOffending = new Set(planOrigins(snapshot.config).map((origin) => origin.originId));
  return plannedOrigins(change).every((origin) => !stillOffending.has(origin.originId));
}
