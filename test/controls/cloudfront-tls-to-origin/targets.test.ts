import { describe, expect, it } from "vitest";
import { resolveTargets } from "../../../functions/controls/cloudfront-tls-to-origin/targets.js";
import type { Trigger } from "../../../functions/controls/types.js";
import updateEvent from "../../fixtures/events/cloudfront-update-distribution.json" with { type: "json" };
import { account, context } from "./helpers.js";

const arn = (id: string) => `arn:aws:cloudfront::${account}:distribution/${id}`;

function cloudTrail(
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null,
  eventSource = "cloudfront.amazonaws.com",
): Trigger {
  return {
    kind: "cloudtrail",
    eventName,
    eventSource,
    region: "us-east-1",
    account,
    requestParameters,
    responseElements,
  };
}

/** Trimmed to the parts CloudTrail really writes for each call: creators learn their id from the response. */
const created = { distribution: { id: "ENEW123EXAMPLE", aRN: arn("ENEW123EXAMPLE"), status: "InProgress" } };

describe("cloudfront-tls-to-origin targets", () => {
  it("resolves the recorded UpdateDistribution event to its distribution", async () => {
    // Prepare
    const detail = updateEvent.detail;
    const trigger = cloudTrail(
      detail.eventName,
      detail.requestParameters,
      detail.responseElements as unknown as Record<string, unknown>,
    );

    // Act
    const targets = await resolveTargets({ ...trigger, account: updateEvent.account }, context());

    // Assess
    expect(targets).toEqual([arn("E1QSDF4EXAMPLE")]);
  });

  it.each([
    {
      eventName: "UpdateDistribution",
      request: { id: "EREQ1", ifMatch: "E1" },
      response: { distribution: { id: "EIGNORED" } },
      expected: [arn("EREQ1")],
    },
    {
      eventName: "UpdateDistributionWithStagingConfig",
      request: { id: "EPRIMARY", stagingDistributionId: "ESTAGING", ifMatch: "E1, E2" },
      response: null,
      expected: [arn("EPRIMARY")],
    },
    {
      eventName: "CreateDistribution",
      request: { distributionConfig: { callerReference: "x" } },
      response: created,
      expected: [arn("ENEW123EXAMPLE")],
    },
    {
      eventName: "CreateDistributionWithTags",
      request: { distributionConfigWithTags: {} },
      response: {
        ...created,
        location: "https://cloudfront.amazonaws.com/2020-05-31/distribution/ENEW123EXAMPLE",
      },
      expected: [arn("ENEW123EXAMPLE")],
    },
    {
      eventName: "CopyDistribution",
      request: { primaryDistributionId: "ESOURCE", staging: true },
      response: created,
      expected: [arn("ENEW123EXAMPLE")],
    },
    {
      eventName: "CopyDistribution",
      request: { primaryDistributionId: "ESOURCE" },
      response: { id: "EFLATID" },
      expected: [arn("EFLATID")],
    },
    {
      eventName: "CreateDistribution",
      request: {},
      response: { location: "https://cloudfront.amazonaws.com/2020-05-31/distribution/ELOCATION1" },
      expected: [arn("ELOCATION1")],
    },
    {
      // CloudTrail left out the oversized request; the response still names the distribution.
      eventName: "UpdateDistribution",
      request: null,
      response: { distribution: { id: "ERESPONSE1", status: "InProgress" }, eTag: "E2" },
      expected: [arn("ERESPONSE1")],
    },
    {
      eventName: "CopyDistribution",
      request: { primaryDistributionId: "ESOURCE" },
      response: { distribution: { aRN: arn("EFROMARN1") } },
      expected: [arn("EFROMARN1")],
    },
    { eventName: "CreateDistribution", request: {}, response: null, expected: [] },
    { eventName: "UpdateDistribution", request: null, response: null, expected: [] },
    { eventName: "DeleteDistribution", request: { id: "EGONE" }, response: null, expected: [] },
    { eventName: "CreateInvalidation", request: { distributionId: "E1" }, response: null, expected: [] },
  ])(
    "$eventName (request $request.id, response $response) -> $expected",
    async ({ eventName, request, response, expected }) => {
      // Prepare
      const trigger = cloudTrail(eventName, request, response);

      // Act
      const targets = await resolveTargets(trigger, context());

      // Assess
      expect(targets).toEqual(expected);
    },
  );

  it("ignores CloudTrail events of another service", async () => {
    // Prepare
    const trigger = cloudTrail(
      "UpdateDistribution",
      { id: "E1" },
      null,
      "elasticloadbalancing.amazonaws.com",
    );

    // Act
    const targets = await resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual([]);
  });

  it.each([
    {
      name: "with its ARN",
      arn: arn("ECONFIG1"),
      resourceId: "ECONFIG1",
      resourceType: "AWS::CloudFront::Distribution",
      expected: [arn("ECONFIG1")],
    },
    {
      name: "without an ARN",
      arn: undefined,
      resourceId: "ECONFIG2",
      resourceType: "AWS::CloudFront::Distribution",
      expected: [arn("ECONFIG2")],
    },
    {
      name: "of another resource type",
      arn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/x/1/2",
      resourceId: "x",
      resourceType: "AWS::ElasticLoadBalancingV2::Listener",
      expected: [],
    },
  ])("Config item $name -> $expected", async ({ arn: itemArn, resourceId, resourceType, expected }) => {
    // Prepare
    const trigger: Trigger = {
      kind: "config-item",
      resourceType,
      resourceId,
      ...(itemArn ? { arn: itemArn } : {}),
      region: "us-east-1",
      account,
      status: "OK",
      configuration: null,
    };

    // Act
    const targets = await resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual(expected);
  });

  it.each([
    {
      name: "Security Hub's CloudFront.9 rule, by id",
      resourceId: "E1",
      resourceType: "AWS::CloudFront::Distribution",
      expected: [arn("E1")],
    },
    {
      name: "a rule evaluating by ARN",
      resourceId: arn("E2"),
      resourceType: "AWS::CloudFront::Distribution",
      expected: [arn("E2")],
    },
    { name: "another resource type", resourceId: "E3", resourceType: "AWS::S3::Bucket", expected: [] },
  ])(
    "re-checks the distribution a NON_COMPLIANT result names: $name",
    async ({ resourceId, resourceType, expected }) => {
      // Prepare
      const trigger: Trigger = {
        kind: "compliance",
        configRuleName: "securityhub-cloudfront-traffic-to-origin-encrypted-3f9a1c",
        resourceType,
        resourceId,
        region: "us-east-1",
        account,
        newCompliance: "NON_COMPLIANT",
      };

      // Act
      const targets = await resolveTargets(trigger, context());

      // Assess
      expect(targets).toEqual(expected);
    },
  );
});
