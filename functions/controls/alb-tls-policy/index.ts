import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { execute, inEffect } from "./fixer.js";
import { metadata, type Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, listResources, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { Snapshot } from "./snapshot.js";

export const albTlsPolicy: Control<Snapshot, Settings> = {
  metadata,
  resolveTargets,
  listResources,
  collect,
  detect,
  ownedState,
  plan,
  assessRisk: (snapshot, changes, ctx) => assessRisk(snapshot, changes, ctx),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
