import { type DistributionSnapshot, listDistributions } from "../cloudfront/distribution.js";
import { distributionTargets } from "../cloudfront/targets.js";
import type { Control } from "../types.js";
import { ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { judge } from "./judge.js";
import { metadata } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";

export const cloudfrontViewerHttps: Control<DistributionSnapshot> = {
  ...judge,
  resolveTargets: async (trigger) => distributionTargets(trigger, metadata),
  listResources: listDistributions,
  ownedState,
  plan: (snapshot) => plan(snapshot),
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
