import type { ConfigurationRecorder } from "@aws-sdk/client-config-service";
import { afterEach, describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { SweepGroup } from "../../functions/sweep/plan.js";
import { records, withConfigSources } from "../../functions/sweep/sources.js";
import { SandboxAccount } from "../../local/sandbox/account.js";

/** Where a sweep group is listed from: AWS Config only where its items are the account's own and current. */
const LISTENER = "AWS::ElasticLoadBalancingV2::Listener";
const ALL = { allSupported: true, includeGlobalResourceTypes: true };

describe("whether a recorder's items can stand in for describe calls", () => {
  it.each<{ name: string; recorder: ConfigurationRecorder; expected: boolean }>([
    { name: "all supported types, continuously", recorder: { recordingGroup: ALL }, expected: true },
    {
      name: "the type in its list",
      recorder: { recordingGroup: { allSupported: false, resourceTypes: [LISTENER] } },
      expected: true,
    },
    {
      name: "a list without the type",
      recorder: { recordingGroup: { allSupported: false, resourceTypes: ["AWS::S3::Bucket"] } },
      expected: false,
    },
    {
      name: "all but the type",
      recorder: {
        recordingGroup: {
          allSupported: false,
          exclusionByResourceTypes: { resourceTypes: [LISTENER] },
          recordingStrategy: { useOnly: "EXCLUSION_BY_RESOURCE_TYPES" },
        },
      },
      expected: false,
    },
    {
      name: "daily recording: an item can be a day behind a drift",
      recorder: { recordingGroup: ALL, recordingMode: { recordingFrequency: "DAILY" } },
      expected: false,
    },
    {
      name: "daily, but the type overridden to continuous",
      recorder: {
        recordingGroup: ALL,
        recordingMode: {
          recordingFrequency: "DAILY",
          recordingModeOverrides: [{ resourceTypes: [LISTENER], recordingFrequency: "CONTINUOUS" }],
        },
      },
      expected: true,
    },
    {
      name: "continuous, but the type overridden to daily",
      recorder: {
        recordingGroup: ALL,
        recordingMode: {
          recordingFrequency: "CONTINUOUS",
          recordingModeOverrides: [{ resourceTypes: [LISTENER], recordingFrequency: "DAILY" }],
        },
      },
      expected: false,
    },
    {
      name: "a service-linked recorder, which records for its service",
      recorder: {
        recordingGroup: ALL,
        servicePrincipal: "config-conforms.amazonaws.com",
        recordingScope: "INTERNAL",
      },
      expected: false,
    },
  ])("$name: $expected", ({ recorder, expected }) => {
    // Act
    const covered = records(recorder, LISTENER);

    // Assess
    expect(covered).toBe(expected);
  });
});

describe("the sources of a sweep's groups", () => {
  let unregister: (() => void) | undefined;
  afterEach(() => unregister?.());

  const groups: SweepGroup[] = [
    { region: "eu-west-1", service: "elbv2", controls: ["alb-tls-policy"], source: "describe" },
    { region: "us-east-1", service: "cloudfront", controls: ["cloudfront-viewer-https"], source: "describe" },
  ];
  const types = [
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::CloudFront::Distribution",
  ];

  it.each([
    { recordingFrequency: "CONTINUOUS", source: "config" },
    { recordingFrequency: "DAILY", source: "describe" },
  ])(
    "a recorder recording $recordingFrequency lists every group from $source",
    async ({ recordingFrequency, source }) => {
      // Prepare
      const sandbox = new SandboxAccount({
        account: "111122223333",
        region: "eu-west-1",
        state: { config: { recorder: { resourceTypes: types, recordingFrequency } } },
      });
      unregister = sandbox.register();

      // Act
      const planned = await withConfigSources(groups, { clients });

      // Assess
      expect(planned.map((group) => group.source)).toEqual([source, source]);
    },
  );
});
