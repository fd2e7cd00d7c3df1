import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { metadata } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { PlannedOrigin, PlannedVpcOrigin } from "./planner.js";
export { createTlsProbe, type TlsProbeOptions } from "./probe.js";
export type { Snapshot } from "./snapshot.js";

export const cloudfrontTlsToOrigin: Control<Snapshot> = {
  metadata,
  resolveTargets,
  listResources,
  collect,
  detect: (snapshot) => detect(snapshot),
  ownedState,
  plan: (snapshot) => plan(snapshot),
  assessRisk: (snapshot, changes, ctx) => assessRisk(snapshot, changes, ctx),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
