import { collectDistribution, type DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Judge } from "../types.js";
import { detect } from "./detector.js";
import { metadata, type Settings } from "./metadata.js";

/** What judging needs: read the resource and say whether it complies; the verify step carries only this. */
export const judge: Judge<DistributionSnapshot, Settings> = {
  metadata,
  collect: collectDistribution,
  detect: detect,
};
