import { z } from "zod";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "cloudfront-tls-to-origin",
  title: "CloudFront reaches custom origins over HTTPS with TLS 1.2 only",
  severity: "HIGH",
  securityHubIds: ["CloudFront.9", "CloudFront.10"],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  triggers: {
    cloudTrail: {
      source: "aws.cloudfront",
      eventSource: "cloudfront.amazonaws.com",
      eventNames: [
        "CreateDistribution",
        "CreateDistributionWithTags",
        "UpdateDistribution",
        "CopyDistribution",
        "UpdateDistributionWithStagingConfig",
      ],
      // Old SDKs call dated API versions, which CloudTrail records as e.g. UpdateDistribution2019_03_26.
      datedEventNames: true,
      // CloudFront is a global service: its management events are delivered to EventBridge in us-east-1 only.
      delivery: "us-east-1",
    },
    config: {
      resourceTypes: ["AWS::CloudFront::Distribution"],
      // The rules behind CloudFront.9/.10 are periodic, so CloudTrail catches a change first; their
      // NON_COMPLIANT results still re-check the distribution, a backstop for a missed event.
      managedRules: ["CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED", "CLOUDFRONT_NO_DEPRECATED_SSL_PROTOCOLS"],
    },
  },
  readActions: [
    "cloudfront:GetDistribution",
    "cloudfront:ListDistributions",
    "cloudfront:ListTagsForResource",
  ],
  fixActions: ["cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"],
};

/** The control has no settings beside mode and scope. */
export const settings = z.object({}).strict();
