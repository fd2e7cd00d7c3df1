import type { Origin, VpcOriginEndpointConfig } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { detect, ownedState } from "../../../functions/controls/cloudfront-tls-to-origin/detector.js";
import { cloudfrontTlsToOrigin as control } from "../../../functions/controls/cloudfront-tls-to-origin/index.js";
import { plan } from "../../../functions/controls/cloudfront-tls-to-origin/planner.js";
import { assessRisk } from "../../../functions/controls/cloudfront-tls-to-origin/risk.js";
import type { VpcOriginState } from "../../../functions/controls/cloudfront-tls-to-origin/snapshot.js";
import { cloudFrontState, INTERNAL_ALB, plugged, VPC_ORIGIN_ID, vpcOrigin } from "../../sandbox/helpers.js";
import { dave } from "../cloudfront/helpers.js";
import {
  applyAll,
  behavior,
  configWith,
  context,
  customOrigin,
  distributionArn,
  snapshotOf,
} from "./helpers.js";

const internalDomain = "internal-shop-internal-1234567890.us-west-2.elb.amazonaws.com";

/** A distribution origin that reaches the shop's internal ALB through the VPC origin. */
function vpcOriginEntry(id = "internal", vpcOriginId = VPC_ORIGIN_ID): Origin {
  return {
    Id: id,
    DomainName: internalDomain,
    OriginPath: "",
    CustomHeaders: { Quantity: 0 },
    VpcOriginConfig: { VpcOriginId: vpcOriginId, OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: "",
  };
}

function endpoint(policy: string, protocols?: string[]): VpcOriginState {
  const config: VpcOriginEndpointConfig = {
    Name: "shop-internal-alb",
    Arn: INTERNAL_ALB,
    HTTPPort: 80,
    HTTPSPort: 443,
    OriginProtocolPolicy: policy as "https-only",
    ...(protocols
      ? { OriginSslProtocols: { Quantity: protocols.length, Items: protocols as "TLSv1.2"[] } }
      : {}),
  };
  return {
    id: VPC_ORIGIN_ID,
    arn: `arn:aws:cloudfront::111122223333:vpcorigin/${VPC_ORIGIN_ID}`,
    etag: "ETVPDKIKX0DER",
    endpoint: config,
  };
}

function vpcOnly(state: VpcOriginState | null, viewer = "redirect-to-https") {
  return snapshotOf(
    configWith({ origins: [vpcOriginEntry()], defaultBehavior: { target: "internal", viewer } }),
    {
      vpcOrigins: { [VPC_ORIGIN_ID]: state },
    },
  );
}

describe("cloudfront-tls-to-origin and VPC origins", () => {
  it.each([
    {
      name: "a VPC origin on https-only with TLSv1.2 only",
      snapshot: vpcOnly(endpoint("https-only", ["TLSv1.2"])),
      status: "compliant",
      message: "distribution E1QSDF4EXAMPLE: all 1 VPC origin(s) use HTTPS with TLSv1.2 only",
    },
    {
      name: "a VPC origin on http-only with TLSv1.1 allowed (the VPC origin resource holds the protocol)",
      snapshot: vpcOnly(endpoint("http-only", ["TLSv1.1", "TLSv1.2"])),
      status: "non-compliant",
      message: `origin "internal" (VPC origin ${VPC_ORIGIN_ID}, ${internalDomain}): OriginProtocolPolicy is http-only; OriginSslProtocols allows TLSv1.1`,
    },
    {
      name: "a VPC origin on match-viewer behind redirect-to-https",
      snapshot: vpcOnly(endpoint("match-viewer", ["TLSv1.2"])),
      status: "compliant",
      message: "distribution E1QSDF4EXAMPLE: all 1 VPC origin(s) use HTTPS with TLSv1.2 only",
    },
    {
      name: "a VPC origin on match-viewer behind allow-all",
      snapshot: vpcOnly(endpoint("match-viewer", ["TLSv1.2"]), "allow-all"),
      status: "non-compliant",
      message: `origin "internal" (VPC origin ${VPC_ORIGIN_ID}, ${internalDomain}): OriginProtocolPolicy is match-viewer and cache behaviors let HTTP viewers through: default (allow-all)`,
    },
    {
      name: "a VPC origin without OriginSslProtocols",
      snapshot: vpcOnly(endpoint("https-only")),
      status: "non-compliant",
      message: `origin "internal" (VPC origin ${VPC_ORIGIN_ID}, ${internalDomain}): OriginSslProtocols is not set: CloudFront's default protocols then apply, which the API does not limit to TLSv1.2`,
    },
    {
      name: "a VPC origin GetVpcOrigin cannot find",
      snapshot: vpcOnly(null),
      status: "non-compliant",
      message: `origin "internal" (VPC origin ${VPC_ORIGIN_ID}, ${internalDomain}): VPC origin ${VPC_ORIGIN_ID} could not be read (GetVpcOrigin found no such VPC origin)`,
    },
    {
      name: "a custom origin beside a compliant VPC origin",
      snapshot: snapshotOf(
        configWith({ origins: [customOrigin("api", "api.example.org", "https-only"), vpcOriginEntry()] }),
        { vpcOrigins: { [VPC_ORIGIN_ID]: endpoint("https-only", ["TLSv1.2"]) } },
      ),
      status: "compliant",
      message: "distribution E1QSDF4EXAMPLE: all 1 custom and 1 VPC origin(s) use HTTPS with TLSv1.2 only",
    },
  ])("$name -> $status", ({ snapshot, status, message }) => {
    // Act
    const finding = detect(snapshot);

    // Assess
    expect(finding).toEqual({ status, message });
  });

  it("judges a custom origin without OriginSslProtocols with a precise message", () => {
    // Prepare
    const origin = customOrigin("api", "api.example.org", "https-only");
    if (origin.CustomOriginConfig) origin.CustomOriginConfig.OriginSslProtocols = undefined;

    // Act
    const finding = detect(snapshotOf(configWith({ origins: [origin] })));

    // Assess
    expect(finding.message).toBe(
      `origin "api" (api.example.org): OriginSslProtocols is not set: CloudFront's default protocols then apply, which the API does not limit to TLSv1.2`,
    );
    expect(plan(snapshotOf(configWith({ origins: [origin] })))[0]?.input.changes).toEqual([
      {
        originId: "api",
        domainName: "api.example.org",
        httpsPort: 443,
        set: { OriginSslProtocols: ["TLSv1.2"] },
      },
    ]);
  });

  it("plans one UpdateVpcOrigin per VPC origin, merging the needs of every origin that uses it", () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({
        origins: [
          customOrigin("api", "api.example.org", "http-only"),
          vpcOriginEntry("internal"),
          vpcOriginEntry("internal-b"),
        ],
        defaultBehavior: { target: "api", viewer: "redirect-to-https" },
        behaviors: [behavior("/admin/*", "internal-b", "allow-all")],
      }),
      { vpcOrigins: { [VPC_ORIGIN_ID]: endpoint("match-viewer") } },
    );

    // Act
    const changes = plan(snapshot);

    // Assess
    expect(changes.map((change) => change.action)).toEqual(["UpdateDistribution", "UpdateVpcOrigin"]);
    expect(changes[1]).toEqual({
      service: "cloudfront",
      action: "UpdateVpcOrigin",
      input: {
        Id: VPC_ORIGIN_ID,
        distribution: "E1QSDF4EXAMPLE",
        origins: ["internal", "internal-b"],
        endpointArn: INTERNAL_ALB,
        httpsPort: 443,
        set: { OriginSslProtocols: ["TLSv1.2"], OriginProtocolPolicy: "https-only" },
      },
    });
  });

  it("plans nothing for a VPC origin it could not read (the finding is reported instead)", () => {
    // Act / Assess
    expect(plan(vpcOnly(null))).toEqual([]);
  });

  it("blocks a VPC origin fix, without probing: CloudFront refuses to change a VPC origin a distribution uses", async () => {
    // Prepare
    const snapshot = vpcOnly(endpoint("http-only", ["TLSv1.2"]));
    const probed: string[] = [];
    const ctx = {
      ...context(),
      probe: async ({ host }: { host: string }) => {
        probed.push(host);
        return { status: "ok" as const, protocol: "TLSv1.3", detail: "would be fine" };
      },
    };

    // Act
    const risks = await assessRisk(snapshot, plan(snapshot), ctx);

    // Assess
    expect(probed).toEqual([]);
    expect(risks).toEqual([
      {
        level: "blocked",
        reasons: [
          expect.stringMatching(
            /is used by distribution E1QSDF4EXAMPLE: CloudFront refuses UpdateVpcOrigin while any distribution uses a VPC origin \(CannotUpdateEntityWhileInUse\)/,
          ),
          expect.stringMatching(/^fix it at the source: .* fails with 502 Bad Gateway$/),
        ],
      },
    ]);
  });

  it("includes the VPC origin's fields in the owned state, so a change to it is a new drift", () => {
    // Prepare
    const states = [
      ownedState(vpcOnly(endpoint("http-only", ["TLSv1.2"]))),
      ownedState(vpcOnly(endpoint("https-only", ["TLSv1.2"]))),
    ];

    // Assess
    expect(states[0]).toEqual([
      {
        Id: "internal",
        VpcOriginId: VPC_ORIGIN_ID,
        OriginProtocolPolicy: "http-only",
        OriginSslProtocols: ["TLSv1.2"],
        ViewerProtocolPolicies: [],
      },
    ]);
    expect(states[0]).not.toEqual(states[1]);
  });
});

/** The storefront with an /internal/* behavior reaching the shop's internal ALB through the VPC origin. */
async function storefrontWithVpcOrigin() {
  const sandbox = plugged({ state: cloudFrontState({ vpcOrigins: [vpcOrigin()] }) });
  const current = (await sandbox.call(
    "cloudfront",
    "GetDistributionConfig",
    { Id: "E1QSDF4EXAMPLE" },
    dave,
  )) as {
    ETag: string;
    DistributionConfig: ReturnType<typeof configWith>;
  };
  const config = structuredClone(current.DistributionConfig);
  config.Origins = { Quantity: 2, Items: [...(config.Origins?.Items ?? []), vpcOriginEntry()] };
  config.CacheBehaviors = { Quantity: 1, Items: [behavior("/internal/*", "internal", "https-only")] };
  await sandbox.call(
    "cloudfront",
    "UpdateDistribution",
    { Id: "E1QSDF4EXAMPLE", IfMatch: current.ETag, DistributionConfig: config },
    dave,
  );
  return sandbox;
}

async function readVpcOrigin(sandbox: ReturnType<typeof plugged>) {
  return (await sandbox.call("cloudfront", "GetVpcOrigin", { Id: VPC_ORIGIN_ID }, dave)) as {
    ETag: string;
    VpcOrigin: { VpcOriginEndpointConfig: VpcOriginEndpointConfig };
  };
}

describe("cloudfront-tls-to-origin on the sandbox with a VPC origin", () => {
  it("cannot apply the planned UpdateVpcOrigin while the distribution uses the VPC origin: CloudFront refuses, nothing changes", async () => {
    // Prepare
    const sandbox = await storefrontWithVpcOrigin();
    const snapshot = await control.collect(context(), distributionArn);
    if (!snapshot) throw new Error("the storefront should exist");
    const before = await readVpcOrigin(sandbox);
    const writes = sandbox.mutations.length;
    const changes = control.plan(snapshot, {});

    // Act
    const attempt = applyAll(context(), distributionArn, changes);

    // Assess
    expect(control.detect(snapshot, {}).status).toBe("non-compliant");
    expect(changes.map((change) => change.action)).toEqual(["UpdateVpcOrigin"]);
    await expect(attempt).rejects.toMatchObject({
      name: "CannotUpdateEntityWhileInUse",
      $metadata: { httpStatusCode: 409 },
    });
    expect(sandbox.mutations.slice(writes)).toEqual([]);
    expect(await readVpcOrigin(sandbox)).toEqual(before);
  });

  it("resolves an UpdateVpcOrigin event to the distributions that use that VPC origin", async () => {
    // Prepare
    await storefrontWithVpcOrigin();
    const trigger = {
      kind: "cloudtrail" as const,
      eventName: "UpdateVpcOrigin",
      eventSource: "cloudfront.amazonaws.com",
      region: "us-east-1",
      account: "111122223333",
      requestParameters: { id: VPC_ORIGIN_ID, ifMatch: "ETVPDKIKX0DER" },
      responseElements: null,
    };

    // Act
    const targets = await Promise.all([
      control.resolveTargets(trigger, context()),
      control.resolveTargets(
        { ...trigger, requestParameters: { id: "vo_UnusedByAnyDistribution1" } },
        context(),
      ),
    ]);

    // Assess
    expect(targets).toEqual([[distributionArn], []]);
  });
});
