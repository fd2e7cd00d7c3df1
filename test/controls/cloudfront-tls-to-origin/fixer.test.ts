import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detect } from "../../../functions/controls/cloudfront-tls-to-origin/detector.js";
import {
  applyEdits,
  plan,
  plannedOrigins,
} from "../../../functions/controls/cloudfront-tls-to-origin/planner.js";
import type { Change } from "../../../functions/controls/types.js";
import { ConcurrentModificationError, FixFailedError } from "../../../functions/lib/errors.js";
import { FakeCloudFront } from "./fake-cloudfront.js";
import {
  applyAll as apply,
  baseConfig,
  configWith,
  context,
  customOrigin,
  distributionArn,
  distributionId,
  snapshotOf,
} from "./helpers.js";

/** The scenario's drift: someone switched the origin "api" to http-only. */
function driftedConfig() {
  const config = baseConfig();
  const custom = config.Origins?.Items?.[0]?.CustomOriginConfig;
  if (!custom) throw new Error("fixture has no custom origin");
  custom.OriginProtocolPolicy = "http-only";
  custom.OriginSslProtocols = { Quantity: 2, Items: ["TLSv1.1", "TLSv1.2"] };
  return config;
}

function originConfig(fake: FakeCloudFront, originId: string) {
  return fake.get(distributionId).config.Origins?.Items?.find((origin) => origin.Id === originId)
    ?.CustomOriginConfig;
}

describe("cloudfront-tls-to-origin fixer", () => {
  let fake: FakeCloudFront;
  let uninstall: () => void;

  beforeEach(() => {
    fake = new FakeCloudFront();
    uninstall = fake.install();
  });

  afterEach(() => {
    uninstall();
  });

  it("sets the two fields with IfMatch and passes every other field back untouched", async () => {
    // Prepare
    const drifted = driftedConfig();
    const stored = fake.add(distributionId, drifted);
    const readEtag = stored.etag;
    const fix = plan(snapshotOf(drifted, { etag: readEtag }));

    // Act
    const changes = await apply(context(), distributionArn, fix);

    // Assess
    expect(fake.commands()).toEqual(["GetDistributionConfig", "UpdateDistribution"]);
    const update = fake.calls[1]?.input;
    expect(update?.IfMatch).toBe(readEtag);
    expect(update?.DistributionConfig).toEqual(applyEdits(drifted, plannedOrigins(fix[0] as Change)));
    expect(fake.get(distributionId).config).toEqual(baseConfig());
    expect(changes).toEqual([
      {
        service: "cloudfront",
        action: "UpdateDistribution",
        input: {
          Id: distributionId,
          IfMatch: readEtag,
          changes: [
            {
              originId: "api",
              domainName: "api-origin.example.org",
              httpsPort: 443,
              set: { OriginProtocolPolicy: "https-only", OriginSslProtocols: ["TLSv1.2"] },
            },
          ],
        },
      },
    ]);
  });

  it("re-reads and re-plans after PreconditionFailed, so a concurrent edit and the fix both survive", async () => {
    // Prepare
    const drifted = driftedConfig();
    fake.add(distributionId, drifted);
    const fix = plan(snapshotOf(drifted));
    let interfered = false;
    fake.beforeUpdate = () => {
      if (interfered) return;
      interfered = true;
      fake.edit(distributionId, (config) => {
        config.Comment = "edited by alice meanwhile";
      });
    };

    // Act
    const changes = await apply(context(), distributionArn, fix);

    // Assess
    expect(fake.commands()).toEqual([
      "GetDistributionConfig",
      "UpdateDistribution",
      "GetDistributionConfig",
      "UpdateDistribution",
    ]);
    const stored = fake.get(distributionId).config;
    expect(stored.Comment).toBe("edited by alice meanwhile");
    expect(originConfig(fake, "api")?.OriginProtocolPolicy).toBe("https-only");
    expect(originConfig(fake, "api")?.OriginSslProtocols?.Items).toEqual(["TLSv1.2"]);
    expect({ ...stored, Comment: "storefront" }).toEqual(baseConfig());
    const secondEtag = fake.calls[3]?.input.IfMatch;
    expect(secondEtag).not.toBe(fake.calls[1]?.input.IfMatch);
    expect(changes[0]?.input.IfMatch).toBe(secondEtag);
  });

  it("re-plans against the fresh config: a field someone else already fixed is not part of the write", async () => {
    // Prepare
    const drifted = driftedConfig();
    fake.add(distributionId, drifted);
    const fix = plan(snapshotOf(drifted));
    fake.edit(distributionId, (config) => {
      const custom = config.Origins?.Items?.[0]?.CustomOriginConfig;
      if (custom) custom.OriginProtocolPolicy = "https-only";
    });

    // Act
    const changes = await apply(context(), distributionArn, fix);

    // Assess
    expect(changes[0]?.input.changes).toEqual([
      {
        originId: "api",
        domainName: "api-origin.example.org",
        httpsPort: 443,
        set: { OriginSslProtocols: ["TLSv1.2"] },
      },
    ]);
    expect(detect(snapshotOf(fake.get(distributionId).config)).status).toBe("compliant");
  });

  it("writes nothing when a concurrent edit re-pointed a planned origin at a host or port that was not probed", async () => {
    // Prepare: the plan probed api-origin.example.org:443; alice moves the origin before the write lands
    const drifted = driftedConfig();
    fake.add(distributionId, drifted);
    const fix = plan(snapshotOf(drifted));
    let interfered = false;
    fake.beforeUpdate = () => {
      if (interfered) return;
      interfered = true;
      fake.edit(distributionId, (config) => {
        const origin = config.Origins?.Items?.[0];
        if (origin?.CustomOriginConfig) {
          origin.DomainName = "new-backend.example.org";
          origin.CustomOriginConfig.HTTPSPort = 8443;
        }
      });
    };

    // Act
    const error = await apply(context(), distributionArn, fix).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );

    // Assess
    expect(error).toBeInstanceOf(FixFailedError);
    expect(error?.message).toContain("new-backend.example.org:8443");
    expect(fake.commands()).toEqual(["GetDistributionConfig", "UpdateDistribution", "GetDistributionConfig"]);
    expect(originConfig(fake, "api")?.OriginProtocolPolicy).toBe("http-only");
  });

  it("gives up with ConcurrentModificationError after 3 lost races", async () => {
    // Prepare
    const drifted = driftedConfig();
    fake.add(distributionId, drifted);
    const fix = plan(snapshotOf(drifted));
    let edits = 0;
    fake.beforeUpdate = () => {
      edits += 1;
      fake.edit(distributionId, (config) => {
        config.Comment = `busy pipeline edit ${edits}`;
      });
    };

    // Act
    const attempt = apply(context(), distributionArn, fix);

    // Assess
    await expect(attempt).rejects.toThrow(ConcurrentModificationError);
    await expect(attempt).rejects.toThrow(new RegExp(`distribution ${distributionId}`));
    expect(fake.commands().filter((command) => command === "UpdateDistribution")).toHaveLength(3);
    expect(fake.commands().filter((command) => command === "GetDistributionConfig")).toHaveLength(3);
    expect(originConfig(fake, "api")?.OriginProtocolPolicy).toBe("http-only");
  });

  it("makes no call when the fresh config is already compliant", async () => {
    // Prepare
    const drifted = driftedConfig();
    fake.add(distributionId, baseConfig());
    const fix = plan(snapshotOf(drifted));

    // Act
    const changes = await apply(context(), distributionArn, fix);

    // Assess
    expect(changes).toEqual([]);
    expect(fake.commands()).toEqual(["GetDistributionConfig"]);
  });

  it("leaves alone an origin that started offending after the plan was made (it was never probed)", async () => {
    // Prepare
    const planned = configWith({
      origins: [
        customOrigin("api", "api.example.org", "http-only"),
        customOrigin("other", "other.example.org", "https-only"),
      ],
    });
    fake.add(distributionId, planned);
    const fix = plan(snapshotOf(planned));
    fake.edit(distributionId, (config) => {
      const other = config.Origins?.Items?.[1]?.CustomOriginConfig;
      if (other) other.OriginProtocolPolicy = "http-only";
    });

    // Act
    const changes = await apply(context(), distributionArn, fix);

    // Assess
    expect(changes[0]?.input.changes).toEqual([
      {
        originId: "api",
        domainName: "api.example.org",
        httpsPort: 443,
        set: { OriginProtocolPolicy: "https-only" },
      },
    ]);
    expect(originConfig(fake, "api")?.OriginProtocolPolicy).toBe("https-only");
    expect(originConfig(fake, "other")?.OriginProtocolPolicy).toBe("http-only");
  });

  it.each(["Throttling", "AccessDenied"])("lets %s propagate under its SDK name", async (name) => {
    // Prepare
    const drifted = driftedConfig();
    fake.add(distributionId, drifted);
    const error = Object.assign(new Error(`${name} from CloudFront`), { name });
    fake.failNext = { command: "UpdateDistribution", error };

    // Act
    const attempt = apply(context(), distributionArn, plan(snapshotOf(drifted)));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name });
    expect(fake.commands()).toEqual(["GetDistributionConfig", "UpdateDistribution"]);
  });
});
