import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { apply } from "./fixer.js";
import { metadata } from "./metadata.js";
import { describePlan, type Plan, plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot, tags } from "./snapshot.js";
import { resolveTargets } from "./targets.js";
import { verify } from "./verifier.js";

export type { Plan } from "./planner.js";
export type { Snapshot } from "./snapshot.js";

export const albHttpToHttpsRedirect: Control<Snapshot, Plan> = {
  metadata,
  resolveTargets,
  listResources,
  collect,
  detect,
  ownedState,
  plan,
  describePlan,
  // Pure: no probe needed, the snapshot already says whether HTTPS exists.
  assessRisk: async (snapshot, planned) => assessRisk(snapshot, planned),
  apply,
  verify,
  tags,
};
