import { readFileSync } from "node:fs";
import type { Action, RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Snapshot } from "../../../functions/controls/alb-http-to-https-redirect/snapshot.js";
import type { Trigger } from "../../../functions/controls/types.js";

/** Realistic names shared by every test of this control (SDK v3 output shapes, PascalCase). */
export const REGION = "us-west-2";
export const ACCOUNT = "111122223333";
const PREFIX = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;

export const LB_ARN = `${PREFIX}:loadbalancer/app/shop-prod/0f9e8d7c6b5a4930`;
export const HTTP_LISTENER = `${PREFIX}:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615`;
export const HTTPS_LISTENER = `${PREFIX}:listener/app/shop-prod/0f9e8d7c6b5a4930/2615374859a6b7c8`;
export const TG_ARN = `${PREFIX}:targetgroup/shop-tg/11aa22bb33cc44dd`;
export const LEGACY_TG_ARN = `${PREFIX}:targetgroup/shop-legacy-tg/55ee66ff77aa88bb`;
export const ruleArn = (id: string) =>
  `${PREFIX}:listener-rule/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615/${id}`;
export const RULE_API = ruleArn("1a2b3c4d5e6f7a8b");
export const RULE_ACME = ruleArn("9c8d7e6f5a4b3c2d");

export const NLB_ARN = `${PREFIX}:loadbalancer/net/shop-tcp/3c4d5e6f7a8b9c0d`;
export const NLB_LISTENER = `${PREFIX}:listener/net/shop-tcp/3c4d5e6f7a8b9c0d/6e7f8a9b0c1d2e3f`;
export const NLB_RULE = `${PREFIX}:listener-rule/net/shop-tcp/3c4d5e6f7a8b9c0d/6e7f8a9b0c1d2e3f/0a1b2c3d4e5f6a7b`;

export const forward = (...groups: string[]): Action => ({
  Type: "forward",
  TargetGroupArn: groups[0],
  ForwardConfig: {
    TargetGroups: groups.map((TargetGroupArn) => ({ TargetGroupArn, Weight: 1 })),
    TargetGroupStickinessConfig: { Enabled: false },
  },
});

export const redirect = (protocol: string | undefined, port = "443"): Action => ({
  Type: "redirect",
  RedirectConfig: {
    ...(protocol ? { Protocol: protocol } : {}),
    Port: port,
    Host: "#{host}",
    Path: "/#{path}",
    Query: "#{query}",
    StatusCode: "HTTP_301",
  },
});

export const httpsRedirect = (port = "443"): Action => redirect("HTTPS", port);

export const fixedResponse = (status = "503"): Action => ({
  Type: "fixed-response",
  FixedResponseConfig: { StatusCode: status, ContentType: "text/plain", MessageBody: "Service unavailable" },
});

export const authenticateOidc = (order: number): Action => ({
  Type: "authenticate-oidc",
  Order: order,
  AuthenticateOidcConfig: {
    Issuer: "https://idp.example.com",
    AuthorizationEndpoint: "https://idp.example.com/authorize",
    TokenEndpoint: "https://idp.example.com/token",
    UserInfoEndpoint: "https://idp.example.com/userinfo",
    ClientId: "shop-prod",
    OnUnauthenticatedRequest: "authenticate",
  },
});

/** A path-pattern condition as DescribeRules returns it: legacy Values and PathPatternConfig both set. */
export const pathPattern = (...values: string[]): RuleCondition => ({
  Field: "path-pattern",
  Values: values,
  PathPatternConfig: { Values: values },
});

export const hostHeader = (...values: string[]): RuleCondition => ({
  Field: "host-header",
  Values: values,
  HostHeaderConfig: { Values: values },
});

export type SnapshotRule = Snapshot["rules"][number];

export const rule = (
  arn: string,
  priority: string,
  conditions: RuleCondition[],
  actions: Action[],
): SnapshotRule => ({
  RuleArn: arn,
  Priority: priority,
  Conditions: conditions,
  Actions: actions,
});

export const apiForwardRule = () => rule(RULE_API, "10", [pathPattern("/api/*")], [forward(TG_ARN)]);
export const acmeRule = (...paths: string[]) =>
  rule(
    RULE_ACME,
    "5",
    [pathPattern(...(paths.length ? paths : ["/.well-known/acme-challenge/*"]))],
    [forward(LEGACY_TG_ARN)],
  );

/** An in-scope HTTP listener of an ALB with an HTTPS listener on 443, redirecting correctly. */
export function snapshot(
  overrides: {
    defaultActions?: Action[];
    rules?: SnapshotRule[];
    httpsPorts?: number[];
    protocol?: string;
    type?: string;
    tags?: Record<string, string>;
    /** Other plain (non-HTTPS) listeners of the load balancer, by port. */
    httpPorts?: number[];
  } = {},
): Snapshot {
  const ports = overrides.httpsPorts ?? [443];
  return {
    region: REGION,
    listener: {
      ListenerArn: HTTP_LISTENER,
      LoadBalancerArn: LB_ARN,
      Port: 80,
      Protocol: overrides.protocol ?? "HTTP",
      DefaultActions: overrides.defaultActions ?? [httpsRedirect()],
    },
    loadBalancer: {
      LoadBalancerArn: LB_ARN,
      LoadBalancerName: "shop-prod",
      Type: overrides.type ?? "application",
    },
    httpsListeners: ports.map((Port, i) => ({ ListenerArn: `${HTTPS_LISTENER.slice(0, -1)}${i}`, Port })),
    otherListeners: (overrides.httpPorts ?? []).map((Port, i) => ({
      ListenerArn: `${HTTP_LISTENER.slice(0, -1)}${i + 1}`,
      Port,
      Protocol: "HTTP",
    })),
    rules: overrides.rules ?? [],
    tags: overrides.tags ?? {},
  };
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

type Envelope = { region: string; account: string; detail: Record<string, unknown> };

/** The Trigger intake would derive from an EventBridge envelope (CloudTrail or Config item). */
export function triggerOf(envelope: Envelope): Trigger {
  const d = envelope.detail;
  if ("eventName" in d) {
    return {
      kind: "cloudtrail",
      eventName: String(d.eventName),
      eventSource: String(d.eventSource),
      region: envelope.region,
      account: envelope.account,
      requestParameters: (d.requestParameters ?? null) as Record<string, unknown> | null,
      responseElements: (d.responseElements ?? null) as Record<string, unknown> | null,
    };
  }
  const item = d.configurationItem as Record<string, unknown>;
  return {
    kind: "config-item",
    resourceType: String(item.resourceType),
    resourceId: String(item.resourceId),
    arn: String(item.ARN),
    region: envelope.region,
    account: envelope.account,
    status: String(item.configurationItemStatus),
    configuration: (item.configuration ?? null) as Record<string, unknown> | null,
  };
}

export function cloudTrail(
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
): Trigger {
  return {
    kind: "cloudtrail",
    eventName,
    eventSource: "elasticloadbalancing.amazonaws.com",
    region: REGION,
    account: ACCOUNT,
    requestParameters,
    responseElements,
  };
}
