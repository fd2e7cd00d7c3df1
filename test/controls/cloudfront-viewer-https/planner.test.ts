import { describe, expect, it } from "vitest";
import { inEffect } from "../../../functions/controls/cloudfront-viewer-https/effect.js";
import {
  applyEdits,
  plan,
  plannedBehaviors,
} from "../../../functions/controls/cloudfront-viewer-https/planner.js";
import { behavior, configWith, snapshotOf, storefrontConfig } from "../cloudfront/helpers.js";

const drifted = () =>
  configWith({
    defaults: { ViewerProtocolPolicy: "allow-all" },
    behaviors: [
      behavior("/api/*", { ViewerProtocolPolicy: "https-only" }),
      behavior("/img/*", { ViewerProtocolPolicy: "allow-all" }),
    ],
  });

/** The drifted configuration with the planned call applied. */
function fixed() {
  const [change] = plan(snapshotOf(drifted()));
  return change ? applyEdits(drifted(), plannedBehaviors(change)) : drifted();
}

describe("cloudfront-viewer-https planner and effect", () => {
  it("plans one UpdateDistribution naming only the offending behaviors and what they had", () => {
    // Act
    const changes = plan(snapshotOf(drifted()));

    // Assess
    expect(changes).toEqual([
      {
        service: "cloudfront",
        action: "UpdateDistribution",
        input: {
          Id: "E1QSDF4EXAMPLE",
          behaviors: [
            { pathPattern: null, was: "allow-all", set: { ViewerProtocolPolicy: "redirect-to-https" } },
            { pathPattern: "/img/*", was: "allow-all", set: { ViewerProtocolPolicy: "redirect-to-https" } },
          ],
        },
      },
    ]);
  });

  it("changes only the planned behaviors' ViewerProtocolPolicy, every other field as read", () => {
    // Prepare
    const config = drifted();
    const [change] = plan(snapshotOf(config));
    if (!change) throw new Error("a plan was expected");

    // Act
    const updated = applyEdits(config, plannedBehaviors(change));

    // Assess
    const expected = drifted();
    if (expected.DefaultCacheBehavior)
      expected.DefaultCacheBehavior.ViewerProtocolPolicy = "redirect-to-https";
    const img = expected.CacheBehaviors?.Items?.[1];
    if (img) img.ViewerProtocolPolicy = "redirect-to-https";
    expect(updated).toEqual(expected);
  });

  it.each([
    { name: "the drift as planned", config: drifted(), live: false },
    { name: "the fix made", config: fixed(), live: true },
    {
      name: "the offending behavior removed since",
      config: configWith({ defaults: { ViewerProtocolPolicy: "https-only" } }),
      live: true,
    },
    { name: "the storefront as it was", config: storefrontConfig(), live: true },
  ])("inEffect on $name -> $live", ({ config, live }) => {
    // Prepare
    const [change] = plan(snapshotOf(drifted()));
    if (!change) throw new Error("a plan was expected");

    // Act / Assess
    expect(inEffect(snapshotOf(config), change)).toBe(live);
  });

  it("plans nothing for a compliant distribution", () => {
    // Act / Assess
    expect(plan(snapshotOf(storefrontConfig()))).toEqual([]);
  });
});
