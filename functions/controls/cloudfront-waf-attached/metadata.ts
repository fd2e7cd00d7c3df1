import * as z from "../../lib/schema.js";
import {
  distributionFixActions,
  distributionReadActions,
  distributionTriggers,
} from "../cloudfront/triggers.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "cloudfront-waf-attached",
  title: "CloudFront distributions are protected by a WAF web ACL",
  severity: "MEDIUM",
  securityHubIds: ["CloudFront.6"],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  // A distribution's web ACL is its WebACLId, set by UpdateDistribution or by CloudFront's own
  // AssociateDistributionWebACL / DisassociateDistributionWebACL. WAFv2's AssociateWebACL and
  // DisassociateWebACL are for regional resources only ("For Amazon CloudFront, call UpdateDistribution").
  triggers: distributionTriggers(
    ["CLOUDFRONT_ASSOCIATED_WITH_WAF"],
    ["AssociateDistributionWebACL", "DisassociateDistributionWebACL"],
  ),
  // Before on-call is asked, the configured web ACL is read: one that does not exist cannot be attached.
  readActions: [...distributionReadActions, "wafv2:GetWebACL"],
  fixActions: distributionFixActions,
  sourceFix: {
    cloudFormation: `The AWS::CloudFront::Distribution names a global (CLOUDFRONT scope) web ACL by ARN:
  DistributionConfig:
    WebACLId: !GetAtt EdgeWebAcl.Arn   # AWS::WAFv2::WebACL with Scope: CLOUDFRONT, in us-east-1`,
    terraform: `The aws_cloudfront_distribution names a global web ACL by ARN:
  web_acl_id = aws_wafv2_web_acl.edge.arn   # scope = "CLOUDFRONT", provider in us-east-1`,
    cdk: `The cloudfront.Distribution names a global web ACL by ARN:
  new cloudfront.Distribution(this, "Distribution", {
    defaultBehavior: { origin },
    webAclId: edgeWebAcl.attrArn,   // wafv2.CfnWebACL with scope "CLOUDFRONT", in a us-east-1 stack
  });`,
    elasticBeanstalk:
      "Elastic Beanstalk does not create CloudFront distributions: an environment behind CloudFront is its origin, not its owner. Fix the stack or tool that created the distribution.",
  },
};

/** A WAFv2 web ACL of scope CLOUDFRONT: they live in us-east-1 under `global/webacl`. */
const globalWebAclArn = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;

export const settings = z.strictObject({
  /** The web ACL attached to a distribution that has none; without it the drift is only reported. */
  webAclArn: z.optional(
    z
      .string()
      .check(
        z.regex(
          globalWebAclArn,
          "must be the ARN of a CLOUDFRONT-scope WAFv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
        ),
      ),
  ),
});

export type Settings = z.output<typeof settings>;
