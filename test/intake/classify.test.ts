import { describe, expect, it } from "vitest";
import type { Actor } from "../../functions/controls/types.js";
import { type Classification, classify } from "../../functions/intake/classify.js";
import {
  albMetadata,
  cloudfrontMetadata,
  complianceEvent,
  fixtureEvent,
  type Json,
  listenerArn,
  oversizedConfigItemEvent,
  remediatorRoleArn,
  testControl,
  variant,
} from "./support.js";

const alb = testControl(albMetadata, new Map());
const cloudfront = testControl(cloudfrontMetadata, new Map());
const options = { controls: [alb, cloudfront], remediatorRoleArn };

function configItem(edit: (item: Json) => void): Json {
  return variant("config-item-change-listener", (event) => edit(event.detail.configurationItem as Json));
}

describe("classify: triggers", () => {
  it.each([
    {
      name: "ModifyListener by an IAM user",
      event: fixtureEvent("elbv2-modify-listener"),
      control: albMetadata.id,
      source: "cloudtrail",
      trigger: {
        kind: "cloudtrail",
        eventName: "ModifyListener",
        region: "us-west-2",
        account: "111122223333",
      },
    },
    {
      name: "CreateListener by an assumed role",
      event: fixtureEvent("elbv2-create-listener"),
      control: albMetadata.id,
      source: "cloudtrail",
      trigger: {
        kind: "cloudtrail",
        eventName: "CreateListener",
        eventSource: "elasticloadbalancing.amazonaws.com",
      },
    },
    {
      name: "UpdateDistribution (us-east-1)",
      event: fixtureEvent("cloudfront-update-distribution"),
      control: cloudfrontMetadata.id,
      source: "cloudtrail",
      trigger: { kind: "cloudtrail", eventName: "UpdateDistribution", region: "us-east-1" },
    },
    {
      name: "UpdateDistribution recorded under a dated API version (UpdateDistribution2019_03_26)",
      event: variant("cloudfront-update-distribution", (e) => {
        e.detail.eventName = "UpdateDistribution2019_03_26";
      }),
      control: cloudfrontMetadata.id,
      source: "cloudtrail",
      trigger: { kind: "cloudtrail", eventName: "UpdateDistribution", region: "us-east-1" },
    },
    {
      name: "Config item change with its configuration",
      event: fixtureEvent("config-item-change-listener"),
      control: albMetadata.id,
      source: "config",
      trigger: {
        kind: "config-item",
        resourceId: listenerArn,
        arn: listenerArn,
        status: "OK",
        region: "us-west-2",
        configuration: expect.objectContaining({ Protocol: "HTTP", Port: 80 }),
      },
    },
    {
      name: "oversized Config item: configuration null, re-read live",
      event: oversizedConfigItemEvent(),
      control: albMetadata.id,
      source: "config",
      trigger: {
        kind: "config-item",
        resourceId: listenerArn,
        arn: listenerArn,
        status: "OK",
        configuration: null,
      },
    },
    {
      name: "Config item not recorded any more (still exists)",
      event: configItem((item) => {
        item.configurationItemStatus = "ResourceNotRecorded";
      }),
      control: albMetadata.id,
      source: "config",
      trigger: { kind: "config-item", status: "ResourceNotRecorded" },
    },
    {
      name: "Config item without configuration at all",
      event: configItem((item) => {
        delete item.configuration;
      }),
      control: albMetadata.id,
      source: "config",
      trigger: { kind: "config-item", configuration: null },
    },
    {
      name: "Security Hub's rule, NON_COMPLIANT",
      event: complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3"),
      control: albMetadata.id,
      source: "config",
      trigger: {
        kind: "compliance",
        configRuleName: "securityhub-alb-http-to-https-redirection-check-a1b2c3",
        resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        newCompliance: "NON_COMPLIANT",
      },
    },
    {
      name: "a rule named with the managed identifier's underscores",
      event: complianceEvent("my_ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"),
      control: albMetadata.id,
      source: "config",
      trigger: { kind: "compliance" },
    },
  ])("$name", ({ event, control, source, trigger }) => {
    // Act
    const result = classify(event, options);

    // Assess
    expect(result).toMatchObject({ kind: "trigger", source, eventId: event.id, trigger });
    const controls = (result as Extract<Classification, { kind: "trigger" }>).controls;
    expect(controls.map((c) => c.metadata.id)).toEqual([control]);
  });

  it("takes the event time from CloudTrail, and the capture time from Config", () => {
    // Act
    const cloudTrail = classify(fixtureEvent("elbv2-modify-listener"), options);
    const oversized = classify(oversizedConfigItemEvent(), options);

    // Assess
    expect(cloudTrail).toMatchObject({ eventTime: "2026-03-01T09:00:05Z" });
    expect(oversized).toMatchObject({ eventTime: "2026-03-01T09:04:58.000Z", actor: null });
  });

  it("matches a control in every control list that names the event", () => {
    // Prepare
    const second = testControl({ ...albMetadata, id: "second-alb-control" }, new Map());

    // Act
    const result = classify(fixtureEvent("elbv2-modify-listener"), {
      controls: [alb, second, cloudfront],
      remediatorRoleArn,
    });

    // Assess
    expect(result.kind === "trigger" && result.controls.map((c) => c.metadata.id)).toEqual([
      albMetadata.id,
      "second-alb-control",
    ]);
  });
});

describe("classify: ignored events", () => {
  it.each([
    {
      name: "a failed call",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.errorCode = "AccessDenied";
        e.detail.errorMessage = "User is not authorized";
      }),
      reason: "failed-call",
    },
    {
      name: "the remediator's own change (session issuer)",
      event: variant("elbv2-create-listener", (e) => {
        const identity = e.detail.userIdentity as Json;
        identity.arn = "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/fix-1";
        ((identity.sessionContext as Json).sessionIssuer as Json).arn = remediatorRoleArn;
      }),
      reason: "own-change",
    },
    {
      name: "the remediator's own change (assumed-role ARN only)",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.userIdentity = {
          type: "AssumedRole",
          arn: "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/any-session-name",
        };
      }),
      reason: "own-change",
    },
    {
      name: "a read-only call (readOnly true)",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.readOnly = true;
      }),
      reason: "not-relevant",
    },
    {
      name: "a Describe call without readOnly",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = "DescribeListeners";
        delete e.detail.readOnly;
      }),
      reason: "not-relevant",
    },
    {
      name: "an event name no control watches",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = "AddTags";
      }),
      reason: "not-relevant",
    },
    {
      name: "another service",
      event: variant("elbv2-modify-listener", (e) => {
        e.source = "aws.ec2";
        e.detail.eventSource = "ec2.amazonaws.com";
      }),
      reason: "not-relevant",
    },
    {
      name: "CloudFront event names on the ELB event source",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = "UpdateDistribution";
      }),
      reason: "not-relevant",
    },
    {
      name: "a Config item of another resource type",
      event: configItem((item) => {
        item.resourceType = "AWS::EC2::SecurityGroup";
      }),
      reason: "not-relevant",
    },
    {
      name: "a deleted resource",
      event: configItem((item) => {
        item.configurationItemStatus = "ResourceDeleted";
        item.configuration = null;
      }),
      reason: "resource-gone",
    },
    {
      name: "a deleted resource that was not recorded",
      event: configItem((item) => {
        item.configurationItemStatus = "ResourceDeletedNotRecorded";
      }),
      reason: "resource-gone",
    },
    {
      name: "an oversized item of a deleted resource",
      event: oversizedConfigItemEvent("ResourceDeleted"),
      reason: "resource-gone",
    },
    {
      name: "a compliance change to COMPLIANT",
      event: complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3", "COMPLIANT"),
      reason: "not-relevant",
    },
    {
      name: "a compliance change to NOT_APPLICABLE",
      event: complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3", "NOT_APPLICABLE"),
      reason: "not-relevant",
    },
    {
      name: "a compliance change of an unrelated rule",
      event: complianceEvent("securityhub-s3-bucket-versioning-enabled-x1"),
      reason: "not-relevant",
    },
    {
      name: "an unknown detail-type",
      event: variant("elbv2-modify-listener", (e) => {
        e["detail-type"] = "EC2 Instance State-change Notification";
      }),
      reason: "not-relevant",
    },
  ])("$name -> $reason", ({ event, reason }) => {
    // Act
    const result = classify(event, options);

    // Assess
    expect(result).toMatchObject({ kind: "ignored", reason, eventId: event.id, detail: expect.any(String) });
  });
});

describe("classify: malformed envelopes name the field", () => {
  it.each([
    { name: "not an object", event: "hello", field: "(root)" },
    { name: "null", event: null, field: "(root)" },
    {
      name: "missing detail-type",
      event: variant("elbv2-modify-listener", (e) => {
        delete e["detail-type"];
      }),
      field: "detail-type",
    },
    {
      name: "missing id",
      event: variant("elbv2-modify-listener", (e) => {
        delete e.id;
      }),
      field: "id",
    },
    {
      name: "detail not an object",
      event: variant("elbv2-modify-listener", (e) => {
        (e as Json).detail = "ModifyListener";
      }),
      field: "detail",
    },
    {
      name: "eventName a number",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = 42;
      }),
      field: "detail.eventName",
    },
    {
      name: "no userIdentity",
      event: variant("elbv2-modify-listener", (e) => {
        delete e.detail.userIdentity;
      }),
      field: "detail.userIdentity",
    },
    {
      name: "requestParameters a string",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.requestParameters = "listenerArn=...";
      }),
      field: "detail.requestParameters",
    },
    {
      name: "unknown Config item status",
      event: configItem((item) => {
        item.configurationItemStatus = "Gone";
      }),
      field: "detail.configurationItem.configurationItemStatus",
    },
    {
      name: "unknown Config messageType",
      event: variant("config-item-change-listener", (e) => {
        e.detail.messageType = "ConfigurationSnapshotDeliveryCompleted";
      }),
      field: "detail.messageType",
    },
    {
      name: "compliance change without newEvaluationResult",
      event: (() => {
        const event = complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3");
        delete (event.detail as Json).newEvaluationResult;
        return event;
      })(),
      field: "detail.newEvaluationResult",
    },
  ])("$name -> names $field", ({ event, field }) => {
    // Act
    const result = classify(event, options);

    // Assess
    expect(result.kind).toBe("malformed");
    expect(result.kind === "malformed" && result.reason).toMatch(new RegExp(`(^|; )${escapeRegex(field)}: `));
  });

  it("keeps the envelope id when only the detail is malformed", () => {
    // Prepare
    const event = variant("elbv2-modify-listener", (e) => {
      e.detail.eventName = 42;
    });

    // Act
    const result = classify(event, options);

    // Assess
    expect(result).toMatchObject({ kind: "malformed", eventId: event.id });
  });
});

describe("classify: the actor of every userIdentity type", () => {
  const base = { eventName: "ModifyListener", eventTime: "2026-03-01T09:00:05Z", sourceIp: "203.0.113.24" };
  it.each<{ type: string; identity: Json; actor: Partial<Actor> }>([
    {
      type: "IAMUser",
      identity: {
        type: "IAMUser",
        principalId: "AIDAEXAMPLEUSERID001",
        arn: "arn:aws:iam::111122223333:user/deploy-bot",
        accountId: "111122223333",
        userName: "deploy-bot",
      },
      actor: {
        arn: "arn:aws:iam::111122223333:user/deploy-bot",
        principalId: "AIDAEXAMPLEUSERID001",
        accountId: "111122223333",
        userName: "deploy-bot",
      },
    },
    {
      type: "AssumedRole",
      identity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLE:alice",
        arn: "arn:aws:sts::111122223333:assumed-role/Dev/alice",
        accountId: "111122223333",
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            arn: "arn:aws:iam::111122223333:role/Dev",
            userName: "Dev",
            accountId: "111122223333",
          },
        },
      },
      actor: {
        arn: "arn:aws:sts::111122223333:assumed-role/Dev/alice",
        userName: "Dev",
        sessionIssuerArn: "arn:aws:iam::111122223333:role/Dev",
      },
    },
    {
      type: "Root",
      identity: { type: "Root", principalId: "111122223333", accountId: "111122223333" },
      actor: { arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" },
    },
    {
      type: "AWSService",
      identity: { type: "AWSService", invokedBy: "elasticbeanstalk.amazonaws.com" },
      actor: { arn: "elasticbeanstalk.amazonaws.com", accountId: "111122223333" },
    },
    {
      type: "FederatedUser",
      identity: {
        type: "FederatedUser",
        principalId: "111122223333:bob",
        arn: "arn:aws:sts::111122223333:federated-user/bob",
        accountId: "111122223333",
        sessionContext: {
          sessionIssuer: {
            type: "IAMUser",
            arn: "arn:aws:iam::111122223333:user/broker",
            userName: "broker",
          },
        },
      },
      actor: {
        arn: "arn:aws:sts::111122223333:federated-user/bob",
        userName: "broker",
        sessionIssuerArn: "arn:aws:iam::111122223333:user/broker",
      },
    },
    {
      type: "WebIdentityUser",
      identity: {
        type: "WebIdentityUser",
        principalId: "accounts.google.com:1234567890",
        userName: "1234567890",
        identityProvider: "accounts.google.com",
      },
      actor: { arn: "WebIdentityUser:accounts.google.com:1234567890", userName: "1234567890" },
    },
    {
      type: "SAMLUser",
      identity: {
        type: "SAMLUser",
        principalId: "SAMLExample:alice@example.com",
        userName: "alice@example.com",
        identityProvider: "bdGOnTesti4+ERQNvt7UU9BEXAMPLE=",
      },
      actor: {
        arn: "SAMLUser:bdGOnTesti4+ERQNvt7UU9BEXAMPLE=:alice@example.com",
        userName: "alice@example.com",
      },
    },
    {
      type: "IdentityCenterUser",
      identity: {
        type: "IdentityCenterUser",
        accountId: "111122223333",
        onBehalfOf: {
          userId: "544894e8-80c1-707f-60e3-3ba6510dfac1",
          identityStoreArn: "arn:aws:identitystore::111122223333:identitystore/d-9067642ac7",
        },
        credentialId: "EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE",
      },
      actor: {
        arn: "arn:aws:identitystore::111122223333:identitystore/d-9067642ac7/user/544894e8-80c1-707f-60e3-3ba6510dfac1",
        accountId: "111122223333",
      },
    },
    {
      type: "Unknown",
      identity: { type: "Unknown", principalId: "someone" },
      actor: { arn: "Unknown:someone" },
    },
  ])("$type", ({ type, identity, actor }) => {
    // Prepare
    const event = variant("elbv2-modify-listener", (e) => {
      e.detail.userIdentity = identity;
    });

    // Act
    const result = classify(event, options);

    // Assess
    expect(result.kind).toBe("trigger");
    expect(result.kind === "trigger" && result.actor).toMatchObject({ ...base, type, ...actor });
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
