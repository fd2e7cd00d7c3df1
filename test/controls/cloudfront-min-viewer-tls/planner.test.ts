import { describe, expect, it } from "vitest";
import { inEffect } from "../../../functions/controls/cloudfront-min-viewer-tls/effect.js";
import { settings } from "../../../functions/controls/cloudfront-min-viewer-tls/metadata.js";
import { plan } from "../../../functions/controls/cloudfront-min-viewer-tls/planner.js";
import { acmCertificate, configWith, defaultCertificate, snapshotOf } from "../cloudfront/helpers.js";

const defaults = settings.parse({});
const withPolicy = (policy: string, method = "sni-only") =>
  snapshotOf(configWith({ viewerCertificate: acmCertificate(policy, method) }));

describe("cloudfront-min-viewer-tls planner and effect", () => {
  it("plans one UpdateDistribution raising MinimumProtocolVersion, naming what viewers had", () => {
    // Act
    const changes = plan(withPolicy("TLSv1.1_2016"), defaults);

    // Assess
    expect(changes).toEqual([
      {
        service: "cloudfront",
        action: "UpdateDistribution",
        input: { Id: "E1QSDF4EXAMPLE", was: "TLSv1.1_2016", set: { MinimumProtocolVersion: "TLSv1.2_2021" } },
      },
    ]);
  });

  it.each([
    { name: "a compliant policy", snapshot: withPolicy("TLSv1.2_2021") },
    {
      name: "static-ip with a modern policy (reported, this control never changes the method)",
      snapshot: withPolicy("TLSv1.2_2021", "static-ip"),
    },
  ])("plans nothing for $name", ({ snapshot }) => {
    // Act / Assess
    expect(plan(snapshot, defaults)).toEqual([]);
  });

  it.each([
    { name: "the policy as planned", live: withPolicy("TLSv1"), inEffect: false },
    { name: "the target policy", live: withPolicy("TLSv1.2_2021"), inEffect: true },
    { name: "a newer policy set by someone", live: withPolicy("TLSv1.3_2025"), inEffect: true },
    {
      name: "CloudFront's default certificate since",
      live: snapshotOf(configWith({ viewerCertificate: defaultCertificate })),
      inEffect: true,
    },
  ])("inEffect on $name -> $inEffect", ({ live, inEffect: expected }) => {
    // Prepare
    const [change] = plan(withPolicy("TLSv1"), defaults);
    if (!change) throw new Error("a plan was expected");

    // Act / Assess
    expect(inEffect(live, change)).toBe(expected);
  });
});
