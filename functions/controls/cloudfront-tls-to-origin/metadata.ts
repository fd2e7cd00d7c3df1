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
      // CloudFront is a global service: its management events are delivered to EventBridge in us-east-1 only.
      delivery: "us-east-1",
    },
    config: {
      resourceTypes: ["AWS::CloudFront::Distribution"],
      // The Config rules behind CloudFront.9/.10 are periodic: CloudTrail already catches the change faster.
      managedRules: [],
    },
  },
  readActions: [
    "cloudfront:GetDistribution",
    "cloudfront:ListDistributions",
    "cloudfront:ListTagsForResource",
  ],
  fixActions: ["cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"],
};
