import { afterEach } from "vitest";
import type { ControlContext } from "../../../functions/controls/types.js";
import { clients } from "../../../functions/lib/aws.js";
import { SandboxAccount } from "../../../local/sandbox/account.js";
import { SandboxClock } from "../../../local/sandbox/clock.js";
import { assumedRole } from "../../../local/sandbox/identity.js";

/**
 * The load balancer controls' tests run their real SDK calls against the
 * sandbox account (which answers as AWS does, errors included), with state in
 * the scenario shape: SDK v3 output shapes, as describe-* print them.
 */
export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

const elb = (region: string) => `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}`;
export const loadBalancerArn = (name: string, id: string, type = "app", region = REGION) =>
  `${elb(region)}:loadbalancer/${type}/${name}/${id}`;
export const listenerArn = (loadBalancer: string, id: string) =>
  `${loadBalancer.replace(":loadbalancer/", ":listener/")}/${id}`;
export const webAclArn = (name: string, id: string, region = REGION) =>
  `arn:aws:wafv2:${region}:${ACCOUNT}:regional/webacl/${name}/${id}`;

export const SHOP = loadBalancerArn("shop-prod", "0f9e8d7c6b5a4930");
export const SHOP_HTTP = listenerArn(SHOP, "8c7b6a5948372615");
export const SHOP_HTTPS = listenerArn(SHOP, "2615374859a6b7c8");
export const NLB = loadBalancerArn("ingest", "5a4b3c2d1e0f9a8b", "net");
export const NLB_TLS = listenerArn(NLB, "1f2e3d4c5b6a7980");
export const TARGET_GROUP = `${elb(REGION)}:targetgroup/shop-tg/11aa22bb33cc44dd`;
export const CERTIFICATE = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/9f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
export const SHOP_ACL = webAclArn("shop-rules", "a1b2c3d4-5678-90ab-cdef-111111111111");

/** A forward action as DescribeListeners prints it (ForwardConfig filled in by AWS). */
export const forward = [
  {
    Type: "forward",
    TargetGroupArn: TARGET_GROUP,
    ForwardConfig: {
      TargetGroups: [{ TargetGroupArn: TARGET_GROUP, Weight: 1 }],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  },
];

export function loadBalancer(arn: string, type = "application") {
  const name = arn.split("/")[2] ?? "lb";
  return {
    LoadBalancerArn: arn,
    DNSName: `${name}-1884918780.${arn.split(":")[3]}.elb.amazonaws.com`,
    CanonicalHostedZoneId: "Z32O12XQLNTSW2",
    CreatedTime: "2025-11-27T21:16:00.000Z",
    LoadBalancerName: name,
    Scheme: "internet-facing",
    VpcId: "vpc-0ea15ff1bbb2d473e",
    State: { Code: "active" },
    Type: type,
    IpAddressType: "ipv4",
  };
}

export function httpsListener(arn: string, loadBalancerArnOf: string, sslPolicy?: string) {
  return {
    ListenerArn: arn,
    LoadBalancerArn: loadBalancerArnOf,
    Port: 443,
    Protocol: "HTTPS",
    Certificates: [{ CertificateArn: CERTIFICATE }],
    ...(sslPolicy ? { SslPolicy: sslPolicy } : {}),
    DefaultActions: forward,
  };
}

export function httpListener(arn: string, loadBalancerArnOf: string) {
  return {
    ListenerArn: arn,
    LoadBalancerArn: loadBalancerArnOf,
    Port: 80,
    Protocol: "HTTP",
    DefaultActions: [
      { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
    ],
  };
}

export interface AccountState {
  loadBalancers?: unknown[];
  listeners?: unknown[];
  attributes?: { LoadBalancerArn: string; Attributes: { Key: string; Value: string }[] }[];
  tags?: { ResourceArn: string; Tags: { Key: string; Value: string }[] }[];
  webAcls?: { Name: string; Id: string; ARN: string }[];
  associations?: { ResourceArn: string; WebACLArn: string }[];
}

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const fn of unregister.splice(0)) fn();
});

/** A sandbox account holding `state`, plugged in under functions/lib/aws.ts's clients for this test. */
export function account(state: AccountState = {}): SandboxAccount {
  const sandbox = new SandboxAccount({
    region: REGION,
    clock: new SandboxClock("2026-03-01T09:00:00Z"),
    state: {
      elbv2: {
        loadBalancers: state.loadBalancers ?? [],
        listeners: state.listeners ?? [],
        rules: [],
        attributes: state.attributes ?? [],
        tags: state.tags ?? [],
      },
      wafv2: { webAcls: state.webAcls ?? [], associations: state.associations ?? [] },
    },
  });
  unregister.push(sandbox.register());
  return sandbox;
}

export function context(region = REGION): ControlContext {
  return { account: ACCOUNT, region, clients, now: () => new Date("2026-03-01T09:00:00Z") };
}

/** Someone other than driftwarden: a developer's console session. */
export const developer = assumedRole(`arn:aws:iam::${ACCOUNT}:role/Dev`, "alice");
