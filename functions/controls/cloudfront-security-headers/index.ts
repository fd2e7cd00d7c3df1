import { listDistributions } from "../cloudfront/distribution.js";
import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { metadata, type Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";
import { collect, type Snapshot } from "./snapshot.js";
import { resolveTargets } from "./targets.js";

export const cloudfrontSecurityHeaders: Control<Snapshot, Settings> = {
  metadata,
  resolveTargets,
  listResources: listDistributions,
  collect,
  detect,
  ownedState,
  plan,
  assessRisk,
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
