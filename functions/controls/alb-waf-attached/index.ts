import { loadBalancerTargets } from "../elbv2/load-balancer-targets.js";
import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { execute, inEffect } from "./fixer.js";
import { metadata, type Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot } from "./snapshot.js";

export type { Snapshot } from "./snapshot.js";

export const albWafAttached: Control<Snapshot, Settings> = {
  metadata,
  resolveTargets: loadBalancerTargets(metadata),
  listResources,
  collect,
  detect,
  ownedState,
  plan,
  // Pure: every association waits for on-call.
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
