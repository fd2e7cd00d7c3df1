import * as z from "../../lib/schema.js";
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
  sourceFix: {
    cloudFormation: `The HTTP listener (AWS::ElasticLoadBalancingV2::Listener, Port 80, Protocol HTTP) redirects in DefaultActions:
  DefaultActions:
    - Type: redirect
      RedirectConfig: { Protocol: HTTPS, Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: HTTP_301 }
and no AWS::ElasticLoadBalancingV2::ListenerRule on that listener forwards plain HTTP.`,
    terraform: `The HTTP listener's default_action redirects (host, path and query default to #{host}, /#{path}, #{query}):
  resource "aws_lb_listener" "http" {
    port     = 80
    protocol = "HTTP"
    default_action {
      type = "redirect"
      redirect {
        protocol    = "HTTPS"
        port        = "443"
        status_code = "HTTP_301"
      }
    }
  }
and no aws_lb_listener_rule on that listener has action type "forward".`,
    cdk: `Let the load balancer create the redirecting listener (HTTP 80 -> HTTPS 443, HTTP_301):
  loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
or give an existing HTTP listener the redirect as its default action:
  httpListener.addAction("RedirectToHttps", {
    action: elbv2.ListenerAction.redirect({ protocol: "HTTPS", port: "443", permanent: true }),
  });
(ecs-patterns' ApplicationLoadBalanced*Service: redirectHTTP: true.)`,
    // Option settings cannot say "redirect": aws:elbv2:listener:80 forwards to a process (DefaultProcess,
    // aws:elbv2:listenerrule Rules with PathPatterns/HostHeaders/Process only). AWS's own sample
    // (awsdocs/elastic-beanstalk-samples, alb-http-to-https-redirection.config) overrides the listener resource.
    elasticBeanstalk: `Option settings cannot express a redirect (aws:elbv2:listener:80 only forwards to a process), so override the listener Elastic Beanstalk creates, in .ebextensions/alb-http-to-https-redirection.config:
  Resources:
    AWSEBV2LoadBalancerListener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Properties:
        LoadBalancerArn: { Ref: AWSEBV2LoadBalancer }
        Port: 80
        Protocol: HTTP
        DefaultActions:
          - Type: redirect
            RedirectConfig: { Protocol: HTTPS, Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: HTTP_301 }
Keep the HTTPS listener in option_settings (aws:elbv2:listener:443: Protocol HTTPS, SSLCertificateArns) and list no Rules under aws:elbv2:listener:80.`,
  },
};

/** The control has no settings beside mode and scope. */
export const settings = z.strictObject({});
