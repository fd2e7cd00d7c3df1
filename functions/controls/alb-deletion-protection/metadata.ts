import * as z from "../../lib/schema.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "alb-deletion-protection",
  title: "Application Load Balancers have deletion protection on",
  severity: "MEDIUM",
  securityHubIds: ["ELB.6"],
  resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  service: "elbv2",
  triggers: {
    cloudTrail: {
      source: "aws.elasticloadbalancing",
      eventSource: "elasticloadbalancing.amazonaws.com",
      // A new load balancer starts with the attribute off; any attribute write may turn it off.
      eventNames: ["CreateLoadBalancer", "ModifyLoadBalancerAttributes"],
      delivery: "regional",
    },
    config: {
      resourceTypes: ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
      managedRules: ["ELB_DELETION_PROTECTION_ENABLED"],
    },
  },
  // Exactly the calls collect, verify, listResources and resolveTargets make.
  readActions: [
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
  ],
  fixActions: ["elasticloadbalancing:ModifyLoadBalancerAttributes"],
  sourceFix: {
    cloudFormation: `The AWS::ElasticLoadBalancingV2::LoadBalancer sets the attribute:
  LoadBalancerAttributes:
    - Key: deletion_protection.enabled
      Value: "true"
(a stack deletion then fails on the load balancer until the attribute is set back to "false")`,
    terraform: `The aws_lb turns it on:
  resource "aws_lb" "this" {
    enable_deletion_protection = true
  }
(terraform destroy then fails on the load balancer until the argument is false and applied)`,
    cdk: `new elbv2.ApplicationLoadBalancer(this, "LoadBalancer", { vpc, deletionProtection: true });
(cdk destroy then fails on the load balancer until deletionProtection is false and deployed)`,
    elasticBeanstalk: `No option setting covers it (aws:elbv2:loadbalancer has access logs, IdleTimeout and security groups only), so override the load balancer Elastic Beanstalk creates, in .ebextensions/alb-deletion-protection.config:
  Resources:
    AWSEBV2LoadBalancer:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        LoadBalancerAttributes:
          - Key: deletion_protection.enabled
            Value: "true"
The override replaces the attribute list the environment would generate: repeat there any attribute its options set (idle timeout, access logs). Terminating or rebuilding the environment fails until the attribute is "false" again.`,
  },
};

/** The control has no settings beside mode and scope. */
export const settings = z.strictObject({});
