import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateRuleCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DuplicateListenerException,
  ElasticLoadBalancingV2ServiceException,
  InvalidLoadBalancerActionException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  RemoveTagsCommand,
  RuleNotFoundException,
  SetRulePrioritiesCommand,
  TargetGroupNotFoundException,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { iamUser } from "../../local/sandbox/identity.js";
import {
  failure,
  forwardToShop,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  LB,
  plugged,
  redirectToHttps,
  shopState,
  TARGET_GROUP,
} from "./helpers.js";

const elbv2 = () => clients.elbv2("us-west-2");
const authenticate = {
  Type: "authenticate-oidc",
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: "https://idp.example.com",
    AuthorizationEndpoint: "https://idp.example.com/authorize",
    TokenEndpoint: "https://idp.example.com/token",
    UserInfoEndpoint: "https://idp.example.com/userinfo",
    ClientId: "shop",
  },
};

async function listener(arn: string) {
  const { Listeners } = await elbv2().send(new DescribeListenersCommand({ ListenerArns: [arn] }));
  return Listeners?.[0];
}

async function addRule(priority: number, path: string) {
  const { Rules } = await elbv2().send(
    new CreateRuleCommand({
      ListenerArn: HTTPS_LISTENER,
      Priority: priority,
      Conditions: [{ Field: "path-pattern", Values: [path] }],
      Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }],
    }),
  );
  return Rules?.[0]?.RuleArn as string;
}

describe("ELBv2 listeners", () => {
  it("ModifyListener replaces the whole DefaultActions list and keeps the other fields", async () => {
    // Prepare: the HTTPS listener authenticates, then forwards
    plugged();
    await elbv2().send(
      new ModifyListenerCommand({
        ListenerArn: HTTPS_LISTENER,
        DefaultActions: [authenticate, { ...forwardToShop, Order: 2 }] as never,
      }),
    );

    // Act: a new list with only the forward
    const { Listeners } = await elbv2().send(
      new ModifyListenerCommand({ ListenerArn: HTTPS_LISTENER, DefaultActions: [forwardToShop] as never }),
    );

    // Assess: the authenticate action is gone, port, protocol, policy and certificate are kept
    const after = await listener(HTTPS_LISTENER);
    expect(Listeners?.[0]).toEqual(after);
    expect(after?.DefaultActions).toEqual([forwardToShop]);
    expect(after).toMatchObject({
      Port: 443,
      Protocol: "HTTPS",
      SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(after?.Certificates).toHaveLength(1);
  });

  it("stores actions the way AWS returns them (forward config and redirect components filled in)", async () => {
    // Prepare
    plugged();

    // Act
    await elbv2().send(
      new ModifyListenerCommand({
        ListenerArn: HTTP_LISTENER,
        DefaultActions: [
          { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
        ],
      }),
    );
    await elbv2().send(
      new ModifyListenerCommand({
        ListenerArn: HTTPS_LISTENER,
        DefaultActions: [{ Type: "forward", TargetGroupArn: TARGET_GROUP }],
      }),
    );

    // Assess
    expect((await listener(HTTP_LISTENER))?.DefaultActions).toEqual([redirectToHttps]);
    expect((await listener(HTTPS_LISTENER))?.DefaultActions).toEqual([forwardToShop]);
  });

  it("rejects a second listener on a port with DuplicateListenerException", async () => {
    // Prepare
    const sandbox = plugged();
    const before = sandbox.state();

    // Act
    const error = await failure(
      elbv2().send(
        new CreateListenerCommand({
          LoadBalancerArn: LB,
          Port: 80,
          Protocol: "HTTP",
          DefaultActions: [redirectToHttps] as never,
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(DuplicateListenerException);
    expect(sandbox.state()).toEqual(before);
    expect(sandbox.mutations).toEqual([]);
  });

  it("creates listeners with AWS-shaped ARNs that are the same on every run", async () => {
    // Prepare
    const create = () =>
      new SandboxAccount({ state: shopState() }).call(
        "elbv2",
        "CreateListener",
        { LoadBalancerArn: LB, Port: 8080, Protocol: "HTTP", DefaultActions: [redirectToHttps] },
        iamUser("111122223333", "carol"),
      );

    // Act
    const first = await create();
    const second = await create();

    // Assess
    const arn = (first.Listeners as { ListenerArn: string }[])[0]?.ListenerArn;
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:us-west-2:111122223333:listener\/app\/shop-prod\/0f9e8d7c6b5a4930\/[0-9a-f]{16}$/,
    );
    expect(second).toEqual(first);
  });

  it.each([
    ["two terminal actions", [redirectToHttps, forwardToShop], InvalidLoadBalancerActionException, undefined],
    ["an unknown action type", [{ Type: "drop" }], ElasticLoadBalancingV2ServiceException, "ValidationError"],
    [
      "a redirect without status code",
      [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS" } }],
      ElasticLoadBalancingV2ServiceException,
      "ValidationError",
    ],
    [
      "authentication on plain HTTP",
      [authenticate, { ...forwardToShop, Order: 2 }],
      InvalidLoadBalancerActionException,
      undefined,
    ],
    [
      "a forward without target group",
      [{ Type: "forward" }],
      ElasticLoadBalancingV2ServiceException,
      "ValidationError",
    ],
  ])("rejects %s and changes nothing", async (_case, actions, errorClass, name) => {
    // Prepare
    const sandbox = plugged();
    const before = sandbox.state();

    // Act
    const error = await failure(
      elbv2().send(
        new ModifyListenerCommand({ ListenerArn: HTTP_LISTENER, DefaultActions: actions as never }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    if (name) expect(error.name).toBe(name);
    expect(error.$fault).toBe("client");
    expect(sandbox.state()).toEqual(before);
  });

  it("requires a certificate on HTTPS listeners", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      elbv2().send(
        new CreateListenerCommand({
          LoadBalancerArn: LB,
          Port: 8443,
          Protocol: "HTTPS",
          DefaultActions: [forwardToShop] as never,
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
    expect(error.name).toBe("ValidationError");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it("pages DescribeListeners with Marker and PageSize", async () => {
    // Prepare
    plugged();

    // Act
    const first = await elbv2().send(new DescribeListenersCommand({ LoadBalancerArn: LB, PageSize: 1 }));
    const second = await elbv2().send(
      new DescribeListenersCommand({ LoadBalancerArn: LB, PageSize: 1, Marker: first.NextMarker }),
    );

    // Assess
    expect(first.Listeners?.map((l) => l.ListenerArn)).toEqual([HTTP_LISTENER]);
    expect(second.Listeners?.map((l) => l.ListenerArn)).toEqual([HTTPS_LISTENER]);
    expect(second.NextMarker).toBeUndefined();
  });
});

describe("ELBv2 rules", () => {
  it("lists the default rule last, with IsDefault, Priority 'default' and the listener's DefaultActions", async () => {
    // Prepare
    plugged();
    const late = await addRule(20, "/late/*");
    const early = await addRule(5, "/early/*");

    // Act
    const { Rules } = await elbv2().send(new DescribeRulesCommand({ ListenerArn: HTTPS_LISTENER }));

    // Assess
    expect(Rules?.map((r) => [r.RuleArn, r.Priority, r.IsDefault])).toEqual([
      [early, "5", false],
      [late, "20", false],
      [
        expect.stringMatching(
          /:listener-rule\/app\/shop-prod\/0f9e8d7c6b5a4930\/2615374859a6b7c8\/[0-9a-f]{16}$/,
        ),
        "default",
        true,
      ],
    ]);
    const defaultRule = Rules?.[2];
    expect(defaultRule?.Conditions).toEqual([]);
    expect(defaultRule?.Actions).toEqual((await listener(HTTPS_LISTENER))?.DefaultActions);
    const again = await elbv2().send(
      new DescribeRulesCommand({ RuleArns: [defaultRule?.RuleArn as string] }),
    );
    expect(again.Rules).toEqual([defaultRule]);
  });

  it("rejects a priority already used on the listener", async () => {
    // Prepare
    const sandbox = plugged();
    const first = await addRule(10, "/a/*");
    const second = await addRule(11, "/b/*");
    const before = sandbox.state();

    // Act
    const created = await failure(addRule(10, "/c/*"));
    const moved = await failure(
      elbv2().send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: second, Priority: 10 }] })),
    );

    // Assess
    expect(created).toBeInstanceOf(PriorityInUseException);
    expect(moved).toBeInstanceOf(PriorityInUseException);
    expect(sandbox.state()).toEqual(before);
    // Swapping two priorities in one call is fine: only the final assignment must be unique.
    await elbv2().send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: first, Priority: 11 },
          { RuleArn: second, Priority: 10 },
        ],
      }),
    );
    const { Rules } = await elbv2().send(new DescribeRulesCommand({ RuleArns: [first, second] }));
    expect(Rules?.map((r) => r.Priority)).toEqual(["11", "10"]);
  });

  it.each([
    [
      "modified",
      (arn: string) => new ModifyRuleCommand({ RuleArn: arn, Actions: [redirectToHttps] as never }),
    ],
    ["deleted", (arn: string) => new DeleteRuleCommand({ RuleArn: arn })],
    [
      "re-prioritised",
      (arn: string) => new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: arn, Priority: 3 }] }),
    ],
  ])("refuses to let the default rule be %s through the rule APIs", async (_case, command) => {
    // Prepare
    plugged();
    const { Rules } = await elbv2().send(new DescribeRulesCommand({ ListenerArn: HTTP_LISTENER }));
    const defaultArn = Rules?.find((r) => r.IsDefault)?.RuleArn as string;

    // Act
    const error = await failure(elbv2().send(command(defaultArn) as never));

    // Assess
    expect(error).toBeInstanceOf(OperationNotPermittedException);
    expect((await listener(HTTP_LISTENER))?.DefaultActions).toEqual([redirectToHttps]);
  });
});

describe("ELBv2 load balancers", () => {
  it("DeleteLoadBalancer removes the load balancer with its listeners and rules, and succeeds again once it is gone", async () => {
    // Prepare
    const sandbox = plugged();
    await elbv2().send(
      new CreateRuleCommand({
        ListenerArn: HTTP_LISTENER,
        Priority: 10,
        Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }],
        Actions: [forwardToShop] as never,
      }),
    );

    // Act
    await elbv2().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LB }));
    await elbv2().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LB }));
    const listener = await failure(
      elbv2().send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
    );

    // Assess
    expect(listener).toBeInstanceOf(ListenerNotFoundException);
    const state = sandbox.state().elbv2;
    expect(state.loadBalancers).toEqual([]);
    expect(state.listeners).toEqual([]);
    expect(state.rules).toEqual([]);
    expect(sandbox.mutations.map((m) => m.action)).toEqual([
      "CreateRule",
      "DeleteLoadBalancer",
      "DeleteLoadBalancer",
    ]);
  });

  it("DeleteLoadBalancer is refused, changing nothing, while deletion protection is enabled", async () => {
    // Prepare
    const sandbox = plugged();
    await elbv2().send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: LB,
        Attributes: [{ Key: "deletion_protection.enabled", Value: "true" }],
      }),
    );
    const before = sandbox.state();

    // Act
    const error = await failure(elbv2().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LB })));

    // Assess
    expect(error).toBeInstanceOf(OperationNotPermittedException);
    expect(sandbox.state()).toEqual(before);
  });
});

describe("ELBv2 tags", () => {
  it.each([
    [
      "a key in AWS's own aws: namespace",
      () =>
        new AddTagsCommand({
          ResourceArns: [LB],
          Tags: [{ Key: "aws:cloudformation:stack-name", Value: "shop-prod" }],
        }),
      "Tag key 'aws:cloudformation:stack-name' cannot start with 'aws:'",
    ],
    [
      "the aws: namespace in capitals",
      () => new AddTagsCommand({ ResourceArns: [LB], Tags: [{ Key: "AWS:cdk:path", Value: "Shop/Alb" }] }),
      "Tag key 'AWS:cdk:path' cannot start with 'aws:'",
    ],
    [
      "removing an aws: key",
      () => new RemoveTagsCommand({ ResourceArns: [LB], TagKeys: ["aws:cloudformation:stack-name"] }),
      "Tag key 'aws:cloudformation:stack-name' cannot start with 'aws:'",
    ],
    [
      "a value with a line break",
      () =>
        new AddTagsCommand({
          ResourceArns: [HTTP_LISTENER],
          Tags: [{ Key: "driftwarden:exempt", Value: "2026-12-31 ok\nApproved by security" }],
        }),
      "at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ],
    [
      "a value with a semicolon",
      () => new AddTagsCommand({ ResourceArns: [LB], Tags: [{ Key: "owner", Value: "a;b" }] }),
      "at 'tags.1.member.value' failed to satisfy constraint",
    ],
    [
      "a value longer than 256 characters",
      () => new AddTagsCommand({ ResourceArns: [LB], Tags: [{ Key: "owner", Value: "x".repeat(257) }] }),
      "Member must have length less than or equal to 256",
    ],
    [
      "a key longer than 128 characters",
      () => new AddTagsCommand({ ResourceArns: [LB], Tags: [{ Key: "k".repeat(129), Value: "" }] }),
      "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
    ],
  ])("refuses %s with ValidationError, changing nothing", async (_case, command, message) => {
    // Prepare
    const sandbox = plugged({
      state: {
        ...shopState(),
        elbv2: {
          ...(shopState().elbv2 as Record<string, unknown>),
          tags: [{ ResourceArn: LB, Tags: [{ Key: "aws:cloudformation:stack-name", Value: "shop-prod" }] }],
        },
      },
    });
    const before = sandbox.state();

    // Act
    const error = await failure(elbv2().send(command() as never));

    // Assess
    expect(error.name).toBe("ValidationError");
    expect(error.message).toContain(message);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(sandbox.state()).toEqual(before);
  });

  it("accepts letters of any script, spaces and _.:/=+-@ up to the limits", async () => {
    // Prepare
    plugged();
    const value = `2026-12-31 Übergang: team@example.com /a=b+c_d.e ${"x".repeat(200)}`.slice(0, 256);

    // Act
    await elbv2().send(
      new AddTagsCommand({ ResourceArns: [LB], Tags: [{ Key: "driftwarden:exempt", Value: value }] }),
    );
    const { TagDescriptions } = await elbv2().send(new DescribeTagsCommand({ ResourceArns: [LB] }));

    // Assess
    expect(TagDescriptions?.[0]?.Tags).toContainEqual({ Key: "driftwarden:exempt", Value: value });
  });
});

describe("ELBv2 errors and regions", () => {
  const elsewhere = LB.replace("us-west-2", "eu-central-1");
  it.each([
    [
      "an unknown listener",
      () => new DescribeListenersCommand({ ListenerArns: [`${HTTP_LISTENER.slice(0, -4)}ffff`] }),
      ListenerNotFoundException,
      "ListenerNotFoundException",
    ],
    [
      "an unknown rule",
      () =>
        new DescribeRulesCommand({
          RuleArns: [`${HTTP_LISTENER.replace(":listener/", ":listener-rule/")}/00000000000000ff`],
        }),
      RuleNotFoundException,
      "RuleNotFoundException",
    ],
    [
      "an unknown load balancer",
      () => new DescribeLoadBalancersCommand({ Names: ["nope"] }),
      LoadBalancerNotFoundException,
      "LoadBalancerNotFoundException",
    ],
    [
      "a target group of another region",
      () =>
        new ModifyListenerCommand({
          ListenerArn: HTTPS_LISTENER,
          DefaultActions: [
            { Type: "forward", TargetGroupArn: TARGET_GROUP.replace("us-west-2", "eu-west-1") },
          ],
        }),
      TargetGroupNotFoundException,
      "TargetGroupNotFoundException",
    ],
    [
      "tags of a load balancer in another region",
      () => new DescribeTagsCommand({ ResourceArns: [elsewhere] }),
      LoadBalancerNotFoundException,
      "LoadBalancerNotFoundException",
    ],
  ])("answers %s with the SDK's own exception", async (_case, command, errorClass, name) => {
    // Prepare
    plugged();

    // Act
    const error = await failure(elbv2().send(command() as never));

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
    expect(error.name).toBe(name);
    expect(error.$fault).toBe("client");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: expect.any(String) });
  });

  it("shows a client only the resources of its own region", async () => {
    // Prepare
    plugged();
    const ireland = clients.elbv2("eu-west-1");

    // Act
    const local = await ireland.send(new DescribeLoadBalancersCommand({}));
    const remote = await failure(
      ireland.send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
    );
    const home = await elbv2().send(new DescribeLoadBalancersCommand({}));

    // Assess
    expect(local.LoadBalancers).toEqual([]);
    expect(remote).toBeInstanceOf(ListenerNotFoundException);
    expect(home.LoadBalancers?.map((lb) => lb.LoadBalancerArn)).toEqual([LB]);
    expect(home.LoadBalancers?.[0]?.CreatedTime).toEqual(new Date("2025-11-27T21:16:00.000Z"));
  });

  it("supports network load balancers (TCP/TLS listeners, forward only)", async () => {
    // Prepare
    const nlb = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/edge/1a2b3c4d5e6f7a8b";
    const tcpGroup =
      "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/edge-tcp/aa11bb22cc33dd44";
    plugged({ state: { elbv2: { loadBalancers: [{ LoadBalancerArn: nlb, Type: "network" }] } } });

    // Act
    const { Listeners } = await elbv2().send(
      new CreateListenerCommand({
        LoadBalancerArn: nlb,
        Port: 443,
        Protocol: "TLS",
        Certificates: [{ CertificateArn: "arn:aws:acm:us-west-2:111122223333:certificate/abc" }],
        DefaultActions: [{ Type: "forward", TargetGroupArn: tcpGroup }],
      }),
    );
    const redirect = await failure(
      elbv2().send(
        new CreateListenerCommand({
          LoadBalancerArn: nlb,
          Port: 80,
          Protocol: "TCP",
          DefaultActions: [redirectToHttps] as never,
        }),
      ),
    );

    // Assess
    expect(Listeners?.[0]?.ListenerArn).toMatch(/:listener\/net\/edge\/1a2b3c4d5e6f7a8b\/[0-9a-f]{16}$/);
    // The API's default (the console's TLS 1.3 preselection does not apply to API calls).
    expect(Listeners?.[0]?.SslPolicy).toBe("ELBSecurityPolicy-2016-08");
    expect(redirect).toBeInstanceOf(InvalidLoadBalancerActionException);
  });
});
