import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { judge } from "./judge.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { listResources, type Snapshot, tags } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { Snapshot } from "./snapshot.js";

export const albHttpToHttpsRedirect: Control<Snapshot> = {
  ...judge,
  resolveTargets,
  listResources,
  ownedState,
  plan: (snapshot) => plan(snapshot),
  // Pure: no probe needed, the snapshot already says whether HTTPS exists.
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags,
};
