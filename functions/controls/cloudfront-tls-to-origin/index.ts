import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { judge } from "./judge.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { listResources, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { PlannedOrigin, PlannedVpcOrigin } from "./planner.js";
export { createTlsProbe, type TlsProbeOptions } from "./probe.js";
export type { Snapshot } from "./snapshot.js";

export const cloudfrontTlsToOrigin: Control<Snapshot> = {
  ...judge,
  resolveTargets,
  listResources,
  ownedState,
  plan: (snapshot) => plan(snapshot),
  assessRisk: (snapshot, changes, ctx) => assessRisk(snapshot, changes, ctx),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
