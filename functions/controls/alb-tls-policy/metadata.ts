import * as z from "../../lib/schema.js";
import type { ControlMetadata } from "../types.js";
import { defaultTargetPolicy, recommendedTlsPolicies } from "./policies.js";

export const metadata: ControlMetadata = {
  id: "alb-tls-policy",
  title: "Application Load Balancer HTTPS listeners use a recommended TLS security policy",
  severity: "MEDIUM",
  securityHubIds: ["ELB.17"],
  resourceType: "AWS::ElasticLoadBalancingV2::Listener",
  service: "elbv2",
  triggers: {
    cloudTrail: {
      source: "aws.elasticloadbalancing",
      eventSource: "elasticloadbalancing.amazonaws.com",
      // The SslPolicy is set when a listener is created and changed only by ModifyListener.
      eventNames: ["CreateListener", "ModifyListener"],
      delivery: "regional",
    },
    config: {
      resourceTypes: ["AWS::ElasticLoadBalancingV2::Listener"],
      managedRules: ["ELBV2_PREDEFINED_SECURITY_POLICY_SSL_CHECK"],
    },
  },
  // Exactly the calls collect, verify, risk, listResources and resolveTargets make.
  readActions: [
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeTags",
  ],
  fixActions: ["elasticloadbalancing:ModifyListener"],
  sourceFix: {
    cloudFormation: `The HTTPS listener (AWS::ElasticLoadBalancingV2::Listener, Protocol HTTPS) names the policy:
  SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
(or the targetPolicy configured for alb-tls-policy; without SslPolicy the API applies ELBSecurityPolicy-2016-08, which allows TLS 1.0)`,
    terraform: `The HTTPS listener names the policy:
  resource "aws_lb_listener" "https" {
    protocol   = "HTTPS"
    ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  }`,
    cdk: `loadBalancer.addListener("Https", {
  port: 443,
  certificates: [certificate],
  sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, // ELBSecurityPolicy-TLS13-1-2-2021-06
});`,
    elasticBeanstalk: `The listener's namespace takes the policy, in .ebextensions/alb-tls-policy.config:
  option_settings:
    aws:elbv2:listener:443:
      Protocol: HTTPS
      SSLPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06`,
  },
};

/** DescribeSSLPolicies names: letters, digits and hyphens. */
const policyName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9-]{1,128}$/,
      "must be an ELB security policy name such as ELBSecurityPolicy-TLS13-1-2-2021-06",
    ),
  );

export const settings = z.strictObject({
  /** A listener whose SslPolicy is one of these complies. */
  allowedPolicies: z._default(z.array(policyName).check(z.minLength(1, "must list at least one policy")), [
    ...recommendedTlsPolicies,
  ]),
  /** The policy a drifted listener gets; it must be among allowedPolicies, or the drift is only reported. */
  targetPolicy: z._default(policyName, defaultTargetPolicy),
});

export type Settings = z.output<typeof settings>;
