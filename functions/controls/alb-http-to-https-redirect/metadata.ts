import { z } from "zod";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "alb-http-to-https-redirect",
  title: "Application Load Balancer HTTP listeners redirect to HTTPS",
  severity: "HIGH",
  securityHubIds: ["ELB.1"],
  resourceType: "AWS::ElasticLoadBalancingV2::Listener",
  service: "elbv2",
  triggers: {
    cloudTrail: {
      source: "aws.elasticloadbalancing",
      eventSource: "elasticloadbalancing.amazonaws.com",
      // Rule changes matter as much as listener changes: a rule can forward plain HTTP
      // even when the default action still redirects.
      eventNames: [
        "CreateListener",
        "ModifyListener",
        "CreateRule",
        "ModifyRule",
        "DeleteRule",
        "SetRulePriorities",
      ],
      delivery: "regional",
    },
    config: {
      resourceTypes: ["AWS::ElasticLoadBalancingV2::Listener"],
      managedRules: ["ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"],
    },
  },
  // Exactly the calls collect, verify, listResources and resolveTargets make.
  readActions: [
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTags",
  ],
  fixActions: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
};

/** The control has no settings beside mode and scope. */
export const settings = z.object({}).strict();
