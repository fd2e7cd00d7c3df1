import { loadBalancerTargets } from "../elbv2/load-balancer-targets.js";
import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { execute, inEffect } from "./fixer.js";
import { judge } from "./judge.js";
import { metadata, type Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { listResources, type Snapshot } from "./snapshot.js";

export type { Snapshot } from "./snapshot.js";

export const albWafAttached: Control<Snapshot, Settings> = {
  ...judge,
  resolveTargets: loadBalancerTargets(metadata),
  listResources,
  ownedState,
  plan,
  // Pure: every association waits for on-call.
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
