import { describe, expect, it } from "vitest";
import { deployedEventRules } from "../../functions/events/deployed.js";
import { eventRules } from "../../functions/events/patterns.js";
import { metadataControls } from "../../infra/controls.js";
import { routingPlan } from "../../infra/routing-plan.js";
import { compilePattern } from "../../local/router/match.js";
import { fixtureEvent, homeRegion, type Json, remediatorArn, variant } from "./support.js";

const rules = eventRules({ controls: metadataControls(), remediatorRoleArn: remediatorArn });
const plan = routingPlan({ rules, homeRegion, regions: ["eu-west-1", "us-west-2"], stage: "production" });
const home = plan.regions.find((region) => region.isHome);
const intakeRules = (home?.rules ?? []).filter((rule) => rule.target.kind === "intake");

/** The origins of the home region's intake rules that match the event: what would start a workflow. */
function matchingOrigins(event: unknown): string[] {
  return intakeRules.filter((rule) => compilePattern(rule.pattern)(event)).map((rule) => rule.origin);
}

const remediatorIdentity = {
  type: "AssumedRole",
  principalId: "AROAREMEDIATOR:apply",
  arn: "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/apply",
  accountId: "111122223333",
  sessionContext: {
    sessionIssuer: {
      type: "Role",
      arn: remediatorArn,
      accountId: "111122223333",
      userName: "driftwarden-remediator",
    },
  },
};

describe("deployed event patterns", () => {
  it("are exactly the registry's rules (infra's metadata-only controls derive the same patterns)", () => {
    // Prepare
    const fromRegistry = deployedEventRules(remediatorArn);

    // Act
    const fromInfra = eventRules({ controls: metadataControls(), remediatorRoleArn: remediatorArn });

    // Assess
    expect(fromInfra).toEqual(fromRegistry);
  });

  it.each([
    ["elbv2-create-listener", "driftwarden-cloudtrail-regional"],
    ["elbv2-modify-listener", "driftwarden-cloudtrail-regional"],
    ["cloudfront-update-distribution", "driftwarden-cloudtrail-us-east-1"],
    ["config-item-change-listener", "driftwarden-config-items-regional"],
  ])("%s matches exactly %s", (fixture, origin) => {
    // Prepare
    const event = fixtureEvent(fixture);

    // Act
    const matched = matchingOrigins(event);

    // Assess
    expect(matched).toEqual([origin]);
  });

  it.each<[string, Json]>([
    [
      "a failed call (errorCode)",
      variant("elbv2-modify-listener", (e) => {
        e.detail.errorCode = "AccessDenied";
        e.detail.errorMessage = "User is not authorized";
      }),
    ],
    [
      "a failed CloudFront call",
      variant("cloudfront-update-distribution", (e) => {
        e.detail.errorCode = "PreconditionFailed";
      }),
    ],
    [
      "a read-only call",
      variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = "DescribeListeners";
        e.detail.readOnly = true;
      }),
    ],
    [
      "another event name of the same service",
      variant("elbv2-create-listener", (e) => {
        e.detail.eventName = "DeleteLoadBalancer";
      }),
    ],
    [
      "a CloudFront event name of the ELB control",
      variant("cloudfront-update-distribution", (e) => {
        e.detail.eventName = "ModifyListener";
      }),
    ],
    [
      "another service",
      variant("elbv2-modify-listener", (e) => {
        e.source = "aws.s3";
        e.detail.eventSource = "s3.amazonaws.com";
        e.detail.eventName = "PutBucketPolicy";
      }),
    ],
    [
      "the remediator's own listener change",
      variant("elbv2-modify-listener", (e) => {
        e.detail.userIdentity = remediatorIdentity;
      }),
    ],
    [
      "the remediator's own distribution change",
      variant("cloudfront-update-distribution", (e) => {
        e.detail.userIdentity = remediatorIdentity;
      }),
    ],
    [
      "a Config item of an unwatched resource type",
      variant("config-item-change-listener", (e) => {
        (e.detail.configurationItem as Json).resourceType = "AWS::EC2::SecurityGroup";
      }),
    ],
  ])("does not match %s", (_label, event) => {
    // Prepare: the event above

    // Act
    const matched = matchingOrigins(event);

    // Assess
    expect(matched).toEqual([]);
  });

  it("matches a change by an IAM user (no session issuer) but not by the remediator role", () => {
    // Prepare
    const byUser = variant("elbv2-modify-listener", (e) => {
      e.detail.userIdentity = {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/alice",
        userName: "alice",
      };
    });
    const byRemediator = variant("elbv2-modify-listener", (e) => {
      e.detail.userIdentity = remediatorIdentity;
    });

    // Act
    const [user, remediator] = [matchingOrigins(byUser), matchingOrigins(byRemediator)];

    // Assess
    expect(user).toEqual(["driftwarden-cloudtrail-regional"]);
    expect(remediator).toEqual([]);
  });

  it.each([
    ["ALARM", true],
    ["OK", false],
  ])("the alarm relay forwards a DLQ alarm state change to %s: %s", (state, expected) => {
    // Prepare
    const remote = plan.regions.find((region) => region.region === "us-west-2");
    const relay = remote?.rules.find((rule) => rule.origin === "driftwarden-dlq-alarms");
    const event = {
      source: "aws.cloudwatch",
      "detail-type": "CloudWatch Alarm State Change",
      region: "us-west-2",
      detail: { alarmName: remote?.alarm.name, state: { value: state }, previousState: { value: "OK" } },
    };

    // Act
    const matched = relay ? compilePattern(relay.pattern)(event) : undefined;

    // Assess
    expect(matched).toBe(expected);
  });
});
