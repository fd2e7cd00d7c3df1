import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WAFV2Client } from "@aws-sdk/client-wafv2";
import type { MetadataBearer, Pluggable } from "@smithy/types";
import { afterEach } from "vitest";
import {
  SANDBOX_CREDENTIALS,
  SandboxAccount,
  type SandboxAccountOptions,
} from "../../local/sandbox/account.js";
import { SandboxClock } from "../../local/sandbox/clock.js";
import type { SandboxIdentity } from "../../local/sandbox/identity.js";

export const ACCOUNT = "111122223333";
export const LB =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/shop-prod/0f9e8d7c6b5a4930";
export const HTTP_LISTENER =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615";
export const HTTPS_LISTENER =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/2615374859a6b7c8";
export const TARGET_GROUP =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/shop-tg/11aa22bb33cc44dd";
export const DISTRIBUTION = "E1QSDF4EXAMPLE";

export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), "utf8"),
  ) as T;
}

interface Scenario {
  region?: string;
  clock?: string;
  state: Record<string, unknown>;
  steps: { call?: { service: string; action: string; input: Record<string, unknown> } }[];
}

export function scenario(name: string): Scenario {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../scenarios/${name}.json`, import.meta.url)), "utf8"),
  ) as Scenario;
}

/** The shop-prod ALB (HTTP listener redirecting, HTTPS listener forwarding) plus the storefront distribution. */
export function shopState(): Record<string, unknown> {
  return {
    ...scenario("alb-redirect-restored").state,
    cloudfront: scenario("cloudfront-origin-back-to-https").state.cloudfront,
    origins: { "api-origin.example.org": "ok" },
  };
}

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const fn of unregister.splice(0)) fn();
});

/**
 * A sandbox plugged in under the SDK clients of functions/lib/aws.ts for the
 * current test (unplugged after it), calling as `identity` (the remediator by default).
 */
export function plugged(
  options: SandboxAccountOptions = {},
  identity?: (sandbox: SandboxAccount) => SandboxIdentity,
): SandboxAccount {
  const sandbox = new SandboxAccount({
    clock: new SandboxClock("2026-03-01T09:00:00Z"),
    state: shopState(),
    ...options,
  });
  unregister.push(sandbox.register(identity ? identity(sandbox) : undefined));
  return sandbox;
}

/**
 * A real WAFv2 SDK client answered by `sandbox`, plugged in the way
 * SandboxAccount.register() plugs the clients of functions/lib/aws.ts (which
 * has no WAFv2 client of its own yet).
 */
export function wafv2Client(
  sandbox: SandboxAccount,
  region: string,
  identity: SandboxIdentity = sandbox.remediator(),
): WAFV2Client {
  const client = new WAFV2Client({ region, credentials: { ...SANDBOX_CREDENTIALS } });
  const plugin = sandbox.clientPlugin(identity) as (client: {
    service: string;
    region: string;
  }) => Pluggable<object, MetadataBearer>;
  client.middlewareStack.use(plugin({ service: "wafv2", region }));
  return client;
}

/** The rejection of a promise, for asserting on SDK errors' class and fields. */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export const redirectToHttps = {
  Type: "redirect",
  RedirectConfig: {
    Protocol: "HTTPS",
    Port: "443",
    Host: "#{host}",
    Path: "/#{path}",
    Query: "#{query}",
    StatusCode: "HTTP_301",
  },
};

export const forwardToShop = {
  Type: "forward",
  TargetGroupArn: TARGET_GROUP,
  ForwardConfig: {
    TargetGroups: [{ TargetGroupArn: TARGET_GROUP, Weight: 1 }],
    TargetGroupStickinessConfig: { Enabled: false },
  },
};

export const CUSTOM_POLICY_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const VPC_ORIGIN_ID = "vo_BQwjxxQxjCaBcQLzJUFkDM";
export const INTERNAL_ALB =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/shop-internal/5d4c3b2a1f0e9d8c";

/** A custom response headers policy as GetResponseHeadersPolicy reports it. */
export function customPolicy(): Record<string, unknown> {
  return {
    Id: CUSTOM_POLICY_ID,
    ETag: "E3CUSTOMPOLICY1",
    ResponseHeadersPolicy: {
      Id: CUSTOM_POLICY_ID,
      LastModifiedTime: "2026-02-01T10:00:00.000Z",
      ResponseHeadersPolicyConfig: {
        Name: "shop-security-headers",
        Comment: "HSTS for two years",
        SecurityHeadersConfig: {
          StrictTransportSecurity: {
            Override: true,
            IncludeSubdomains: true,
            Preload: false,
            AccessControlMaxAgeSec: 63_072_000,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { Override: true, FrameOption: "DENY" },
        },
      },
    },
  };
}

/** A VPC origin as GetVpcOrigin reports it: the shop's internal ALB, reached over plain HTTP. */
export function vpcOrigin(id = VPC_ORIGIN_ID, name = "shop-internal-alb"): Record<string, unknown> {
  return {
    ETag: "ETVPDKIKX0DER",
    VpcOrigin: {
      Id: id,
      Arn: `arn:aws:cloudfront::111122223333:vpcorigin/${id}`,
      Status: "Deployed",
      CreatedTime: "2026-01-10T08:00:00.000Z",
      LastModifiedTime: "2026-01-10T08:00:00.000Z",
      VpcOriginEndpointConfig: {
        Name: name,
        Arn: INTERNAL_ALB,
        HTTPPort: 80,
        HTTPSPort: 443,
        OriginProtocolPolicy: "http-only",
        OriginSslProtocols: { Quantity: 2, Items: ["TLSv1.1", "TLSv1.2"] },
      },
    },
  };
}

/** shopState() with more CloudFront resources (and other sections) beside the storefront distribution. */
export function cloudFrontState(
  cloudfront: Record<string, unknown> = {},
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  const shop = shopState();
  return { ...shop, ...more, cloudfront: { ...(shop.cloudfront as object), ...cloudfront } };
}
