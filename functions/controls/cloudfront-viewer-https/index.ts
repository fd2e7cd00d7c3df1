import {
  collectDistribution,
  type DistributionSnapshot,
  listDistributions,
} from "../cloudfront/distribution.js";
import { distributionTargets } from "../cloudfront/targets.js";
import type { Control } from "../types.js";
import { detect, ownedState } from "./detector.js";
import { inEffect } from "./effect.js";
import { execute } from "./fixer.js";
import { metadata } from "./metadata.js";
import { plan } from "./planner.js";
import { assessRisk } from "./risk.js";

export const cloudfrontViewerHttps: Control<DistributionSnapshot> = {
  metadata,
  resolveTargets: async (trigger) => distributionTargets(trigger, metadata),
  listResources: listDistributions,
  collect: collectDistribution,
  detect: (snapshot) => detect(snapshot),
  ownedState,
  plan: (snapshot) => plan(snapshot),
  assessRisk: async (snapshot, changes) => assessRisk(snapshot, changes),
  inEffect,
  execute,
  tags: (snapshot) => ({ ...snapshot.tags }),
};
