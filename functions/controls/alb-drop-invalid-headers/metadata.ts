import * as z from "../../lib/schema.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "alb-drop-invalid-headers",
  title: "Application Load Balancers drop HTTP header fields with invalid names",
  severity: "MEDIUM",
  securityHubIds: ["ELB.4"],
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
      managedRules: ["ALB_HTTP_DROP_INVALID_HEADER_ENABLED"],
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
    - Key: routing.http.drop_invalid_header_fields.enabled
      Value: "true"`,
    terraform: `The aws_lb (type "application") drops them:
  resource "aws_lb" "this" {
    drop_invalid_header_fields = true
  }`,
    cdk: `new elbv2.ApplicationLoadBalancer(this, "LoadBalancer", { vpc, dropInvalidHeaderFields: true });
(on an existing construct: loadBalancer.setAttribute("routing.http.drop_invalid_header_fields.enabled", "true"))`,
    // The aws:elbv2:loadbalancer namespace has no option for it (AccessLogs*, IdleTimeout, security groups only).
    elasticBeanstalk: `No option setting covers it (aws:elbv2:loadbalancer has access logs, IdleTimeout and security groups only), so override the load balancer Elastic Beanstalk creates, in .ebextensions/alb-drop-invalid-headers.config:
  Resources:
    AWSEBV2LoadBalancer:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        LoadBalancerAttributes:
          - Key: routing.http.drop_invalid_header_fields.enabled
            Value: "true"
The override replaces the attribute list the environment would generate: repeat there any attribute its options set (idle timeout, access logs).`,
  },
};

/** The control has no settings beside mode and scope. */
export const settings = z.strictObject({});
