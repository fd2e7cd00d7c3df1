import type { ControlContext } from "../../../functions/controls/types.js";
import { clients } from "../../../functions/lib/aws.js";
import {
  ACCOUNT,
  acmeRule,
  apiForwardRule,
  fixture,
  forward,
  HTTP_LISTENER,
  LB_ARN,
  NLB_ARN,
  NLB_LISTENER,
  REGION,
  TG_ARN,
} from "./builders.js";
import type { FakeElbv2State } from "./fake-elbv2.js";

const PREFIX = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
export const INTRANET_LB = `${PREFIX}:loadbalancer/app/intranet/5a4b3c2d1e0f9a8b`;
export const INTRANET_LISTENER = `${PREFIX}:listener/app/intranet/5a4b3c2d1e0f9a8b/7d6c5b4a39281706`;
export const INTRANET_ADMIN_LISTENER = `${PREFIX}:listener/app/intranet/5a4b3c2d1e0f9a8b/0a9b8c7d6e5f4a3b`;
export const DUBLIN_LB = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/shop-eu/4d3c2b1a0f9e8d7c`;
export const DUBLIN_LISTENER = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:listener/app/shop-eu/4d3c2b1a0f9e8d7c/1b2c3d4e5f6a7b8c`;
const INTRANET_TG = `${PREFIX}:targetgroup/intranet-tg/9f8e7d6c5b4a3921`;

type StoredLoadBalancer = FakeElbv2State["loadBalancers"][number];

function loadBalancer(arn: string, name: string, type: string): StoredLoadBalancer {
  return {
    LoadBalancerArn: arn,
    DNSName: `${name}-1884918780.${arn.split(":")[3]}.elb.amazonaws.com`,
    CanonicalHostedZoneId: "Z32O12XQLNTSW2",
    CreatedTime: "2025-11-27T21:16:00.000Z",
    LoadBalancerName: name,
    Scheme: "internet-facing",
    VpcId: "vpc-0ea15ff1bbb2d473e",
    State: { Code: "active" },
    Type: type as StoredLoadBalancer["Type"],
    IpAddressType: "ipv4",
  };
}

/**
 * An account in us-west-2 (plus one ALB in eu-west-1): shop-prod from the shared
 * "redirect restored" scenario with a forwarding /api rule and an ACME rule added,
 * an HTTP-only intranet ALB with two HTTP listeners, and a network load balancer.
 */
export function world(): FakeElbv2State {
  const scenario = fixture<{ state: { elbv2: FakeElbv2State } }>("alb-redirect-restored.json").state.elbv2;
  return {
    loadBalancers: [
      ...scenario.loadBalancers,
      loadBalancer(INTRANET_LB, "intranet", "application"),
      loadBalancer(NLB_ARN, "shop-tcp", "network"),
      loadBalancer(DUBLIN_LB, "shop-eu", "application"),
    ],
    listeners: [
      ...scenario.listeners,
      {
        ListenerArn: INTRANET_LISTENER,
        LoadBalancerArn: INTRANET_LB,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [forward(INTRANET_TG)],
      },
      {
        ListenerArn: INTRANET_ADMIN_LISTENER,
        LoadBalancerArn: INTRANET_LB,
        Port: 8080,
        Protocol: "HTTP",
        DefaultActions: [forward(INTRANET_TG)],
      },
      {
        ListenerArn: NLB_LISTENER,
        LoadBalancerArn: NLB_ARN,
        Port: 80,
        Protocol: "TCP",
        DefaultActions: [forward(TG_ARN)],
      },
      {
        ListenerArn: DUBLIN_LISTENER,
        LoadBalancerArn: DUBLIN_LB,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [forward(TG_ARN)],
      },
    ],
    rules: [
      { ...apiForwardRule(), ListenerArn: HTTP_LISTENER },
      { ...acmeRule(), ListenerArn: HTTP_LISTENER },
    ],
    tags: [
      {
        ResourceArn: LB_ARN,
        Tags: [
          { Key: "team", Value: "shop" },
          { Key: "env", Value: "prod" },
        ],
      },
      { ResourceArn: HTTP_LISTENER, Tags: [{ Key: "env", Value: "production-edge" }] },
    ],
  };
}

export function context(region = REGION): ControlContext {
  return { account: ACCOUNT, region, clients, now: () => new Date("2026-03-01T09:00:00Z") };
}
