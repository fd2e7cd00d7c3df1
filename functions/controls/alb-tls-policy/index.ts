import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { execute, inEffect } from "./fixer.js";
import { judge } from "./judge.js";
import type { Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { listResources, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export type { Snapshot } from "./snapshot.js";

export const albTlsPolicy: Control<Snapshot, Settings> = {
  ...judge,
  resolveTargets,
  listResources,
  ownedState,
  plan,
  assessRisk: (snapshot, changes, ctx) => assessRisk(snapshot, changes, ctx),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
