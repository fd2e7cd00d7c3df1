import { ModifyLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AssociateWebACLCommand, DisassociateWebACLCommand } from "@aws-sdk/client-wafv2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { SandboxAccount } from "../../local/sandbox/account.js";
import type { CloudTrailEnvelope } from "../../local/sandbox/cloudtrail.js";
import { failure, LB, plugged, shopState, wafv2Client } from "./helpers.js";

const SHOP_ACL =
  "arn:aws:wafv2:us-west-2:111122223333:regional/webacl/shop-protect/a1b2c3d4-5678-90ab-cdef-111111111111";
const GLOBAL_ACL =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge-protect/a1b2c3d4-5678-90ab-cdef-444444444444";
const REMEDIATOR = "arn:aws:iam::111122223333:role/driftwarden-remediator";

/** The shop ALB and two web ACLs, plugged under the SDK as the remediator, with every echo collected. */
function echoingShop(): { sandbox: SandboxAccount; echoed: CloudTrailEnvelope[] } {
  const state = shopState();
  state.wafv2 = {
    webAcls: [
      { Name: "shop-protect", Id: "a1b2c3d4-5678-90ab-cdef-111111111111", ARN: SHOP_ACL },
      { Name: "edge-protect", Id: "a1b2c3d4-5678-90ab-cdef-444444444444", ARN: GLOBAL_ACL },
    ],
    associations: [],
  };
  const sandbox = plugged({ state });
  const echoed: CloudTrailEnvelope[] = [];
  sandbox.onMutation((m) => {
    echoed.push(sandbox.cloudTrailEvent(m));
  });
  sandbox.onFailedCall((f) => echoed.push(sandbox.failedCallEvent(f)));
  return { sandbox, echoed };
}

const remediatorIdentity = {
  type: "AssumedRole",
  sessionContext: { sessionIssuer: { type: "Role", arn: REMEDIATOR, userName: "driftwarden-remediator" } },
};

describe("CloudTrail echoes of the remediator's load balancer and WAF changes", () => {
  it.each([
    [
      "ModifyLoadBalancerAttributes",
      (_sandbox: SandboxAccount) =>
        clients.elbv2("us-west-2").send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: LB,
            Attributes: [{ Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" }],
          }),
        ),
      {
        source: "aws.elasticloadbalancing",
        region: "us-west-2",
        detail: {
          eventSource: "elasticloadbalancing.amazonaws.com",
          eventName: "ModifyLoadBalancerAttributes",
          awsRegion: "us-west-2",
          apiVersion: "2015-12-01",
          userIdentity: remediatorIdentity,
          requestParameters: {
            loadBalancerArn: LB,
            attributes: [{ key: "routing.http.drop_invalid_header_fields.enabled", value: "true" }],
          },
          responseElements: {
            attributes: expect.arrayContaining([
              { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
              { key: "deletion_protection.enabled", value: "false" },
            ]),
          },
        },
      },
    ],
    [
      "AssociateWebACL",
      (sandbox: SandboxAccount) =>
        wafv2Client(sandbox, "us-west-2").send(
          new AssociateWebACLCommand({ WebACLArn: SHOP_ACL, ResourceArn: LB }),
        ),
      {
        source: "aws.wafv2",
        region: "us-west-2",
        detail: {
          eventSource: "wafv2.amazonaws.com",
          eventName: "AssociateWebACL",
          awsRegion: "us-west-2",
          apiVersion: "2019-07-29",
          userIdentity: remediatorIdentity,
          requestParameters: { webACLArn: SHOP_ACL, resourceArn: LB },
          responseElements: null,
          tlsDetails: { clientProvidedHostHeader: "wafv2.us-west-2.amazonaws.com" },
        },
      },
    ],
    [
      "DisassociateWebACL",
      (sandbox: SandboxAccount) =>
        wafv2Client(sandbox, "us-west-2").send(new DisassociateWebACLCommand({ ResourceArn: LB })),
      {
        source: "aws.wafv2",
        region: "us-west-2",
        detail: {
          eventSource: "wafv2.amazonaws.com",
          eventName: "DisassociateWebACL",
          userIdentity: remediatorIdentity,
          requestParameters: { resourceArn: LB },
          responseElements: null,
        },
      },
    ],
    [
      "a refused AssociateWebACL (global web ACL on a load balancer)",
      (sandbox: SandboxAccount) =>
        failure(
          wafv2Client(sandbox, "us-west-2").send(
            new AssociateWebACLCommand({ WebACLArn: GLOBAL_ACL, ResourceArn: LB }),
          ),
        ),
      {
        source: "aws.wafv2",
        detail: {
          eventName: "AssociateWebACL",
          errorCode: "WAFInvalidParameterException",
          errorMessage: expect.stringContaining("field: RESOURCE_ARN"),
          requestParameters: { webACLArn: GLOBAL_ACL, resourceArn: LB },
          responseElements: null,
        },
      },
    ],
  ])("echoes %s as CloudTrail records it", async (_case, act, expected) => {
    // Prepare
    const { sandbox, echoed } = echoingShop();

    // Act
    await act(sandbox);
    await sandbox.settle();

    // Assess
    expect(echoed).toHaveLength(1);
    expect(echoed[0]).toMatchObject({
      "detail-type": "AWS API Call via CloudTrail",
      account: "111122223333",
      ...expected,
    });
  });
});
