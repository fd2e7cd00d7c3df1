import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/lib/config.js";
import { LocalRuntime } from "../../local/runtime.js";
import { iamUser } from "../../local/sandbox/identity.js";

/**
 * The CloudFront path end to end: CloudFront events arrive only in us-east-1,
 * the fix is an IfMatch update, and on-call is told that propagation takes
 * minutes (no Lambda waits for Deployed).
 */
let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

const distribution = {
  Id: "E2EXAMPLE00001",
  ARN: "arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE00001",
  DomainName: "d111111abcdef8.cloudfront.net",
  Status: "Deployed",
  ETag: "E1AAAAAAAAAAAA",
  DistributionConfig: {
    CallerReference: "shop-2025",
    Aliases: { Quantity: 0 },
    DefaultRootObject: "",
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "app",
          DomainName: "app.example.com",
          OriginPath: "",
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: "https-only",
            OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "app",
      ViewerProtocolPolicy: "redirect-to-https",
      CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    },
    Comment: "shop",
    Enabled: true,
  },
  Tags: [],
};

describe("cloudfront-tls-to-origin through the workflow", () => {
  it("fixes an origin put back on http-only and tells on-call the change is propagating", async () => {
    // Prepare
    runtime = await LocalRuntime.start({
      account: "111122223333",
      region: "eu-west-1",
      clock: "2026-03-01T09:00:00Z",
      // The other CloudFront controls are off: this test is about the origin's protocol.
      config: parseConfig({
        homeRegion: "eu-west-1",
        controls: {
          "cloudfront-viewer-https": { mode: "off" },
          "cloudfront-min-viewer-tls": { mode: "off" },
          "cloudfront-security-headers": { mode: "off" },
          "cloudfront-waf-attached": { mode: "off" },
        },
      }),
      state: { cloudfront: { distributions: [distribution] }, origins: { "app.example.com": "ok" } } as never,
    });
    const config = structuredClone(distribution.DistributionConfig);
    const origin = config.Origins.Items[0];
    if (origin) origin.CustomOriginConfig.OriginProtocolPolicy = "http-only";

    // Act
    await runtime.change(
      "cloudfront",
      "UpdateDistribution",
      { Id: distribution.Id, IfMatch: distribution.ETag, DistributionConfig: config },
      iamUser("111122223333", "dave"),
    );

    // Assess
    const report = await runtime.report("cloudfront");
    expect(report.executions).toMatchObject([{ control: "cloudfront-tls-to-origin", outcome: "fixed" }]);
    expect(report.notifications).toHaveLength(1);
    expect(report.notifications[0]?.attributes).toMatchObject({ outcome: "fixed", region: "us-east-1" });
    expect(report.notifications[0]?.message).toContain("propagation to every edge takes a few minutes");
    const after = report.state.cloudfront?.distributions?.[0] as unknown as {
      Status: string;
      DistributionConfig: typeof config;
    };
    expect(after.Status).toBe("InProgress");
    expect(after.DistributionConfig.Origins.Items[0]?.CustomOriginConfig.OriginProtocolPolicy).toBe(
      "https-only",
    );
    expect(after.DistributionConfig.Comment).toBe("shop");
  });

  it("reports a drift its control has no fix for, saying why, and changes nothing", async () => {
    // Prepare: no web ACL configured to attach; the other CloudFront controls are off
    runtime = await LocalRuntime.start({
      account: "111122223333",
      region: "eu-west-1",
      clock: "2026-03-01T09:00:00Z",
      config: parseConfig({
        homeRegion: "eu-west-1",
        controls: {
          "cloudfront-tls-to-origin": { mode: "off" },
          "cloudfront-viewer-https": { mode: "off" },
          "cloudfront-min-viewer-tls": { mode: "off" },
          "cloudfront-security-headers": { mode: "off" },
        },
      }),
      state: { cloudfront: { distributions: [distribution] }, origins: { "app.example.com": "ok" } } as never,
    });
    const config = structuredClone(distribution.DistributionConfig);
    config.Comment = "shop (spring sale)";

    // Act
    await runtime.change(
      "cloudfront",
      "UpdateDistribution",
      { Id: distribution.Id, IfMatch: distribution.ETag, DistributionConfig: config },
      iamUser("111122223333", "dave"),
    );

    // Assess
    const report = await runtime.report("cloudfront");
    const waf = report.executions.filter((execution) => execution.control === "cloudfront-waf-attached");
    expect(waf).toMatchObject([{ outcome: "reported" }]);
    expect(report.calls).toEqual([]);
    expect(report.notifications).toHaveLength(1);
    const message = report.notifications[0]?.message ?? "";
    expect(message).toMatch(
      /^DRIFT: review distribution E2EXAMPLE00001: driftwarden reported the drift and changed nothing\.$/m,
    );
    expect(message).toMatch(/^Reported because: cloudfront-waf-attached has no fix to make for this drift/m);
    expect(message).toMatch(/no web ACL is configured to attach/);
  });
});
