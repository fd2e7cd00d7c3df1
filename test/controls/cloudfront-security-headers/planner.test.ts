import { describe, expect, it } from "vitest";
import { inEffect } from "../../../functions/controls/cloudfront-security-headers/effect.js";
import { settings } from "../../../functions/controls/cloudfront-security-headers/metadata.js";
import { plan } from "../../../functions/controls/cloudfront-security-headers/planner.js";
import type { Snapshot } from "../../../functions/controls/cloudfront-security-headers/snapshot.js";
import {
  behavior,
  configWith,
  managedSecurityHeaders,
  type Shape,
  snapshotOf,
} from "../cloudfront/helpers.js";
import { customPolicyId, securityHeadersPolicy, shortCustomPolicy } from "./policies.js";

const defaults = settings.parse({});
const policies = { [managedSecurityHeaders]: securityHeadersPolicy(), [customPolicyId]: shortCustomPolicy() };
const snapshot = (shape: Shape): Snapshot => ({ ...snapshotOf(configWith(shape)), policies });
/** No policy on the default behavior, the short custom one on /account/*, the managed one on /api/*. */
const drifted: Shape = {
  behaviors: [
    behavior("/account/*", { ResponseHeadersPolicyId: customPolicyId }),
    behavior("/api/*", { ResponseHeadersPolicyId: managedSecurityHeaders }),
  ],
};

describe("cloudfront-security-headers planner and effect", () => {
  it("attaches the configured policy where there is none and where one falls short, naming what each had", () => {
    // Act
    const changes = plan(snapshot(drifted), defaults);

    // Assess
    expect(changes).toEqual([
      {
        service: "cloudfront",
        action: "UpdateDistribution",
        input: {
          Id: "E1QSDF4EXAMPLE",
          set: { ResponseHeadersPolicyId: managedSecurityHeaders },
          behaviors: [
            { pathPattern: null, was: null },
            { pathPattern: "/account/*", was: customPolicyId },
          ],
        },
      },
    ]);
  });

  it("attaches a configured custom policy when the setting names one", () => {
    // Prepare
    const own = settings.parse({ responseHeadersPolicyId: "7c1f3a2e-1111-4222-8333-944455556666" });

    // Act
    const [change] = plan(snapshot(drifted), own);

    // Assess
    expect(change?.input.set).toEqual({ ResponseHeadersPolicyId: "7c1f3a2e-1111-4222-8333-944455556666" });
  });

  it.each([
    { name: "the drift as planned", live: drifted, expected: false },
    {
      name: "the configured policy attached",
      live: {
        defaults: { ResponseHeadersPolicyId: managedSecurityHeaders },
        behaviors: [behavior("/account/*", { ResponseHeadersPolicyId: managedSecurityHeaders })],
      },
      expected: true,
    },
    {
      name: "another policy chosen by someone on the default behavior, /account/* untouched",
      live: { ...drifted, defaults: { ResponseHeadersPolicyId: "7c1f3a2e-1111-4222-8333-944455556666" } },
      expected: false,
    },
  ])("inEffect on $name -> $expected", ({ live, expected }) => {
    // Prepare
    const [change] = plan(snapshot(drifted), defaults);
    if (!change) throw new Error("a plan was expected");

    // Act / Assess
    expect(inEffect(snapshot(live), change)).toBe(expected);
  });
});
