import {
  CloudFrontServiceException,
  type DistributionConfig,
  GetDistributionConfigCommand,
  GetVpcOriginCommand,
  ListVpcOriginsCommand,
  type Origin,
  UpdateDistributionCommand,
  UpdateVpcOriginCommand,
  type VpcOriginEndpointConfig,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { Mutation } from "../../local/sandbox/cloudtrail.js";
import {
  cloudFrontState,
  DISTRIBUTION,
  failure,
  INTERNAL_ALB,
  plugged,
  VPC_ORIGIN_ID,
  vpcOrigin,
} from "./helpers.js";

const cloudfront = () => clients.cloudfront();
const SECOND_ID = "vo_7Hd2kLm9QwErTyUiOpAsDf";

function withVpcOrigins() {
  return plugged({
    state: cloudFrontState({ vpcOrigins: [vpcOrigin(), vpcOrigin(SECOND_ID, "shop-search-nlb")] }),
  });
}

async function read(id = VPC_ORIGIN_ID) {
  const { VpcOrigin, ETag } = await cloudfront().send(new GetVpcOriginCommand({ Id: id }));
  return {
    origin: VpcOrigin,
    etag: ETag as string,
    config: VpcOrigin?.VpcOriginEndpointConfig as VpcOriginEndpointConfig,
  };
}

function tls12(config: VpcOriginEndpointConfig): VpcOriginEndpointConfig {
  return {
    ...config,
    OriginProtocolPolicy: "https-only",
    OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
  };
}

describe("CloudFront VPC origins", () => {
  it("answers GetVpcOrigin as CloudFront reports the VPC origin", async () => {
    // Prepare
    withVpcOrigins();

    // Act
    const { origin, etag } = await read();

    // Assess
    expect(etag).toBe("ETVPDKIKX0DER");
    expect(origin).toEqual({
      Id: VPC_ORIGIN_ID,
      Arn: `arn:aws:cloudfront::111122223333:vpcorigin/${VPC_ORIGIN_ID}`,
      Status: "Deployed",
      CreatedTime: new Date("2026-01-10T08:00:00Z"),
      LastModifiedTime: new Date("2026-01-10T08:00:00Z"),
      VpcOriginEndpointConfig: (vpcOrigin() as { VpcOrigin: { VpcOriginEndpointConfig: unknown } }).VpcOrigin
        .VpcOriginEndpointConfig,
    });
  });

  it("lists VPC origin summaries page by page", async () => {
    // Prepare
    withVpcOrigins();

    // Act
    const first = await cloudfront().send(new ListVpcOriginsCommand({ MaxItems: 1 }));
    const second = await cloudfront().send(
      new ListVpcOriginsCommand({ MaxItems: 1, Marker: first.VpcOriginList?.NextMarker }),
    );

    // Assess
    expect(first.VpcOriginList).toEqual({
      Marker: "",
      NextMarker: VPC_ORIGIN_ID,
      MaxItems: 1,
      IsTruncated: true,
      Quantity: 1,
      Items: [
        {
          Id: VPC_ORIGIN_ID,
          Name: "shop-internal-alb",
          Status: "Deployed",
          CreatedTime: new Date("2026-01-10T08:00:00Z"),
          LastModifiedTime: new Date("2026-01-10T08:00:00Z"),
          Arn: `arn:aws:cloudfront::111122223333:vpcorigin/${VPC_ORIGIN_ID}`,
          OriginEndpointArn: INTERNAL_ALB,
        },
      ],
    });
    expect(second.VpcOriginList).toMatchObject({ Marker: VPC_ORIGIN_ID, IsTruncated: false, Quantity: 1 });
    expect(second.VpcOriginList?.Items?.map((o) => o.Name)).toEqual(["shop-search-nlb"]);
  });

  it("updates with IfMatch: new ETag, Deploying until the change has deployed, and the state shows it", async () => {
    // Prepare
    const sandbox = withVpcOrigins();
    const { etag, config } = await read();

    // Act
    const updated = await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: VPC_ORIGIN_ID,
        IfMatch: etag,
        VpcOriginEndpointConfig: tls12(config),
      }),
    );
    const during = await read();
    sandbox.clock.advance("PT5M");
    const after = await read();

    // Assess
    expect(updated.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(updated.ETag).not.toBe(etag);
    expect(updated.VpcOrigin).toMatchObject({
      Status: "Deploying",
      CreatedTime: new Date("2026-01-10T08:00:00Z"),
      LastModifiedTime: new Date("2026-03-01T09:00:00Z"),
      VpcOriginEndpointConfig: tls12(config),
    });
    expect(during).toMatchObject({ etag: updated.ETag, origin: { Status: "Deploying" } });
    expect(after).toMatchObject({
      etag: updated.ETag,
      origin: { Status: "Deployed" },
      config: tls12(config),
    });
    expect(sandbox.state().cloudfront.vpcOrigins[0]).toMatchObject({
      ETag: updated.ETag,
      VpcOrigin: {
        Status: "Deployed",
        LastModifiedTime: "2026-03-01T09:00:00.000Z",
        VpcOriginEndpointConfig: tls12(config),
      },
    });
  });

  it("accepts an endpoint config without OriginSslProtocols and reports none", async () => {
    // Prepare
    withVpcOrigins();
    const { etag, config } = await read();
    const { OriginSslProtocols: _left, ...without } = config;

    // Act
    await cloudfront().send(
      new UpdateVpcOriginCommand({ Id: VPC_ORIGIN_ID, IfMatch: etag, VpcOriginEndpointConfig: without }),
    );

    // Assess
    expect((await read()).config).toEqual(without);
  });

  it("echoes UpdateVpcOrigin to CloudTrail as CloudFront records it, in us-east-1", async () => {
    // Prepare
    const sandbox = withVpcOrigins();
    const { etag, config } = await read();

    // Act
    const updated = await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: VPC_ORIGIN_ID,
        IfMatch: etag,
        VpcOriginEndpointConfig: tls12(config),
      }),
    );

    // Assess
    expect(sandbox.mutations.map((m) => m.action)).toEqual(["UpdateVpcOrigin"]);
    const event = sandbox.cloudTrailEvent(sandbox.mutations[0] as Mutation);
    expect(event).toMatchObject({
      source: "aws.cloudfront",
      region: "us-east-1",
      detail: {
        eventName: "UpdateVpcOrigin",
        eventSource: "cloudfront.amazonaws.com",
        awsRegion: "us-east-1",
        userIdentity: { sessionContext: { sessionIssuer: { arn: sandbox.remediatorRoleArn } } },
        requestParameters: {
          id: VPC_ORIGIN_ID,
          ifMatch: etag,
          vpcOriginEndpointConfig: {
            name: "shop-internal-alb",
            arn: INTERNAL_ALB,
            hTTPPort: 80,
            hTTPSPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: { quantity: 1, items: ["TLSv1.2"] },
          },
        },
        responseElements: {
          vpcOrigin: { id: VPC_ORIGIN_ID, status: "Deploying", lastModifiedTime: "Mar 1, 2026 9:00:00 AM" },
          eTag: updated.ETag,
        },
      },
    });
  });

  it("refuses a stale ETag with PreconditionFailed (412) and keeps the other writer's change", async () => {
    // Prepare: someone else updates between our read and our write
    withVpcOrigins();
    const { etag, config } = await read();
    await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: VPC_ORIGIN_ID,
        IfMatch: etag,
        VpcOriginEndpointConfig: { ...config, HTTPPort: 8080 },
      }),
    );

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateVpcOriginCommand({
          Id: VPC_ORIGIN_ID,
          IfMatch: etag,
          VpcOriginEndpointConfig: tls12(config),
        }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    expect((await read()).config).toMatchObject({ HTTPPort: 8080, OriginProtocolPolicy: "http-only" });
  });

  it.each([
    ["no IfMatch", { Id: VPC_ORIGIN_ID }, "InvalidIfMatchVersion", 400],
    ["an unknown id", { Id: "vo_doesNotExist000000000", IfMatch: "ETVPDKIKX0DER" }, "EntityNotFound", 404],
  ])("refuses an update with %s (%s)", async (_case, target, name, status) => {
    // Prepare
    const sandbox = withVpcOrigins();
    const { config } = await read();

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateVpcOriginCommand({ ...target, VpcOriginEndpointConfig: tls12(config) } as never),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(sandbox.mutations).toEqual([]);
  });

  it.each([
    [
      "an origin protocol policy CloudFront does not know",
      (c: Record<string, unknown>) => {
        c.OriginProtocolPolicy = "https";
      },
      "MalformedXML",
      "Value 'https' at 'vpcOriginEndpointConfig.originProtocolPolicy' failed to satisfy constraint: Member must satisfy enum value set: [http-only, match-viewer, https-only]",
    ],
    [
      "an SSL protocol CloudFront does not offer origins",
      (c: Record<string, unknown>) => {
        c.OriginSslProtocols = { Quantity: 1, Items: ["TLSv1.3"] };
      },
      "MalformedXML",
      "'vpcOriginEndpointConfig.originSslProtocols.items.1.member'",
    ],
    [
      "a privileged HTTPS port",
      (c: Record<string, unknown>) => {
        c.HTTPSPort = 636;
      },
      "InvalidArgument",
      "VpcOriginEndpointConfig.HTTPSPort: must be a port number: 80, 443 or 1024 to 65535",
    ],
    [
      "an endpoint that is not a load balancer or an instance",
      (c: Record<string, unknown>) => {
        c.Arn = "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/shop-tg/11aa22bb33cc44dd";
      },
      "InvalidArgument",
      "VpcOriginEndpointConfig.Arn",
    ],
    [
      "no name",
      (c: Record<string, unknown>) => {
        delete c.Name;
      },
      "InvalidArgument",
      "VpcOriginEndpointConfig.Name: is required",
    ],
    [
      "a Quantity that disagrees with Items",
      (c: Record<string, unknown>) => {
        c.OriginSslProtocols = { Quantity: 2, Items: ["TLSv1.2"] };
      },
      "InconsistentQuantities",
      "VpcOriginEndpointConfig.OriginSslProtocols.Quantity is 2 but Items has 1 entry",
    ],
  ])("refuses %s with %s and changes nothing", async (_case, edit, name, message) => {
    // Prepare
    const sandbox = withVpcOrigins();
    const { etag, config } = await read();
    const broken = structuredClone(config) as unknown as Record<string, unknown>;
    edit(broken);

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateVpcOriginCommand({
          Id: VPC_ORIGIN_ID,
          IfMatch: etag,
          VpcOriginEndpointConfig: broken as never,
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(CloudFrontServiceException);
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain(message);
    expect(await read()).toMatchObject({ etag, config });
    expect(sandbox.failures.map((f) => [f.action, f.errorCode])).toEqual([["UpdateVpcOrigin", name]]);
  });

  it("accepts an EC2 instance or a Network Load Balancer as the endpoint", async () => {
    // Prepare
    withVpcOrigins();
    const instance = "arn:aws:ec2:us-west-2:111122223333:instance/i-0123456789abcdef0";
    const nlb =
      "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/shop-search/0a1b2c3d4e5f6a7b";
    const first = await read();

    // Act
    const one = await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: VPC_ORIGIN_ID,
        IfMatch: first.etag,
        VpcOriginEndpointConfig: { ...first.config, Arn: instance },
      }),
    );
    const two = await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: VPC_ORIGIN_ID,
        IfMatch: one.ETag,
        VpcOriginEndpointConfig: { ...first.config, Arn: nlb },
      }),
    );

    // Assess
    expect(one.VpcOrigin?.VpcOriginEndpointConfig?.Arn).toBe(instance);
    expect(two.VpcOrigin?.VpcOriginEndpointConfig?.Arn).toBe(nlb);
  });
});

describe("a distribution origin's VpcOriginConfig", () => {
  async function addVpcOrigin(vpcOriginId: string) {
    const { DistributionConfig, ETag } = await cloudfront().send(
      new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
    );
    const config = DistributionConfig as DistributionConfig;
    const internal: Origin = {
      Id: "internal",
      DomainName: "internal-shop-internal-1234567890.us-west-2.elb.amazonaws.com",
      VpcOriginConfig: { VpcOriginId: vpcOriginId, OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
    };
    config.Origins = { Quantity: 2, Items: [...(config.Origins?.Items ?? []), internal] };
    return cloudfront().send(
      new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: ETag, DistributionConfig: config }),
    );
  }

  it("may name a VPC origin of the account", async () => {
    // Prepare
    withVpcOrigins();

    // Act
    const updated = await addVpcOrigin(VPC_ORIGIN_ID);

    // Assess
    expect(updated.Distribution?.DistributionConfig?.Origins?.Items?.[1]?.VpcOriginConfig?.VpcOriginId).toBe(
      VPC_ORIGIN_ID,
    );
  });

  it("makes the VPC origin unchangeable while the distribution uses it (CannotUpdateEntityWhileInUse, 409); the other stays changeable", async () => {
    // Prepare
    const sandbox = withVpcOrigins();
    await addVpcOrigin(VPC_ORIGIN_ID);
    const [used, unused] = [await read(), await read(SECOND_ID)];
    const writes = sandbox.mutations.length;

    // Act
    const error = await failure(
      cloudfront().send(
        new UpdateVpcOriginCommand({
          Id: VPC_ORIGIN_ID,
          IfMatch: used.etag,
          VpcOriginEndpointConfig: { ...used.config, OriginProtocolPolicy: "https-only" },
        }),
      ),
    );
    const other = await cloudfront().send(
      new UpdateVpcOriginCommand({
        Id: SECOND_ID,
        IfMatch: unused.etag,
        VpcOriginEndpointConfig: { ...unused.config, OriginProtocolPolicy: "https-only" },
      }),
    );

    // Assess
    expect(error).toMatchObject({ name: "CannotUpdateEntityWhileInUse", $metadata: { httpStatusCode: 409 } });
    expect(error.message).toContain("Please disassociate the VPC origin from all distributions");
    expect(await read()).toEqual(used);
    expect(other.VpcOrigin?.VpcOriginEndpointConfig?.OriginProtocolPolicy).toBe("https-only");
    expect(sandbox.mutations.slice(writes).map((m) => m.action)).toEqual(["UpdateVpcOrigin"]);
  });

  it("refuses an unknown VPC origin with EntityNotFound (404), naming the field", async () => {
    // Prepare
    const sandbox = withVpcOrigins();
    const before = sandbox.state();

    // Act
    const error = await failure(addVpcOrigin("vo_doesNotExist000000000"));

    // Assess
    expect(error).toMatchObject({ name: "EntityNotFound", $metadata: { httpStatusCode: 404 } });
    expect(error.message).toContain("DistributionConfig.Origins.Items[1].VpcOriginConfig.VpcOriginId");
    expect(sandbox.state()).toEqual(before);
  });
});
