import {
  CloudFrontServiceException,
  CopyDistributionCommand,
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  InvalidIfMatchVersion,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  NoSuchDistribution,
  PreconditionFailed,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { Mutation } from "../../local/sandbox/cloudtrail.js";
import { DISTRIBUTION, failure, plugged } from "./helpers.js";

const cloudfront = () => clients.cloudfront();

async function current() {
  const { DistributionConfig, ETag } = await cloudfront().send(
    new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
  );
  return { config: DistributionConfig as DistributionConfig, etag: ETag as string };
}

function httpsOnly(config: DistributionConfig): DistributionConfig {
  const next = structuredClone(config);
  const origin = next.Origins?.Items?.[0];
  if (origin?.CustomOriginConfig) origin.CustomOriginConfig.OriginProtocolPolicy = "https-only";
  return next;
}

describe("CloudFront UpdateDistribution", () => {
  it("needs IfMatch", async () => {
    // Prepare
    plugged();
    const { config } = await current();

    // Act
    const error = await failure(
      cloudfront().send(new UpdateDistributionCommand({ Id: DISTRIBUTION, DistributionConfig: config })),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidIfMatchVersion);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it("rejects a stale ETag with PreconditionFailed (412)", async () => {
    // Prepare: someone else updates between our read and our write
    plugged();
    const { config, etag } = await current();
    await cloudfront().send(
      new UpdateDistributionCommand({
        Id: DISTRIBUTION,
        IfMatch: etag,
        DistributionConfig: { ...config, Comment: "theirs" },
      }),
    );

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateDistributionCommand({
          Id: DISTRIBUTION,
          IfMatch: etag,
          DistributionConfig: httpsOnly(config),
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(PreconditionFailed);
    expect(error.name).toBe("PreconditionFailed");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 412 });
    expect((await current()).config.Comment).toBe("theirs");
  });

  it.each([
    [
      "Quantity larger than Items",
      (c: DistributionConfig) => {
        (c.Origins as { Quantity: number }).Quantity = 2;
      },
      "InconsistentQuantities",
      "DistributionConfig.Origins.Quantity",
    ],
    [
      "an item added without Quantity",
      (c: DistributionConfig) => {
        c.Origins?.Items?.[0]?.CustomOriginConfig?.OriginSslProtocols?.Items?.push("TLSv1.1");
      },
      "InconsistentQuantities",
      "DistributionConfig.Origins.Items[0].CustomOriginConfig.OriginSslProtocols.Quantity",
    ],
    [
      "Quantity without Items",
      (c: DistributionConfig) => {
        c.Aliases = { Quantity: 1 };
      },
      "InconsistentQuantities",
      "DistributionConfig.Aliases.Quantity",
    ],
    [
      "a changed CallerReference",
      (c: DistributionConfig) => {
        c.CallerReference = "another";
      },
      "IllegalUpdate",
      "CallerReference",
    ],
    [
      "a behavior targeting no origin",
      (c: DistributionConfig) => {
        if (c.DefaultCacheBehavior) c.DefaultCacheBehavior.TargetOriginId = "gone";
      },
      "NoSuchOrigin",
      "DistributionConfig.DefaultCacheBehavior.TargetOriginId",
    ],
    [
      "an unknown origin protocol policy",
      (c: DistributionConfig) => {
        const custom = c.Origins?.Items?.[0]?.CustomOriginConfig;
        if (custom) custom.OriginProtocolPolicy = "https" as never;
      },
      "MalformedXML",
      "distributionConfig.origins.items.1.member.customOriginConfig.originProtocolPolicy",
    ],
  ])("rejects %s with %s, naming the field, and changes nothing", async (_case, edit, errorName, field) => {
    // Prepare
    const sandbox = plugged();
    const { config, etag } = await current();
    const before = sandbox.state();
    const broken = structuredClone(config);
    edit(broken);

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: broken }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(CloudFrontServiceException);
    expect(error.name).toBe(errorName);
    expect(error.message).toContain(field);
    expect(sandbox.state()).toEqual(before);
    expect((await current()).etag).toBe(etag);
  });

  it("accepts a custom origin without OriginSslProtocols, as the API does, and reports none afterwards", async () => {
    // Prepare: the API reference marks CustomOriginConfig.OriginSslProtocols "Required: No"
    plugged();
    const { config, etag } = await current();
    const custom = config.Origins?.Items?.[0]?.CustomOriginConfig;
    if (custom) delete custom.OriginSslProtocols;

    // Act
    const updated = await cloudfront().send(
      new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: config }),
    );
    const after = await current();

    // Assess
    expect(updated.ETag).not.toBe(etag);
    expect(after.config.Origins?.Items?.[0]?.CustomOriginConfig).toEqual({
      HTTPPort: 80,
      HTTPSPort: 443,
      OriginProtocolPolicy: "https-only",
      OriginReadTimeout: 60,
      OriginKeepaliveTimeout: 5,
    });
  });

  it.each([
    [
      "an HTTPS port CloudFront cannot use",
      (c: DistributionConfig) => {
        const custom = c.Origins?.Items?.[0]?.CustomOriginConfig;
        if (custom) custom.HTTPSPort = 1000;
      },
      "InvalidArgument",
      "DistributionConfig.Origins.Items[0].CustomOriginConfig.HTTPSPort: must be a port number: 80, 443 or 1024 to 65535",
    ],
    [
      "an empty OriginSslProtocols",
      (c: DistributionConfig) => {
        const custom = c.Origins?.Items?.[0]?.CustomOriginConfig;
        if (custom) custom.OriginSslProtocols = { Quantity: 0, Items: [] };
      },
      "InvalidArgument",
      "DistributionConfig.Origins.Items[0].CustomOriginConfig.OriginSslProtocols: must list at least one protocol",
    ],
    [
      "an origin SSL protocol CloudFront does not know",
      (c: DistributionConfig) => {
        const custom = c.Origins?.Items?.[0]?.CustomOriginConfig;
        if (custom) custom.OriginSslProtocols = { Quantity: 1, Items: ["TLSv1.3" as never] };
      },
      "MalformedXML",
      "Value 'TLSv1.3' at 'distributionConfig.origins.items.1.member.customOriginConfig.originSslProtocols.items.1.member' failed to satisfy constraint: Member must satisfy enum value set: [SSLv3, TLSv1, TLSv1.1, TLSv1.2]",
    ],
    [
      "an origin that is custom and S3 at once",
      (c: DistributionConfig) => {
        const origin = c.Origins?.Items?.[0];
        if (origin) origin.S3OriginConfig = { OriginAccessIdentity: "" };
      },
      "InvalidArgument",
      "DistributionConfig.Origins.Items[0]: an origin is one of S3OriginConfig, CustomOriginConfig or VpcOriginConfig, not S3OriginConfig and CustomOriginConfig",
    ],
  ])("refuses %s with %s", async (_case, edit, errorName, message) => {
    // Prepare
    const sandbox = plugged();
    const { config, etag } = await current();
    const before = sandbox.state();
    edit(config);

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: config }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name: errorName, $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain(message);
    expect(sandbox.state()).toEqual(before);
  });

  it("accepts Items left out when Quantity is 0", async () => {
    // Prepare
    plugged();
    const { config, etag } = await current();

    // Act
    const result = await cloudfront().send(
      new UpdateDistributionCommand({
        Id: DISTRIBUTION,
        IfMatch: etag,
        DistributionConfig: { ...config, Aliases: { Quantity: 0 } },
      }),
    );

    // Assess
    expect(result.Distribution?.DistributionConfig?.Aliases).toEqual({ Quantity: 0 });
  });

  it("stores the config as given (a member left out is gone), answers a new ETag, and deploys minutes later", async () => {
    // Prepare
    const sandbox = plugged();
    const { config, etag } = await current();
    const { DefaultRootObject: _dropped, ...fixed } = httpsOnly(config);

    // Act
    const result = await cloudfront().send(
      new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: fixed }),
    );
    const during = await cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION }));
    sandbox.clock.advance("PT5M");
    const after = await cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION }));

    // Assess
    expect(result.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(result.ETag).not.toBe(etag);
    expect(result.Distribution?.Status).toBe("InProgress");
    expect(result.Distribution?.LastModifiedTime).toEqual(new Date("2026-03-01T09:00:00Z"));
    expect(during.Distribution?.DistributionConfig).toEqual(fixed);
    expect(during.Distribution?.DistributionConfig).not.toHaveProperty("DefaultRootObject");
    expect(during.ETag).toBe(result.ETag);
    expect(after.Distribution?.Status).toBe("Deployed");
    expect(after.ETag).toBe(result.ETag);
  });

  it("gives a new ETag on every update and keeps InProgress until the latest change has deployed", async () => {
    // Prepare
    const sandbox = plugged();
    const first = await current();
    const one = await cloudfront().send(
      new UpdateDistributionCommand({
        Id: DISTRIBUTION,
        IfMatch: first.etag,
        DistributionConfig: { ...first.config, Comment: "one" },
      }),
    );
    sandbox.clock.advance("PT3M");

    // Act
    const two = await cloudfront().send(
      new UpdateDistributionCommand({
        Id: DISTRIBUTION,
        IfMatch: one.ETag,
        DistributionConfig: { ...first.config, Comment: "two" },
      }),
    );
    sandbox.clock.advance("PT3M");
    const midway = await cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION }));
    sandbox.clock.advance("PT3M");
    const settled = await cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION }));

    // Assess
    expect(new Set([first.etag, one.ETag, two.ETag]).size).toBe(3);
    expect(midway.Distribution?.Status).toBe("InProgress");
    expect(settled.Distribution?.Status).toBe("Deployed");
  });

  it("answers an unknown distribution with NoSuchDistribution (404)", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(cloudfront().send(new GetDistributionCommand({ Id: "E0000000000000" })));

    // Assess
    expect(error).toBeInstanceOf(NoSuchDistribution);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });

  it("reads a hand-written state's left-out members as AWS reports them, so writing it back is valid", async () => {
    // Prepare: no Comment, no origin ports, a behavior without ViewerProtocolPolicy
    const id = "E2HANDWRITTEN1";
    plugged({
      state: {
        cloudfront: {
          distributions: [
            {
              Id: id,
              ARN: `arn:aws:cloudfront::111122223333:distribution/${id}`,
              DomainName: "d2handwritten.cloudfront.net",
              ETag: "E1HANDETAG0001",
              DistributionConfig: {
                CallerReference: "hand-1",
                Enabled: true,
                Origins: {
                  Quantity: 1,
                  Items: [
                    {
                      Id: "app",
                      DomainName: "app.example.com",
                      CustomOriginConfig: {
                        OriginProtocolPolicy: "http-only",
                        OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
                      },
                    },
                  ],
                },
                DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "https-only" },
                CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: "/api/*", TargetOriginId: "app" }] },
              },
            },
          ],
        },
      },
    });
    const read = await cloudfront().send(new GetDistributionConfigCommand({ Id: id }));
    const config = read.DistributionConfig as DistributionConfig;

    // Act
    const written = await cloudfront().send(
      new UpdateDistributionCommand({ Id: id, IfMatch: read.ETag, DistributionConfig: httpsOnly(config) }),
    );

    // Assess
    expect(config.Comment).toBe("");
    expect(config.Origins?.Items?.[0]?.CustomOriginConfig).toMatchObject({ HTTPPort: 80, HTTPSPort: 443 });
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe("https-only");
    expect(config.CacheBehaviors?.Items?.[0]?.ViewerProtocolPolicy).toBe("allow-all");
    expect(written.Distribution?.DistributionConfig?.Origins?.Items?.[0]?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: "https-only",
    });
  });
});

describe("CloudFront listing, tags and creation", () => {
  it("lists distribution summaries page by page", async () => {
    // Prepare
    plugged();
    const { config } = await current();
    const created = await cloudfront().send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          // Its own alias: CloudFront gives an alias to one distribution only.
          DistributionConfig: { ...config, CallerReference: "second", Aliases: { Quantity: 0 } },
          Tags: { Items: [{ Key: "team", Value: "shop" }] },
        },
      }),
    );

    // Act
    const first = await cloudfront().send(new ListDistributionsCommand({ MaxItems: 1 }));
    const second = await cloudfront().send(
      new ListDistributionsCommand({ MaxItems: 1, Marker: first.DistributionList?.NextMarker }),
    );
    const tags = await cloudfront().send(
      new ListTagsForResourceCommand({ Resource: created.Distribution?.ARN }),
    );

    // Assess
    expect(created.Distribution?.Id).toMatch(/^E[0-9A-Z]{13}$/);
    expect(created.Distribution?.DomainName).toMatch(/^d[0-9a-z]{13}\.cloudfront\.net$/);
    expect(first.DistributionList).toMatchObject({
      IsTruncated: true,
      Quantity: 1,
      MaxItems: 1,
      NextMarker: DISTRIBUTION,
    });
    expect(first.DistributionList?.Items?.[0]).toMatchObject({
      Id: DISTRIBUTION,
      Status: "Deployed",
      Comment: "storefront",
      Origins: config.Origins,
    });
    expect(second.DistributionList).toMatchObject({ IsTruncated: false, Quantity: 1, Marker: DISTRIBUTION });
    expect(second.DistributionList?.Items?.[0]?.Id).toBe(created.Distribution?.Id);
    expect(tags.Tags?.Items).toEqual([{ Key: "team", Value: "shop" }]);
  });
});

describe("CloudFront continuous deployment (CopyDistribution, UpdateDistributionWithStagingConfig)", () => {
  async function stagingCopy() {
    const { etag } = await current();
    const copied = await cloudfront().send(
      new CopyDistributionCommand({
        PrimaryDistributionId: DISTRIBUTION,
        CallerReference: "staging-1",
        Staging: true,
        IfMatch: etag,
      }),
    );
    return { id: copied.Distribution?.Id as string, etag: copied.ETag as string, copied };
  }

  it("copies the primary's configuration into a new staging distribution without aliases", async () => {
    // Prepare
    const sandbox = plugged();
    const { config } = await current();

    // Act
    const { id, copied } = await stagingCopy();

    // Assess
    expect(id).not.toBe(DISTRIBUTION);
    expect(copied.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}`);
    expect(copied.Distribution?.DistributionConfig).toMatchObject({
      CallerReference: "staging-1",
      Staging: true,
      Aliases: { Quantity: 0 },
      Origins: config.Origins,
    });
    // Its CloudTrail echo names the new distribution only in the response, as AWS records it.
    const event = sandbox.cloudTrailEvent(sandbox.mutations.at(-1) as Mutation);
    expect(event.detail).toMatchObject({
      eventName: "CopyDistribution",
      requestParameters: { primaryDistributionId: DISTRIBUTION, staging: true },
      responseElements: { distribution: { id } },
    });
  });

  it("refuses a copy against a stale primary ETag", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      cloudfront().send(
        new CopyDistributionCommand({
          PrimaryDistributionId: DISTRIBUTION,
          CallerReference: "x",
          IfMatch: "EOLD",
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(PreconditionFailed);
  });

  it("promotes the staging configuration but keeps the primary's identity fields", async () => {
    // Prepare
    plugged();
    const { id, etag: stagingEtag } = await stagingCopy();
    const staged = await cloudfront().send(new GetDistributionConfigCommand({ Id: id }));
    const changed = httpsOnly(staged.DistributionConfig as DistributionConfig);
    changed.Comment = "promoted";
    const updated = await cloudfront().send(
      new UpdateDistributionCommand({ Id: id, IfMatch: stagingEtag, DistributionConfig: changed }),
    );
    const before = await current();

    // Act
    const promoted = await cloudfront().send(
      new UpdateDistributionWithStagingConfigCommand({
        Id: DISTRIBUTION,
        StagingDistributionId: id,
        IfMatch: `${before.etag}, ${updated.ETag}`,
      }),
    );

    // Assess
    expect(promoted.ETag).not.toBe(before.etag);
    expect(promoted.Distribution?.DistributionConfig).toMatchObject({
      Comment: "promoted",
      CallerReference: before.config.CallerReference,
      Aliases: before.config.Aliases,
      Staging: false,
    });
  });

  it.each([
    { name: "only the primary's ETag", ifMatch: (primary: string) => primary, error: InvalidIfMatchVersion },
    {
      name: "a stale staging ETag",
      ifMatch: (primary: string) => `${primary}, EOLD`,
      error: PreconditionFailed,
    },
  ])("refuses a promotion with $name", async ({ ifMatch, error: expected }) => {
    // Prepare
    plugged();
    const { id } = await stagingCopy();
    const { etag } = await current();

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateDistributionWithStagingConfigCommand({
          Id: DISTRIBUTION,
          StagingDistributionId: id,
          IfMatch: ifMatch(etag),
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(expected);
  });
});

describe("CloudFront tag constraints", () => {
  const ARN = `arn:aws:cloudfront::111122223333:distribution/${DISTRIBUTION}`;

  it.each([
    [
      "a newline",
      { Key: "driftwarden:exempt", Value: "2026-12-31 ok\nAPPROVED by on-call" },
      "value",
      "regular expression pattern",
    ],
    [
      "a semicolon",
      { Key: "driftwarden:exempt", Value: "2026-12-31 ticket 42; approved" },
      "value",
      "regular expression pattern",
    ],
    [
      "quotes and angle brackets",
      { Key: "note", Value: '<a href="x">approve</a>' },
      "value",
      "regular expression pattern",
    ],
    ["a comma in the key", { Key: "team,owner", Value: "shop" }, "key", "regular expression pattern"],
    ["257 characters", { Key: "note", Value: "a".repeat(257) }, "value", "length less than or equal to 256"],
  ])(
    "refuses a tag with %s as CloudFront's model does, and tags nothing",
    async (_case, tag, member, constraint) => {
      // Prepare
      const sandbox = plugged();
      const before = sandbox.state().cloudfront.distributions[0]?.Tags;

      // Act
      const error = await failure(
        cloudfront().send(
          new TagResourceCommand({ Resource: ARN, Tags: { Items: [{ Key: "team", Value: "shop" }, tag] } }),
        ),
      );

      // Assess
      expect(error).toMatchObject({ name: "MalformedXML", $metadata: { httpStatusCode: 400 } });
      expect(error.message).toContain(
        `at 'tags.items.2.member.${member}' failed to satisfy constraint: Member must`,
      );
      expect(error.message).toContain(constraint);
      expect(sandbox.state().cloudfront.distributions[0]?.Tags).toEqual(before);
    },
  );

  it.each([
    ["add a tag", { Key: "aws:cloudformation:stack-name", Value: "payments-prod" }],
    ["add a tag in another case", { Key: "AWS:CloudFormation:stack-name", Value: "payments-prod" }],
    ["remove a tag", undefined],
  ])("refuses to %s under AWS's reserved aws: prefix (InvalidTagging)", async (_case, tag) => {
    // Prepare
    const sandbox = plugged();
    const before = sandbox.state().cloudfront.distributions[0]?.Tags;

    // Act
    const error = await failure(
      tag
        ? cloudfront().send(new TagResourceCommand({ Resource: ARN, Tags: { Items: [tag] } }))
        : cloudfront().send(
            new UntagResourceCommand({
              Resource: ARN,
              TagKeys: { Items: ["aws:cloudformation:stack-name"] },
            }),
          ),
    );

    // Assess
    expect(error).toMatchObject({ name: "InvalidTagging", $metadata: { httpStatusCode: 400 } });
    expect(sandbox.state().cloudfront.distributions[0]?.Tags).toEqual(before);
  });

  it("accepts letters of any script, digits, spaces and _ . : / = + - @", async () => {
    // Prepare
    plugged();
    const tag = { Key: "driftwarden:exempt", Value: "2026-12-31 Änderung: CHG-42 / ops@example.com = ok +1" };

    // Act
    await cloudfront().send(new TagResourceCommand({ Resource: ARN, Tags: { Items: [tag] } }));
    const tags = await cloudfront().send(new ListTagsForResourceCommand({ Resource: ARN }));

    // Assess
    expect(tags.Tags?.Items).toContainEqual(tag);
  });
});

describe("CloudFront DeleteDistribution", () => {
  async function disable() {
    const { config, etag } = await current();
    const updated = await cloudfront().send(
      new UpdateDistributionCommand({
        Id: DISTRIBUTION,
        IfMatch: etag,
        DistributionConfig: { ...config, Enabled: false },
      }),
    );
    return updated.ETag as string;
  }

  it("deletes a disabled distribution once the disabling has deployed; it is then gone", async () => {
    // Prepare
    const sandbox = plugged();
    const etag = await disable();
    sandbox.clock.advance("PT10M");

    // Act
    await cloudfront().send(new DeleteDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag }));
    const error = await failure(cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION })));

    // Assess
    expect(error).toMatchObject({ name: "NoSuchDistribution", $metadata: { httpStatusCode: 404 } });
    expect(sandbox.state().cloudfront.distributions).toEqual([]);
  });

  it.each([
    ["still enabled", false, false, "DistributionNotDisabled", 409],
    ["disabled but not yet deployed", true, false, "DistributionNotDisabled", 409],
    ["disabled, deployed, but under a stale ETag", true, true, "PreconditionFailed", 412],
  ])("refuses a distribution %s and keeps it", async (_case, disabled, deployed, name, status) => {
    // Prepare
    const sandbox = plugged();
    const etag = disabled ? await disable() : (await current()).etag;
    if (deployed) sandbox.clock.advance("PT10M");
    const ifMatch = name === "PreconditionFailed" ? "E2SOMEONEELSES" : etag;

    // Act
    const error = await failure(
      cloudfront().send(new DeleteDistributionCommand({ Id: DISTRIBUTION, IfMatch: ifMatch })),
    );

    // Assess
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(sandbox.state().cloudfront.distributions.map((d) => d.Id)).toEqual([DISTRIBUTION]);
  });
});
