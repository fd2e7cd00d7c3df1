import type { ControlMetadata } from "../types.js";

/** The calls that create a distribution or replace its configuration: every distribution field can change. */
export const distributionEventNames = [
  "CreateDistribution",
  "CreateDistributionWithTags",
  "UpdateDistribution",
  "CopyDistribution",
  "UpdateDistributionWithStagingConfig",
];

/**
 * The triggers of a control judging a distribution's own configuration: its
 * CloudTrail calls (plus `extraEventNames` that change the control's fields
 * some other way), its Config items, and the Config rules that judge the same.
 */
export function distributionTriggers(
  managedRules: string[],
  extraEventNames: string[] = [],
): ControlMetadata["triggers"] {
  return {
    cloudTrail: {
      source: "aws.cloudfront",
      eventSource: "cloudfront.amazonaws.com",
      eventNames: [...distributionEventNames, ...extraEventNames],
      // Old SDKs call dated API versions, which CloudTrail records as e.g. UpdateDistribution2019_03_26.
      datedEventNames: true,
      // CloudFront is a global service: its management events are delivered to EventBridge in us-east-1 only.
      delivery: "us-east-1",
    },
    config: { resourceTypes: ["AWS::CloudFront::Distribution"], managedRules },
  };
}

/** What every distribution control reads (collect, verify, sweep) and what its fix calls. */
export const distributionReadActions = [
  "cloudfront:GetDistribution",
  "cloudfront:ListDistributions",
  "cloudfront:ListTagsForResource",
];
export const distributionFixActions = ["cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"];
