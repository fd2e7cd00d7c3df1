import {
  AssociateDistributionWebACLCommand,
  CreateDistributionCommand,
  DisassociateDistributionWebACLCommand,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { Mutation } from "../../local/sandbox/cloudtrail.js";
import { cloudFrontState, DISTRIBUTION, failure, plugged, shopState } from "./helpers.js";

const cloudfront = () => clients.cloudfront();

const GLOBAL_ACL =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/shop-prod/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";
const REGIONAL_ACL =
  "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/alb-prod/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const UNLISTED_ACL =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/gone/11112222-3333-4444-8555-666677778888";

/** The storefront, with a global and a regional web ACL in the scenario's WAFv2 state. */
function withWebAcls() {
  return plugged({
    state: cloudFrontState(
      {},
      {
        wafv2: {
          webAcls: [
            { Name: "shop-prod", Id: "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", ARN: GLOBAL_ACL },
            { Name: "alb-prod", Id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", ARN: REGIONAL_ACL },
          ],
        },
      },
    ),
  });
}

async function attach(webAclId: string) {
  const { DistributionConfig, ETag } = await cloudfront().send(
    new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
  );
  return cloudfront().send(
    new UpdateDistributionCommand({
      Id: DISTRIBUTION,
      IfMatch: ETag,
      DistributionConfig: { ...(DistributionConfig as DistributionConfig), WebACLId: webAclId },
    }),
  );
}

describe("a distribution's WebACLId", () => {
  it.each([
    ["a global web ACL of the account", GLOBAL_ACL],
    ["nothing (empty)", ""],
  ])("may be %s", async (_case, id) => {
    // Prepare
    withWebAcls();

    // Act
    const updated = await attach(id);

    // Assess
    expect(updated.Distribution?.DistributionConfig?.WebACLId).toBe(id);
  });

  it("echoes an attached web ACL to CloudTrail in the UpdateDistribution event", async () => {
    // Prepare
    const sandbox = withWebAcls();

    // Act
    await attach(GLOBAL_ACL);

    // Assess
    const event = sandbox.cloudTrailEvent(sandbox.mutations.at(-1) as Mutation);
    expect(event).toMatchObject({
      source: "aws.cloudfront",
      region: "us-east-1",
      detail: {
        eventName: "UpdateDistribution",
        requestParameters: { id: DISTRIBUTION, distributionConfig: { webACLId: GLOBAL_ACL } },
        responseElements: { distribution: { distributionConfig: { webACLId: GLOBAL_ACL } } },
      },
    });
  });

  it.each([
    ["a regional web ACL", REGIONAL_ACL, "Web ACL is not accessible by the requester."],
    [
      "a global web ACL the account does not have",
      UNLISTED_ACL,
      "Web ACL is not accessible by the requester.",
    ],
    ["a WAF Classic id", "473e64fd-f30b-4765-81a0-62ad96dd167a", "Invalid webACL identifier provided"],
  ])("refuses %s with InvalidWebACLId and changes nothing", async (_case, id, message) => {
    // Prepare
    const sandbox = withWebAcls();
    const before = sandbox.state();

    // Act
    const error = await failure(attach(id));

    // Assess
    expect(error).toMatchObject({ name: "InvalidWebACLId", $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain(message);
    expect(sandbox.state()).toEqual(before);
  });

  it("refuses an unknown web ACL on a new distribution too", async () => {
    // Prepare
    withWebAcls();
    const { DistributionConfig } = await cloudfront().send(
      new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
    );

    // Act
    const error = await failure(
      cloudfront().send(
        new CreateDistributionCommand({
          DistributionConfig: {
            ...(DistributionConfig as DistributionConfig),
            CallerReference: "new",
            Aliases: { Quantity: 0 },
            WebACLId: UNLISTED_ACL,
          },
        }),
      ),
    );

    // Assess
    expect(error.name).toBe("InvalidWebACLId");
  });

  it("keeps a web ACL the scenario's distribution already uses, which WAF could not have deleted", async () => {
    // Prepare: the distribution uses a web ACL the scenario's WAFv2 state does not list
    const state = shopState() as {
      cloudfront: { distributions: { DistributionConfig: Record<string, unknown> }[] };
    };
    const shop = state.cloudfront.distributions[0];
    if (shop) shop.DistributionConfig.WebACLId = UNLISTED_ACL;
    plugged({ state });

    // Act
    const kept = await attach(UNLISTED_ACL);
    const other = await failure(
      attach("arn:aws:wafv2:us-east-1:111122223333:global/webacl/other/22223333-4444-4555-8666-777788889999"),
    );

    // Assess
    expect(kept.Distribution?.DistributionConfig?.WebACLId).toBe(UNLISTED_ACL);
    expect(other.name).toBe("InvalidWebACLId");
  });
});

describe("CloudFront's AssociateDistributionWebACL and DisassociateDistributionWebACL", () => {
  async function etag() {
    return (await cloudfront().send(new GetDistributionConfigCommand({ Id: DISTRIBUTION }))).ETag as string;
  }

  it("sets and clears WebACLId under the ETag, each a new version that deploys like an update", async () => {
    // Prepare
    const sandbox = withWebAcls();
    const before = await etag();

    // Act
    const associated = await cloudfront().send(
      new AssociateDistributionWebACLCommand({ Id: DISTRIBUTION, WebACLArn: GLOBAL_ACL, IfMatch: before }),
    );
    const attached = sandbox.state().cloudfront.distributions[0];
    const disassociated = await cloudfront().send(
      new DisassociateDistributionWebACLCommand({ Id: DISTRIBUTION, IfMatch: associated.ETag }),
    );
    const detached = sandbox.state().cloudfront.distributions[0];

    // Assess
    expect(associated).toMatchObject({ Id: DISTRIBUTION, WebACLArn: GLOBAL_ACL });
    expect(associated.ETag).not.toBe(before);
    expect(attached).toMatchObject({ Status: "InProgress", DistributionConfig: { WebACLId: GLOBAL_ACL } });
    expect(disassociated.ETag).not.toBe(associated.ETag);
    expect(detached).toMatchObject({ ETag: disassociated.ETag, DistributionConfig: { WebACLId: "" } });
    expect(sandbox.mutations.map((m) => m.action)).toEqual([
      "AssociateDistributionWebACL",
      "DisassociateDistributionWebACL",
    ]);
  });

  it.each([
    ["a stale ETag", DISTRIBUTION, GLOBAL_ACL, "E2SOMEONEELSES", "PreconditionFailed", 412],
    ["no ETag", DISTRIBUTION, GLOBAL_ACL, undefined, "InvalidIfMatchVersion", 400],
    ["a regional web ACL", DISTRIBUTION, REGIONAL_ACL, "current", "InvalidArgument", 400],
    ["a web ACL that does not exist", DISTRIBUTION, UNLISTED_ACL, "current", "EntityNotFound", 404],
    ["an unknown distribution", "E0NOSUCHDIST00", GLOBAL_ACL, "current", "EntityNotFound", 404],
  ])("refuses an association with %s and changes nothing", async (_case, id, acl, ifMatch, name, status) => {
    // Prepare
    const sandbox = withWebAcls();
    const current = await etag();

    // Act
    const error = await failure(
      cloudfront().send(
        new AssociateDistributionWebACLCommand({
          Id: id,
          WebACLArn: acl,
          IfMatch: ifMatch === "current" ? current : ifMatch,
        }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
    expect(sandbox.state().cloudfront.distributions[0]).toMatchObject({ ETag: current });
    expect(sandbox.mutations).toEqual([]);
  });
});
