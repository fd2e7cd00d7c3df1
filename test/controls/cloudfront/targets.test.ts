import { describe, expect, it } from "vitest";
import { distributionTargets } from "../../../functions/controls/cloudfront/targets.js";
import { metadata as waf } from "../../../functions/controls/cloudfront-waf-attached/metadata.js";
import type { Trigger } from "../../../functions/controls/types.js";
import { account } from "./helpers.js";

const arn = (id: string) => `arn:aws:cloudfront::${account}:distribution/${id}`;

function cloudTrail(
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null = null,
): Trigger {
  return {
    kind: "cloudtrail",
    eventName,
    eventSource: "cloudfront.amazonaws.com",
    region: "us-east-1",
    account,
    requestParameters,
    responseElements,
  };
}

describe("which distribution a CloudFront event concerns", () => {
  it.each([
    {
      name: "AssociateDistributionWebACL names it in the request",
      trigger: cloudTrail(
        "AssociateDistributionWebACL",
        { id: "E1QSDF4EXAMPLE", webACLArn: "arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/1" },
        { id: "E1QSDF4EXAMPLE", eTag: "E2" },
      ),
      expected: [arn("E1QSDF4EXAMPLE")],
    },
    {
      name: "DisassociateDistributionWebACL names it in the request",
      trigger: cloudTrail("DisassociateDistributionWebACL", { id: "E1QSDF4EXAMPLE", ifMatch: "E1" }),
      expected: [arn("E1QSDF4EXAMPLE")],
    },
    {
      name: "a request id that is not a distribution id is not turned into an ARN",
      trigger: cloudTrail("UpdateDistribution", { id: "E1/../../other" }),
      expected: [],
    },
    {
      name: "a Config result names it by id",
      trigger: {
        kind: "compliance",
        configRuleName: "securityhub-cloudfront-associated-with-waf-a1b2c3",
        resourceType: "AWS::CloudFront::Distribution",
        resourceId: "E1QSDF4EXAMPLE",
        region: "us-east-1",
        account,
        newCompliance: "NON_COMPLIANT",
      } satisfies Trigger,
      expected: [arn("E1QSDF4EXAMPLE")],
    },
    {
      name: "a Config item of another resource type concerns no distribution",
      trigger: {
        kind: "config-item",
        resourceType: "AWS::ElasticLoadBalancingV2::Listener",
        resourceId: "listener",
        region: "us-east-1",
        account,
        status: "OK",
        configuration: null,
      } satisfies Trigger,
      expected: [],
    },
  ])("$name", ({ trigger, expected }) => {
    // Act
    const targets = distributionTargets(trigger, waf);

    // Assess
    expect(targets).toEqual(expected);
  });
});
