import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../functions/lib/errors.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { parseSandboxState } from "../../local/sandbox/state.js";
import { LB } from "./helpers.js";

const SHOP_ACL =
  "arn:aws:wafv2:us-west-2:111122223333:regional/webacl/shop-protect/a1b2c3d4-5678-90ab-cdef-111111111111";
const IRELAND_ACL =
  "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/eu-protect/a1b2c3d4-5678-90ab-cdef-333333333333";
const GLOBAL_ACL =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge-protect/a1b2c3d4-5678-90ab-cdef-444444444444";
const NLB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/edge/1a2b3c4d5e6f7a8b";

const acl = (arn: string) => {
  const [, , Name, Id] = arn.split(":").at(-1)?.split("/") ?? [];
  return { Name, Id, ARN: arn };
};

function state(wafv2: Record<string, unknown>) {
  return {
    elbv2: {
      loadBalancers: [
        { LoadBalancerArn: LB, Type: "application" },
        { LoadBalancerArn: NLB, Type: "network" },
      ],
    },
    wafv2,
  };
}

describe("the wafv2 section of a scenario state", () => {
  it("round-trips web ACLs (as GetWebACL shows them) and associations", () => {
    // Prepare
    const given = state({
      webAcls: [
        { ...acl(SHOP_ACL), DefaultAction: { Block: {} }, Description: "shop rules", Capacity: 700 },
        acl(GLOBAL_ACL),
      ],
      associations: [{ ResourceArn: LB, WebACLArn: SHOP_ACL }],
    });

    // Act
    const out = new SandboxAccount({ state: given }).state();

    // Assess
    expect(out.wafv2).toEqual(given.wafv2);
    expect(parseSandboxState(out)).toEqual(out);
  });

  it("is optional: an account without it holds no web ACLs", () => {
    // Prepare / Act
    const out = new SandboxAccount({ state: {} }).state();

    // Assess
    expect(out.wafv2).toEqual({ webAcls: [], associations: [] });
  });

  it.each([
    [
      "an ARN that is no web ACL",
      { webAcls: [{ Name: "x", Id: "1", ARN: "arn:aws:wafv2:us-west-2:111122223333:regional/ipset/x/1" }] },
      "state.wafv2.webAcls.0.ARN: must be a web ACL ARN",
    ],
    [
      "a global web ACL outside us-east-1",
      {
        webAcls: [
          {
            Name: "edge",
            Id: "1",
            ARN: "arn:aws:wafv2:eu-west-1:111122223333:global/webacl/edge/1",
          },
        ],
      },
      "state.wafv2.webAcls.0.ARN",
    ],
    [
      "an ARN that does not end with the Name and Id",
      { webAcls: [{ ...acl(SHOP_ACL), Name: "other" }] },
      "state.wafv2.webAcls.0.ARN: does not end with the Name and Id",
    ],
    [
      "a web ACL listed twice",
      { webAcls: [acl(SHOP_ACL), acl(SHOP_ACL)] },
      "state.wafv2.webAcls.1.ARN: appears twice",
    ],
    [
      "an association naming an unknown web ACL",
      { webAcls: [], associations: [{ ResourceArn: LB, WebACLArn: SHOP_ACL }] },
      "state.wafv2.associations.0.WebACLArn: names no web ACL in wafv2.webAcls",
    ],
    [
      "an association naming an unknown load balancer",
      {
        webAcls: [acl(SHOP_ACL)],
        associations: [
          { ResourceArn: LB.replace("0f9e8d7c6b5a4930", "0000000000000000"), WebACLArn: SHOP_ACL },
        ],
      },
      "state.wafv2.associations.0.ResourceArn: names no load balancer in elbv2.loadBalancers",
    ],
    [
      "a global web ACL on a load balancer",
      { webAcls: [acl(GLOBAL_ACL)], associations: [{ ResourceArn: LB, WebACLArn: GLOBAL_ACL }] },
      "state.wafv2.associations.0.WebACLArn: is a global (CLOUDFRONT) web ACL",
    ],
    [
      "a web ACL of another region",
      { webAcls: [acl(IRELAND_ACL)], associations: [{ ResourceArn: LB, WebACLArn: IRELAND_ACL }] },
      "state.wafv2.associations.0.ResourceArn: is in us-west-2 but its web ACL is in eu-west-1",
    ],
    [
      "a network load balancer",
      { webAcls: [acl(SHOP_ACL)], associations: [{ ResourceArn: NLB, WebACLArn: SHOP_ACL }] },
      "state.wafv2.associations.0.ResourceArn: is not an application load balancer",
    ],
    [
      "two web ACLs on one load balancer",
      {
        webAcls: [acl(SHOP_ACL)],
        associations: [
          { ResourceArn: LB, WebACLArn: SHOP_ACL },
          { ResourceArn: LB, WebACLArn: SHOP_ACL },
        ],
      },
      "state.wafv2.associations.1.ResourceArn: already has a web ACL",
    ],
  ])("rejects %s, naming the field", (_case, wafv2, message) => {
    // Prepare / Act
    const attempt = () => parseSandboxState(state(wafv2));

    // Assess
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(message);
  });
});
