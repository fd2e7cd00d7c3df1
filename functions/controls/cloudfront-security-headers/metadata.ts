import * as z from "../../lib/schema.js";
import {
  distributionFixActions,
  distributionReadActions,
  distributionTriggers,
} from "../cloudfront/triggers.js";
import type { ControlMetadata } from "../types.js";

/** AWS's managed SecurityHeadersPolicy (Managed-SecurityHeadersPolicy): the same id in every account. */
export const managedSecurityHeadersPolicyId = "67f7725c-6f97-4210-82d7-5512b31e9d03";

export const metadata: ControlMetadata = {
  id: "cloudfront-security-headers",
  title: "CloudFront sends HSTS, X-Content-Type-Options and X-Frame-Options on every cache behavior",
  severity: "MEDIUM",
  securityHubIds: [],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  // No AWS Config managed rule judges response headers policies: CloudTrail, Config items and the sweep.
  // Editing a shared policy changes the headers of every distribution using it, with no distribution call.
  triggers: distributionTriggers([], ["UpdateResponseHeadersPolicy"]),
  // Each behavior's policy is read to be judged, and so is the configured one before it is proposed.
  readActions: [...distributionReadActions, "cloudfront:GetResponseHeadersPolicy"],
  fixActions: distributionFixActions,
  sourceFix: {
    cloudFormation: `Every cache behavior of the AWS::CloudFront::Distribution names a response headers policy:
  DefaultCacheBehavior:
    ResponseHeadersPolicyId: 67f7725c-6f97-4210-82d7-5512b31e9d03   # Managed-SecurityHeadersPolicy`,
    terraform: `Every cache behavior of the aws_cloudfront_distribution:
  data "aws_cloudfront_response_headers_policy" "security_headers" {
    name = "Managed-SecurityHeadersPolicy"
  }
  default_cache_behavior {
    response_headers_policy_id = data.aws_cloudfront_response_headers_policy.security_headers.id
  }`,
    cdk: `Every behavior of the cloudfront.Distribution:
  defaultBehavior: {
    origin,
    responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
  }`,
    elasticBeanstalk:
      "Elastic Beanstalk does not create CloudFront distributions: an environment behind CloudFront is its origin, not its owner. Fix the stack or tool that created the distribution.",
  },
};

export const settings = z.strictObject({
  /** The response headers policy attached where a behavior has none, or one that falls short. */
  responseHeadersPolicyId: z._default(z.string().check(z.minLength(1)), managedSecurityHeadersPolicyId),
  /** Whether Strict-Transport-Security must also cover subdomains (includeSubDomains). */
  requireIncludeSubdomains: z._default(z.boolean(), false),
});

export type Settings = z.output<typeof settings>;
