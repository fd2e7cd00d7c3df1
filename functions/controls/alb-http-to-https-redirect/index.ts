import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { metadata } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot, tags } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { Snapshot } from "./snapshot.js";

export const albHttpToHttpsRedirect: Control<Snapshot> = {
  metadata,
  resolveTargets,
  listResources,
  collect,
  detect: (snapshot) => detect(snapshot),
  ownedState,
  plan: (snapshot) => plan(snapshot),
  // Pure: no probe needed, the snapshot already says whether HTTPS exists.
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags,
};
