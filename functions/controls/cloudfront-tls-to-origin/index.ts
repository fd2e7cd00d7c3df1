import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { apply } from "./fixer.js";
import { metadata } from "./metadata.js";
import { describePlan, type Plan, plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";
import { verify } from "./verifier.js";

export type { Plan, PlannedOrigin } from "./planner.js";
export { createTlsProbe, type TlsProbeOptions } from "./probe.js";
export type { Snapshot } from "./snapshot.js";

export const cloudfrontTlsToOrigin: Control<Snapshot, Plan> = {
  metadata,
  resolveTargets,
  listResources,
  collect,
  detect,
  ownedState,
  plan,
  describePlan,
  assessRisk,
  apply,
  verify,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
