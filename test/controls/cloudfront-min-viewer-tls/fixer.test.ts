import { describe, expect, it } from "vitest";
import { cloudfrontMinViewerTls as control } from "../../../functions/controls/cloudfront-min-viewer-tls/index.js";
import { settings } from "../../../functions/controls/cloudfront-min-viewer-tls/metadata.js";
import { plugged } from "../../sandbox/helpers.js";
import { applyAll, changeByHand, context, distributionArn, liveConfig } from "../cloudfront/helpers.js";

const defaults = settings.parse({});

describe("cloudfront-min-viewer-tls fixer on the sandbox", () => {
  it("raises only MinimumProtocolVersion and CloudFront accepts it for an sni-only certificate", async () => {
    // Prepare
    const sandbox = plugged();
    await changeByHand(sandbox, (config) => {
      if (config.ViewerCertificate) config.ViewerCertificate.MinimumProtocolVersion = "TLSv1";
    });
    const before = await liveConfig();
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");

    // Act
    const made = await applyAll(control, context(), distributionArn, control.plan(snapshot, defaults));

    // Assess
    const expected = structuredClone(before);
    if (expected.ViewerCertificate) expected.ViewerCertificate.MinimumProtocolVersion = "TLSv1.2_2021";
    expect(await liveConfig()).toEqual(expected);
    expect(made).toMatchObject([
      { action: "UpdateDistribution", input: { was: "TLSv1", IfMatch: expect.any(String) } },
    ]);
  });

  it("leaves a policy someone raised meanwhile as it is", async () => {
    // Prepare
    const sandbox = plugged();
    await changeByHand(sandbox, (config) => {
      if (config.ViewerCertificate) config.ViewerCertificate.MinimumProtocolVersion = "TLSv1";
    });
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");
    const changes = control.plan(snapshot, defaults);
    await changeByHand(sandbox, (config) => {
      if (config.ViewerCertificate) config.ViewerCertificate.MinimumProtocolVersion = "TLSv1.3_2025";
    });

    // Act
    const made = await applyAll(control, context(), distributionArn, changes);

    // Assess
    expect(made).toEqual([]);
    expect((await liveConfig()).ViewerCertificate?.MinimumProtocolVersion).toBe("TLSv1.3_2025");
  });
});
