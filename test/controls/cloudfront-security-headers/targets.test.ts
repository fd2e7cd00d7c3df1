import { describe, expect, it } from "vitest";
import { cloudfrontSecurityHeaders as control } from "../../../functions/controls/cloudfront-security-headers/index.js";
import type { Trigger } from "../../../functions/controls/types.js";
import { CUSTOM_POLICY_ID, cloudFrontState, customPolicy, plugged } from "../../sandbox/helpers.js";
import { behavior, changeByHand, context, distributionArn } from "../cloudfront/helpers.js";

function policyUpdated(id: unknown, eventSource = "cloudfront.amazonaws.com"): Trigger {
  return {
    kind: "cloudtrail",
    eventName: "UpdateResponseHeadersPolicy",
    eventSource,
    region: "us-east-1",
    account: "111122223333",
    requestParameters: { id, ifMatch: "E3CUSTOMPOLICY1", responseHeadersPolicyConfig: {} },
    responseElements: null,
  };
}

describe("cloudfront-security-headers targets of an UpdateResponseHeadersPolicy", () => {
  it.each([
    ["an ordered behavior uses the edited policy", { "/account/*": CUSTOM_POLICY_ID }, [distributionArn]],
    ["only another policy is used", { "/account/*": "67f7725c-6f97-4210-82d7-5512b31e9d03" }, []],
    ["no behavior names a policy", {}, []],
  ])("re-checks the distribution when %s", async (_case, policies, expected) => {
    // Prepare
    const sandbox = plugged({ state: cloudFrontState({ responseHeadersPolicies: [customPolicy()] }) });
    await changeByHand(sandbox, (config) => {
      const items = Object.entries(policies).map(([path, id]) =>
        behavior(path, { ResponseHeadersPolicyId: id }),
      );
      config.CacheBehaviors = { Quantity: items.length, Items: items };
    });

    // Act
    const targets = await control.resolveTargets(policyUpdated(CUSTOM_POLICY_ID), context());

    // Assess
    expect(targets).toEqual(expected);
  });

  it.each([
    ["names no policy", policyUpdated(undefined)],
    ["comes from another service", policyUpdated(CUSTOM_POLICY_ID, "wafv2.amazonaws.com")],
  ])("concerns no distribution when the event %s", async (_case, trigger) => {
    // Prepare
    const sandbox = plugged({ state: cloudFrontState({ responseHeadersPolicies: [customPolicy()] }) });
    await changeByHand(sandbox, (config) => {
      config.CacheBehaviors = {
        Quantity: 1,
        Items: [behavior("/account/*", { ResponseHeadersPolicyId: CUSTOM_POLICY_ID })],
      };
    });

    // Act
    const targets = await control.resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual([]);
  });
});
