import { describe, expect, it } from "vitest";
import { detect } from "../../../functions/controls/cloudfront-tls-to-origin/detector.js";
import {
  applyEdits,
  plan,
  plannedOrigins,
} from "../../../functions/controls/cloudfront-tls-to-origin/planner.js";
import { behavior, configWith, customOrigin, s3Origin, snapshotOf } from "./helpers.js";

function mixedConfig() {
  return configWith({
    origins: [
      s3Origin("assets", "assets-bucket"),
      customOrigin("api", "api-origin.example.org", "http-only", ["TLSv1", "TLSv1.1", "TLSv1.2"], 8443),
      customOrigin("good", "good.example.org", "https-only"),
      customOrigin("shop", "shop.example.org", "match-viewer"),
      customOrigin("legacy", "legacy.example.org", "https-only", ["TLSv1.1", "TLSv1.2"]),
    ],
    defaultBehavior: { target: "good", viewer: "redirect-to-https" },
    behaviors: [behavior("/shop/*", "shop", "allow-all"), behavior("/api/*", "api", "https-only")],
  });
}

describe("cloudfront-tls-to-origin planner", () => {
  it.each([
    {
      name: "http-only with old protocols",
      originId: "api",
      expected: {
        originId: "api",
        domainName: "api-origin.example.org",
        httpsPort: 8443,
        set: { OriginProtocolPolicy: "https-only", OriginSslProtocols: ["TLSv1.2"] },
      },
    },
    {
      name: "match-viewer behind an allow-all behavior",
      originId: "shop",
      expected: {
        originId: "shop",
        domainName: "shop.example.org",
        httpsPort: 443,
        set: { OriginProtocolPolicy: "https-only" },
      },
    },
    {
      name: "https-only with TLSv1.1",
      originId: "legacy",
      expected: {
        originId: "legacy",
        domainName: "legacy.example.org",
        httpsPort: 443,
        set: { OriginSslProtocols: ["TLSv1.2"] },
      },
    },
  ])("plans $name: only the offending field(s)", ({ originId, expected }) => {
    // Prepare
    const snapshot = snapshotOf(mixedConfig());

    // Act
    const [update] = plan(snapshot);

    // Assess
    expect(update && plannedOrigins(update).find((origin) => origin.originId === originId)).toEqual(expected);
  });

  it("touches only offending origins and leaves the rest of the configuration deep-equal", () => {
    // Prepare
    const original = mixedConfig();
    const snapshot = snapshotOf(structuredClone(original));

    // Act
    const [update] = plan(snapshot);
    if (!update) throw new Error("expected one UpdateDistribution");
    const updated = applyEdits(snapshot.config, plannedOrigins(update));

    // Assess
    expect(update.input.Id).toBe(snapshot.id);
    expect(plannedOrigins(update).map((origin) => origin.originId)).toEqual(["api", "shop", "legacy"]);
    expect(snapshot.config).toEqual(original);
    const expected = structuredClone(original);
    const items = expected.Origins?.Items ?? [];
    const set = (id: string, policy?: "https-only", tls12?: boolean) => {
      const custom = items.find((origin) => origin.Id === id)?.CustomOriginConfig;
      if (!custom) throw new Error(`no origin ${id}`);
      if (policy) custom.OriginProtocolPolicy = policy;
      if (tls12) custom.OriginSslProtocols = { Quantity: 1, Items: ["TLSv1.2"] };
    };
    set("api", "https-only", true);
    set("shop", "https-only");
    set("legacy", undefined, true);
    expect(updated).toEqual(expected);
    expect(detect(snapshotOf(updated)).status).toBe("compliant");
  });

  it("plans one compact UpdateDistribution with no ETag (the fix reads a fresh one when it writes)", () => {
    // Prepare
    const snapshot = snapshotOf(mixedConfig(), { etag: "E3ETAGSEEN" });

    // Act
    const changes = plan(snapshot);

    // Assess
    expect(changes).toEqual([
      {
        service: "cloudfront",
        action: "UpdateDistribution",
        input: {
          Id: snapshot.id,
          changes: [
            {
              originId: "api",
              domainName: "api-origin.example.org",
              httpsPort: 8443,
              set: { OriginProtocolPolicy: "https-only", OriginSslProtocols: ["TLSv1.2"] },
            },
            {
              originId: "shop",
              domainName: "shop.example.org",
              httpsPort: 443,
              set: { OriginProtocolPolicy: "https-only" },
            },
            {
              originId: "legacy",
              domainName: "legacy.example.org",
              httpsPort: 443,
              set: { OriginSslProtocols: ["TLSv1.2"] },
            },
          ],
        },
      },
    ]);
    expect(JSON.stringify(changes)).not.toContain("CallerReference");
    expect(JSON.stringify(changes)).not.toContain("E3ETAGSEEN");
  });
});
