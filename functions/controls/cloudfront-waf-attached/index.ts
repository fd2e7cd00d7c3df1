import { type DistributionSnapshot, listDistributions } from "../cloudfront/distribution.js";
import { distributionTargets } from "../cloudfront/targets.js";
import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { judge } from "./judge.js";
import { metadata, type Settings } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";

export const cloudfrontWafAttached: Control<DistributionSnapshot, Settings> = {
  ...judge,
  resolveTargets: async (trigger) => distributionTargets(trigger, metadata),
  listResources: listDistributions,
  ownedState,
  plan,
  assessRisk: (snapshot, changes, ctx) => assessRisk(snapshot, changes, ctx),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
