import { describe, expect, it } from "vitest";
import { cloudfrontSecurityHeaders as control } from "../../../functions/controls/cloudfront-security-headers/index.js";
import { settings } from "../../../functions/controls/cloudfront-security-headers/metadata.js";
import { CUSTOM_POLICY_ID, cloudFrontState, customPolicy, plugged } from "../../sandbox/helpers.js";
import {
  applyAll,
  behavior,
  changeByHand,
  context,
  distributionArn,
  liveConfig,
  managedSecurityHeaders,
} from "../cloudfront/helpers.js";

const defaults = settings.parse({});

async function storefront() {
  const sandbox = plugged({ state: cloudFrontState({ responseHeadersPolicies: [customPolicy()] }) });
  await changeByHand(sandbox, (config) => {
    config.CacheBehaviors = {
      Quantity: 2,
      Items: [behavior("/account/*", { ResponseHeadersPolicyId: CUSTOM_POLICY_ID }), behavior("/img/*", {})],
    };
  });
  return sandbox;
}

describe("cloudfront-security-headers on the sandbox", () => {
  it("reads every policy its behaviors use, and judges the shop's own policy compliant", async () => {
    // Prepare
    await storefront();

    // Act
    const snapshot = await control.collect(context(), distributionArn);

    // Assess
    expect(Object.keys(snapshot?.policies ?? {})).toEqual([CUSTOM_POLICY_ID]);
    expect(snapshot && control.detect(snapshot, defaults)).toEqual({
      status: "non-compliant",
      message:
        'cache behavior default: no response headers policy | cache behavior "/img/*": no response headers policy',
    });
  });

  it("attaches the managed policy to the behaviors without one and leaves every other field as read", async () => {
    // Prepare
    await storefront();
    const before = await liveConfig();
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");

    // Act
    const made = await applyAll(control, context(), distributionArn, control.plan(snapshot, defaults));

    // Assess
    const expected = structuredClone(before);
    if (expected.DefaultCacheBehavior)
      expected.DefaultCacheBehavior.ResponseHeadersPolicyId = managedSecurityHeaders;
    const img = expected.CacheBehaviors?.Items?.[1];
    if (img) img.ResponseHeadersPolicyId = managedSecurityHeaders;
    expect(await liveConfig()).toEqual(expected);
    expect(made).toHaveLength(1);
    const fresh = await control.collect(context(), distributionArn);
    expect(fresh && control.detect(fresh, defaults).status).toBe("compliant");
  });

  it("leaves a behavior whose policy someone chose since the plan", async () => {
    // Prepare
    const sandbox = await storefront();
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");
    const changes = control.plan(snapshot, defaults);
    await changeByHand(sandbox, (config) => {
      const img = config.CacheBehaviors?.Items?.[1];
      if (img) img.ResponseHeadersPolicyId = CUSTOM_POLICY_ID;
    });

    // Act
    await applyAll(control, context(), distributionArn, changes);

    // Assess
    const after = await liveConfig();
    expect(after.DefaultCacheBehavior?.ResponseHeadersPolicyId).toBe(managedSecurityHeaders);
    expect(after.CacheBehaviors?.Items?.[1]?.ResponseHeadersPolicyId).toBe(CUSTOM_POLICY_ID);
  });
});
