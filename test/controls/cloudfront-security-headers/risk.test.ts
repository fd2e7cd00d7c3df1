import type { ResponseHeadersPolicyConfig } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { settings } from "../../../functions/controls/cloudfront-security-headers/metadata.js";
import { plan } from "../../../functions/controls/cloudfront-security-headers/planner.js";
import { assessRisk } from "../../../functions/controls/cloudfront-security-headers/risk.js";
import { collect } from "../../../functions/controls/cloudfront-security-headers/snapshot.js";
import { CUSTOM_POLICY_ID, cloudFrontState, customPolicy, plugged } from "../../sandbox/helpers.js";
import { behavior, changeByHand, context, distributionArn } from "../cloudfront/helpers.js";

/** The storefront on the sandbox: no policy on the default behavior, the shop's own policy on /account/*. */
async function storefront(policy: Record<string, unknown> = customPolicy()) {
  const sandbox = plugged({ state: cloudFrontState({ responseHeadersPolicies: [policy] }) });
  await changeByHand(sandbox, (config) => {
    config.CacheBehaviors = {
      Quantity: 1,
      Items: [behavior("/account/*", { ResponseHeadersPolicyId: CUSTOM_POLICY_ID })],
    };
  });
  const snapshot = await collect(context(), distributionArn);
  if (!snapshot) throw new Error("the storefront should exist");
  return snapshot;
}

/** The shop's policy without X-Frame-Options and with CORS for a partner, so it falls short and gets replaced. */
function shortShopPolicy(): Record<string, unknown> {
  const policy = customPolicy() as {
    ResponseHeadersPolicy: { ResponseHeadersPolicyConfig: ResponseHeadersPolicyConfig };
  };
  const config = policy.ResponseHeadersPolicy.ResponseHeadersPolicyConfig;
  if (config.SecurityHeadersConfig) config.SecurityHeadersConfig.FrameOptions = undefined;
  config.CorsConfig = {
    AccessControlAllowOrigins: { Quantity: 1, Items: ["https://partner.example.net"] },
    AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
    AccessControlAllowMethods: { Quantity: 1, Items: ["GET"] },
    AccessControlAllowCredentials: false,
    OriginOverride: true,
  };
  return policy;
}

describe("cloudfront-security-headers risk", () => {
  it("asks on-call, saying what HSTS, frame options and nosniff of the managed policy do to the site's viewers", async () => {
    // Prepare
    const snapshot = await storefront();
    const defaults = settings.parse({});

    // Act
    const [risk] = await assessRisk(snapshot, plan(snapshot, defaults), context(), defaults);

    // Assess
    expect(risk?.level).toBe("approval");
    expect(risk?.reasons).toEqual([
      'attaching "Managed-SecurityHeadersPolicy" (67f7725c-6f97-4210-82d7-5512b31e9d03) to cache behavior(s) default changes what browsers allow on www.example.org',
      expect.stringMatching(
        /^Strict-Transport-Security max-age=31536000: a browser that has seen it refuses plain HTTP to www\.example\.org until max-age runs out/,
      ),
      expect.stringMatching(
        /^X-Frame-Options SAMEORIGIN: other sites can no longer show these pages in a frame/,
      ),
      expect.stringMatching(/^X-Content-Type-Options nosniff: .*wrong Content-Type is refused$/),
      "where the origin sends its own Strict-Transport-Security or X-Frame-Options, its value is kept (the policy does not override it)",
    ]);
  });

  it("says what viewers lose when a custom policy that falls short is replaced, not edited", async () => {
    // Prepare
    const snapshot = await storefront(shortShopPolicy());
    const defaults = settings.parse({});

    // Act
    const [risk] = await assessRisk(snapshot, plan(snapshot, defaults), context(), defaults);

    // Assess
    expect(risk?.level).toBe("approval");
    expect(risk?.reasons.at(-1)).toBe(
      `cache behavior "/account/*" now uses policy "shop-security-headers" (${CUSTOM_POLICY_ID}), which falls short; it is replaced, not edited, so viewers stop getting what else it sends: CORS headers (Access-Control-Allow-*)`,
    );
  });

  it.each([
    {
      name: "a configured policy that does not exist",
      setting: "9f9f9f9f-0000-4000-8000-000000000000",
      reason: /configured response headers policy 9f9f9f9f-0000-4000-8000-000000000000 .* does not exist/,
    },
    {
      name: "a configured policy that itself falls short (CORS only)",
      setting: "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
      reason:
        /"Managed-CORS-With-Preflight" .* itself has no Strict-Transport-Security, no X-Content-Type-Options, no X-Frame-Options: attaching it would not make the behaviors compliant/,
    },
  ])("blocks $name", async ({ setting, reason }) => {
    // Prepare
    const snapshot = await storefront();
    const configured = settings.parse({ responseHeadersPolicyId: setting });

    // Act
    const [risk] = await assessRisk(snapshot, plan(snapshot, configured), context(), configured);

    // Assess
    expect(risk?.level).toBe("blocked");
    expect(risk?.reasons[0]).toMatch(reason);
  });
});
