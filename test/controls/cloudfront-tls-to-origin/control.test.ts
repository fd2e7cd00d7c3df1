import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudfrontTlsToOrigin } from "../../../functions/controls/cloudfront-tls-to-origin/index.js";
import { FakeCloudFront } from "./fake-cloudfront.js";
import { account, applyAll, baseConfig, context, distributionArn, distributionId } from "./helpers.js";

const control = cloudfrontTlsToOrigin;

describe("cloudfront-tls-to-origin control against a fake CloudFront", () => {
  let fake: FakeCloudFront;
  let uninstall: () => void;

  beforeEach(() => {
    fake = new FakeCloudFront(account);
    uninstall = fake.install();
  });

  afterEach(() => {
    uninstall();
  });

  it("collects status, configuration, ETag and tags", async () => {
    // Prepare
    const stored = fake.add(distributionId, baseConfig(), { status: "Deployed", tags: { team: "web" } });

    // Act
    const snapshot = await control.collect(context(), distributionArn);

    // Assess
    expect(snapshot).toEqual({
      id: distributionId,
      arn: distributionArn,
      etag: stored.etag,
      status: "Deployed",
      domainName: "e1qsdf4example.cloudfront.net",
      config: baseConfig(),
      tags: { team: "web" },
      vpcOrigins: {},
    });
    expect(snapshot && control.tags(snapshot)).toEqual({ team: "web" });
  });

  it("collects null for a distribution that no longer exists", async () => {
    // Prepare
    const gone = `arn:aws:cloudfront::${account}:distribution/EGONE`;

    // Act
    const snapshot = await control.collect(context(), gone);

    // Assess
    expect(snapshot).toBeNull();
  });

  it("lists every distribution across pages", async () => {
    // Prepare
    fake.pageSize = 2;
    const ids = ["EA1", "EB2", "EC3", "ED4", "EE5"];
    for (const id of ids) fake.add(id, baseConfig());

    // Act
    const arns = await control.listResources(context());

    // Assess
    expect(arns).toEqual(ids.map((id) => `arn:aws:cloudfront::${account}:distribution/${id}`));
    expect(fake.commands()).toEqual(["ListDistributions", "ListDistributions", "ListDistributions"]);
    expect(fake.calls.map((call) => call.input.Marker)).toEqual([undefined, "2", "4"]);
  });

  it("drives the scenario's drift from detection to a verified fix", async () => {
    // Prepare
    fake.add(distributionId, baseConfig());
    fake.edit(distributionId, (config) => {
      const custom = config.Origins?.Items?.[0]?.CustomOriginConfig;
      if (custom) custom.OriginProtocolPolicy = "http-only";
    });
    const ctx = context(async () => ({ status: "ok", protocol: "TLSv1.3", detail: "fake" }));

    // Act
    const snapshot = await control.collect(ctx, distributionArn);
    if (!snapshot) throw new Error("distribution not collected");
    const finding = control.detect(snapshot, {});
    const planned = control.plan(snapshot, {});
    const risks = await control.assessRisk(snapshot, planned, ctx, {});
    const made = await applyAll(ctx, distributionArn, planned);
    const after = await control.collect(ctx, distributionArn);
    if (!after) throw new Error("distribution not collected after the fix");

    // Assess
    expect(finding).toEqual({
      status: "non-compliant",
      message: 'origin "api" (api-origin.example.org): OriginProtocolPolicy is http-only',
    });
    expect(risks).toEqual([{ level: "automatic", reasons: [] }]);
    expect(made.map(({ input: { IfMatch: _etag, ...rest } }) => rest)).toEqual(planned.map((c) => c.input));
    expect(control.detect(after, {}).status).toBe("compliant");
    expect(planned.every((change) => control.inEffect(after, change))).toBe(true);
    expect(planned.some((change) => control.inEffect(snapshot, change))).toBe(false);
    expect(fake.get(distributionId).config).toEqual(baseConfig());
  });

  it("declares exactly the IAM actions its code calls", () => {
    // Prepare / Act
    const { readActions, fixActions } = control.metadata;

    // Assess
    expect([...readActions].sort()).toEqual([
      "cloudfront:GetDistribution",
      "cloudfront:GetVpcOrigin",
      "cloudfront:ListDistributions",
      "cloudfront:ListTagsForResource",
    ]);
    expect([...fixActions].sort()).toEqual([
      "cloudfront:GetDistributionConfig",
      "cloudfront:UpdateDistribution",
    ]);
  });
});
