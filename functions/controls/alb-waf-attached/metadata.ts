import { awsRegions } from "../../lib/regions.js";
import * as z from "../../lib/schema.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "alb-waf-attached",
  title: "Application Load Balancers are protected by a WAF web ACL",
  severity: "MEDIUM",
  securityHubIds: ["ELB.16"],
  resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  service: "elbv2",
  triggers: {
    // WAF's calls name the load balancer they protect or leave (requestParameters.resourceArn).
    cloudTrail: {
      source: "aws.wafv2",
      eventSource: "wafv2.amazonaws.com",
      eventNames: ["AssociateWebACL", "DisassociateWebACL"],
      delivery: "regional",
    },
    // A new load balancer has no web ACL.
    otherCloudTrail: [
      {
        source: "aws.elasticloadbalancing",
        eventSource: "elasticloadbalancing.amazonaws.com",
        eventNames: ["CreateLoadBalancer"],
        delivery: "regional",
      },
    ],
    config: {
      resourceTypes: ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
      managedRules: ["ALB_WAF_ENABLED"],
    },
  },
  // Exactly the calls collect, verify, listResources and resolveTargets make. WAF checks the
  // load balancer's own permission too: GetLoadBalancerWebACL for GetWebACLForResource,
  // CreateWebACLAssociation for AssociateWebACL (Service Authorization Reference, ELBv2's
  // permission-only actions).
  readActions: [
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:GetLoadBalancerWebACL",
    "wafv2:GetWebACLForResource",
  ],
  fixActions: ["wafv2:AssociateWebACL", "elasticloadbalancing:CreateWebACLAssociation"],
  sourceFix: {
    cloudFormation: `An AWS::WAFv2::WebACLAssociation next to the load balancer:
  LoadBalancerWebAcl:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Ref LoadBalancer
      WebACLArn: !GetAtt RegionalWebAcl.Arn   # an AWS::WAFv2::WebACL with Scope: REGIONAL`,
    terraform: `resource "aws_wafv2_web_acl_association" "load_balancer" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.regional.arn   # scope = "REGIONAL", same region
}`,
    cdk: `new wafv2.CfnWebACLAssociation(this, "LoadBalancerWebAcl", {
  resourceArn: loadBalancer.loadBalancerArn,
  webAclArn: regionalWebAcl.attrArn, // wafv2.CfnWebACL with scope "REGIONAL"
});`,
    elasticBeanstalk: `Declare the association beside the environment's load balancer, in .ebextensions/alb-waf.config:
  Resources:
    LoadBalancerWebAcl:
      Type: AWS::WAFv2::WebACLAssociation
      Properties:
        ResourceArn: { Ref: AWSEBV2LoadBalancer }
        WebACLArn: arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`,
  },
};

const regions = new Set<string>(awsRegions);
const regionalWebAclArn =
  /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[\w-]{1,128}\/[\w-]{1,36}$/;

export const settings = z.strictObject({
  /**
   * The web ACL a load balancer without one gets, per region (a web ACL
   * protects resources of its own region only). No entry for a region: its
   * drift is reported, nothing is attached.
   */
  webAclArns: z._default(
    z
      .record(
        z.string(),
        z
          .string()
          .check(
            z.regex(
              regionalWebAclArn,
              "must be the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
            ),
          ),
      )
      .check(
        z.superRefine((arns, ctx) => {
          for (const [region, arn] of Object.entries(arns)) {
            // Checked here rather than on the key, where zod words every refusal "Invalid key in record".
            if (!regions.has(region)) {
              ctx.addIssue({
                code: "custom",
                path: [region],
                message: `"${region}" is not an AWS region (such as eu-west-1)`,
              });
              continue;
            }
            const aclRegion = regionalWebAclArn.exec(arn)?.[1];
            if (aclRegion && aclRegion !== region) {
              ctx.addIssue({
                code: "custom",
                path: [region],
                message: `names a web ACL of ${aclRegion}; a load balancer in ${region} can only be protected by a web ACL of ${region}`,
              });
            }
          }
        }),
      ),
    {},
  ),
});

export type Settings = z.output<typeof settings>;
