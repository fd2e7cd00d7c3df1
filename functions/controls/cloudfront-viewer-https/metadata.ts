import * as z from "../../lib/schema.js";
import {
  distributionFixActions,
  distributionReadActions,
  distributionTriggers,
} from "../cloudfront/triggers.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "cloudfront-viewer-https",
  title: "CloudFront viewers reach every cache behavior over HTTPS",
  severity: "MEDIUM",
  securityHubIds: ["CloudFront.3"],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  // CloudFront.3 is built on CLOUDFRONT_VIEWER_POLICY_HTTPS (Config rule cloudfront-viewer-policy-https).
  triggers: distributionTriggers(["CLOUDFRONT_VIEWER_POLICY_HTTPS"]),
  readActions: distributionReadActions,
  fixActions: distributionFixActions,
  sourceFix: {
    cloudFormation: `Every cache behavior of the AWS::CloudFront::Distribution (DefaultCacheBehavior and each of CacheBehaviors):
  DefaultCacheBehavior:
    ViewerProtocolPolicy: redirect-to-https`,
    terraform: `Every cache behavior of the aws_cloudfront_distribution:
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
  }
  ordered_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
  }`,
    cdk: `Every behavior of the cloudfront.Distribution (defaultBehavior and additionalBehaviors):
  defaultBehavior: {
    origin,
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
  }`,
    elasticBeanstalk:
      "Elastic Beanstalk does not create CloudFront distributions: an environment behind CloudFront is its origin, not its owner. Fix the stack or tool that created the distribution.",
  },
};

/** The control has no settings beside mode and scope. */
export const settings = z.strictObject({});
