import { listDistributions } from "../cloudfront/distribution.js";
import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { judge } from "./judge.js";
import type { Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import type { Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export const cloudfrontSecurityHeaders: Control<Snapshot, Settings> = {
  ...judge,
  resolveTargets,
  listResources: listDistributions,
  ownedState,
  plan,
  assessRisk,
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
