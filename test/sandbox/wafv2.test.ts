import { DeleteLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  AssociateWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLCommand,
  GetWebACLForResourceCommand,
  ListResourcesForWebACLCommand,
  ListWebACLsCommand,
  WAFInvalidParameterException,
  WAFNonexistentItemException,
  WAFUnavailableEntityException,
  WAFV2ServiceException,
} from "@aws-sdk/client-wafv2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { SandboxAccount } from "../../local/sandbox/account.js";
import { failure, LB, plugged, shopState, wafv2Client } from "./helpers.js";

const ACCOUNT = "111122223333";
const webAcl = (region: string, scope: "regional" | "global", name: string, n: number) =>
  `arn:aws:wafv2:${region}:${ACCOUNT}:${scope}/webacl/${name}/a1b2c3d4-5678-90ab-cdef-${String(n).repeat(12)}`;
const SHOP_ACL = webAcl("us-west-2", "regional", "shop-protect", 1);
const STRICT_ACL = webAcl("us-west-2", "regional", "shop-strict", 2);
const IRELAND_ACL = webAcl("eu-west-1", "regional", "eu-protect", 3);
const GLOBAL_ACL = webAcl("us-east-1", "global", "edge-protect", 4);
const BLOG = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/blog/1234567890abcdef";
const NLB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/edge/1a2b3c4d5e6f7a8b";
const IRELAND_ALB =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/eu-shop/abcdef0123456789";
const GONE_ALB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/gone/0000000000000000";
const INVALID_ARN =
  "The ARN isn't valid. A valid ARN begins with arn: and includes other information separated by colons or slashes.";

function aclOf(arn: string) {
  const [, , name, id] = arn.split(":").at(-1)?.split("/") ?? [];
  return { Name: name, Id: id, ARN: arn, Description: `${name} rules` };
}

function protectedShop(): { sandbox: SandboxAccount; waf: ReturnType<typeof wafv2Client> } {
  const state = shopState() as { elbv2: { loadBalancers: unknown[] } } & Record<string, unknown>;
  state.elbv2.loadBalancers.push(
    { LoadBalancerArn: BLOG, Type: "application" },
    { LoadBalancerArn: NLB, Type: "network" },
    { LoadBalancerArn: IRELAND_ALB, Type: "application" },
  );
  state.wafv2 = {
    webAcls: [SHOP_ACL, STRICT_ACL, IRELAND_ACL, GLOBAL_ACL].map(aclOf),
    associations: [{ ResourceArn: LB, WebACLArn: SHOP_ACL }],
  };
  const sandbox = plugged({ state });
  return { sandbox, waf: wafv2Client(sandbox, "us-west-2") };
}

describe("WAFv2 web ACLs of load balancers", () => {
  it("answers GetWebACLForResource with the load balancer's web ACL, or none", async () => {
    // Prepare
    const { waf } = protectedShop();

    // Act
    const shop = await waf.send(new GetWebACLForResourceCommand({ ResourceArn: LB }));
    const blog = await waf.send(new GetWebACLForResourceCommand({ ResourceArn: BLOG }));

    // Assess
    expect(shop.WebACL).toMatchObject({
      Name: "shop-protect",
      ARN: SHOP_ACL,
      DefaultAction: { Allow: {} },
      VisibilityConfig: { MetricName: "shop-protect" },
      LabelNamespace: "awswaf:111122223333:webacl:shop-protect:",
    });
    expect(blog.WebACL).toBeUndefined();
    expect(blog.$metadata.httpStatusCode).toBe(200);
  });

  it("associates a web ACL, and a second one replaces it (one web ACL per resource)", async () => {
    // Prepare
    const { sandbox, waf } = protectedShop();

    // Act
    await waf.send(new AssociateWebACLCommand({ WebACLArn: STRICT_ACL, ResourceArn: BLOG }));
    await waf.send(new AssociateWebACLCommand({ WebACLArn: STRICT_ACL, ResourceArn: LB }));

    // Assess
    const shop = await waf.send(new GetWebACLForResourceCommand({ ResourceArn: LB }));
    expect(shop.WebACL?.ARN).toBe(STRICT_ACL);
    const strict = await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: STRICT_ACL }));
    const old = await waf.send(
      new ListResourcesForWebACLCommand({ WebACLArn: SHOP_ACL, ResourceType: "APPLICATION_LOAD_BALANCER" }),
    );
    expect(strict.ResourceArns).toEqual([LB, BLOG]);
    expect(old.ResourceArns).toEqual([]);
    expect(sandbox.state().wafv2.associations).toEqual(
      expect.arrayContaining([
        { ResourceArn: LB, WebACLArn: STRICT_ACL },
        { ResourceArn: BLOG, WebACLArn: STRICT_ACL },
      ]),
    );
    expect(sandbox.mutations.map((m) => [m.service, m.action])).toEqual([
      ["wafv2", "AssociateWebACL"],
      ["wafv2", "AssociateWebACL"],
    ]);
  });

  it("disassociates, and disassociating an unprotected load balancer succeeds too", async () => {
    // Prepare
    const { sandbox, waf } = protectedShop();

    // Act
    await waf.send(new DisassociateWebACLCommand({ ResourceArn: LB }));
    await waf.send(new DisassociateWebACLCommand({ ResourceArn: LB }));

    // Assess
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: LB }))).WebACL).toBeUndefined();
    expect(sandbox.state().wafv2.associations).toEqual([]);
  });

  it("forgets the association of a deleted load balancer", async () => {
    // Prepare
    const { sandbox, waf } = protectedShop();

    // Act
    await clients.elbv2("us-west-2").send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LB }));

    // Assess
    expect((await waf.send(new ListResourcesForWebACLCommand({ WebACLArn: SHOP_ACL }))).ResourceArns).toEqual(
      [],
    );
    expect(sandbox.state().wafv2.associations).toEqual([]);
  });

  it.each([
    ["REGIONAL in us-west-2", "us-west-2", "REGIONAL", [SHOP_ACL, STRICT_ACL]],
    ["REGIONAL in eu-west-1", "eu-west-1", "REGIONAL", [IRELAND_ACL]],
    ["CLOUDFRONT in us-east-1", "us-east-1", "CLOUDFRONT", [GLOBAL_ACL]],
    ["REGIONAL in us-east-1", "us-east-1", "REGIONAL", []],
  ] as const)("lists the web ACLs of scope %s", async (_case, region, scope, expected) => {
    // Prepare
    const { sandbox } = protectedShop();

    // Act
    const { WebACLs, NextMarker } = await wafv2Client(sandbox, region).send(
      new ListWebACLsCommand({ Scope: scope }),
    );

    // Assess
    expect(WebACLs?.map((acl) => acl.ARN)).toEqual(expected);
    expect(NextMarker).toBeUndefined();
    for (const acl of WebACLs ?? []) {
      expect(acl).toEqual({
        Name: aclOf(acl.ARN as string).Name,
        Id: aclOf(acl.ARN as string).Id,
        Description: aclOf(acl.ARN as string).Description,
        LockToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ARN: acl.ARN,
      });
    }
  });

  it("pages ListWebACLs with Limit and NextMarker", async () => {
    // Prepare
    const { waf } = protectedShop();

    // Act
    const first = await waf.send(new ListWebACLsCommand({ Scope: "REGIONAL", Limit: 1 }));
    const second = await waf.send(
      new ListWebACLsCommand({ Scope: "REGIONAL", Limit: 1, NextMarker: first.NextMarker }),
    );

    // Assess
    expect(first.WebACLs?.map((acl) => acl.Name)).toEqual(["shop-protect"]);
    expect(first.NextMarker).toEqual(expect.any(String));
    expect(second.WebACLs?.map((acl) => acl.Name)).toEqual(["shop-strict"]);
    expect(second.NextMarker).toBeUndefined();
  });

  it.each([
    [
      "by name, scope and id",
      { Name: "shop-strict", Scope: "REGIONAL", Id: aclOf(STRICT_ACL).Id },
      "us-west-2",
      STRICT_ACL,
    ],
    ["by ARN", { ARN: STRICT_ACL }, "us-west-2", STRICT_ACL],
    [
      "of CloudFront scope in us-east-1",
      { Name: "edge-protect", Scope: "CLOUDFRONT", Id: aclOf(GLOBAL_ACL).Id },
      "us-east-1",
      GLOBAL_ACL,
    ],
  ] as const)("gets a web ACL %s", async (_case, input, region, expected) => {
    // Prepare
    const { sandbox } = protectedShop();

    // Act
    const { WebACL, LockToken } = await wafv2Client(sandbox, region).send(new GetWebACLCommand(input));

    // Assess
    expect(WebACL?.ARN).toBe(expected);
    expect(WebACL?.Capacity).toBe(0);
    expect(LockToken).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });

  it.each([
    ["a global ARN", GLOBAL_ACL, true],
    ["a regional ARN", SHOP_ACL, false],
    ["a global ARN the account does not hold", webAcl("us-east-1", "global", "nobody", 9), false],
    ["no ARN at all", "E2QWRUHEXAMPLE", false],
  ])("tells the CloudFront stand-in whether %s is an existing global web ACL", (_case, arn, expected) => {
    // Prepare
    const { sandbox } = protectedShop();

    // Act
    const global = sandbox.isGlobalWebAcl(arn);

    // Assess
    expect(global).toBe(expected);
  });
});

describe("WAFv2 refusals", () => {
  const invalidArn = (parameter: string) => ({
    errorClass: WAFInvalidParameterException,
    fields: {
      name: "WAFInvalidParameterException",
      Field: "RESOURCE_ARN",
      Parameter: parameter,
      Reason: INVALID_ARN,
      message: `Error reason: ${INVALID_ARN}, field: RESOURCE_ARN, parameter: ${parameter}`,
    },
  });

  it.each([
    [
      "a global (CloudFront) web ACL for a load balancer",
      "us-west-2",
      () => new AssociateWebACLCommand({ WebACLArn: GLOBAL_ACL, ResourceArn: LB }),
      invalidArn(GLOBAL_ACL),
    ],
    [
      "a web ACL of another region",
      "us-west-2",
      () => new AssociateWebACLCommand({ WebACLArn: IRELAND_ACL, ResourceArn: LB }),
      invalidArn(IRELAND_ACL),
    ],
    [
      "a load balancer of another region",
      "us-west-2",
      () => new AssociateWebACLCommand({ WebACLArn: SHOP_ACL, ResourceArn: IRELAND_ALB }),
      invalidArn(IRELAND_ALB),
    ],
    [
      "a network load balancer",
      "us-west-2",
      () => new AssociateWebACLCommand({ WebACLArn: SHOP_ACL, ResourceArn: NLB }),
      invalidArn(NLB),
    ],
    [
      "a web ACL that does not exist",
      "us-west-2",
      () =>
        new AssociateWebACLCommand({
          WebACLArn: webAcl("us-west-2", "regional", "nobody", 9),
          ResourceArn: LB,
        }),
      { errorClass: WAFNonexistentItemException, fields: { name: "WAFNonexistentItemException" } },
    ],
    [
      "a load balancer that does not exist (association)",
      "us-west-2",
      () => new AssociateWebACLCommand({ WebACLArn: SHOP_ACL, ResourceArn: GONE_ALB }),
      { errorClass: WAFUnavailableEntityException, fields: { name: "WAFUnavailableEntityException" } },
    ],
    [
      "a load balancer that does not exist (disassociation)",
      "us-west-2",
      () => new DisassociateWebACLCommand({ ResourceArn: GONE_ALB }),
      { errorClass: WAFNonexistentItemException, fields: { name: "WAFNonexistentItemException" } },
    ],
    [
      "the resources of a global web ACL",
      "us-east-1",
      () => new ListResourcesForWebACLCommand({ WebACLArn: GLOBAL_ACL }),
      invalidArn(GLOBAL_ACL),
    ],
    [
      "CLOUDFRONT scope outside us-east-1",
      "us-west-2",
      () => new ListWebACLsCommand({ Scope: "CLOUDFRONT" }),
      {
        errorClass: WAFInvalidParameterException,
        fields: {
          Field: "SCOPE_VALUE",
          Parameter: "CLOUDFRONT",
          message: "Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT",
        },
      },
    ],
    [
      "a missing ResourceArn",
      "us-west-2",
      () => new GetWebACLForResourceCommand({} as never),
      {
        errorClass: WAFV2ServiceException,
        fields: { name: "ValidationException", message: expect.stringContaining("'resourceArn'") },
      },
    ],
    [
      "a web ACL that does not exist (GetWebACL)",
      "us-west-2",
      () =>
        new GetWebACLCommand({
          Name: "nobody",
          Scope: "REGIONAL",
          Id: "a1b2c3d4-5678-90ab-cdef-999999999999",
        }),
      { errorClass: WAFNonexistentItemException, fields: { name: "WAFNonexistentItemException" } },
    ],
  ])("refuses %s with WAF's own error, changing nothing", async (_case, region, command, expected) => {
    // Prepare
    const { sandbox } = protectedShop();
    const before = sandbox.state();

    // Act
    const error = await failure(wafv2Client(sandbox, region).send(command() as never));

    // Assess
    expect(error).toBeInstanceOf(expected.errorClass);
    expect(error).toMatchObject(expected.fields);
    expect(error.$fault).toBe("client");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: expect.any(String) });
    expect(sandbox.state()).toEqual(before);
    expect(sandbox.mutations).toEqual([]);
  });

  it("throttles with ThrottlingException, as the scenario contract says for WAF", async () => {
    // Prepare
    const { sandbox } = protectedShop();
    sandbox.throttle({ service: "wafv2", action: "GetWebACLForResource", times: 1 });

    // Act
    const error = await failure(
      sandbox.call("wafv2", "GetWebACLForResource", { ResourceArn: LB }, sandbox.remediator(), "us-west-2"),
    );

    // Assess
    expect(error).toBeInstanceOf(WAFV2ServiceException);
    expect(error).toMatchObject({ name: "ThrottlingException", $retryable: { throttling: true } });
  });
});
