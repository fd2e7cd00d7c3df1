import {
  type ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  SelectResourceConfigCommand,
} from "@aws-sdk/client-config-service";
import { afterEach, describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { largeAccount } from "../../local/large-account.js";
import { SandboxAccount } from "../../local/sandbox/account.js";

/** AWS Config's stand-in: recorders from scenario state, advanced query over the account's live state. */
const region = "eu-west-1";
const account = "111122223333";
let unregister: (() => void) | undefined;
afterEach(() => unregister?.());

function sandbox(recorded?: string[]): ConfigServiceClient {
  const generated = largeAccount({
    account,
    region,
    loadBalancers: 3,
    listenersPerLoadBalancer: 2,
    distributions: 2,
    driftEvery: 2,
    ...(recorded ? { recorded } : {}),
  });
  const sb = new SandboxAccount({ account, region, state: generated.state });
  unregister = sb.register();
  return clients.config(region);
}

describe("the sandbox's AWS Config", () => {
  it.each([
    { recorded: undefined, recorders: 0 },
    { recorded: ["AWS::ElasticLoadBalancingV2::Listener"], recorders: 1 },
  ])("describes $recorders recorder(s) when the state records $recorded", async ({ recorded, recorders }) => {
    // Prepare
    const config = sandbox(recorded);

    // Act
    const out = await config.send(new DescribeConfigurationRecordersCommand({}));

    // Assess
    expect(out.ConfigurationRecorders ?? []).toHaveLength(recorders);
    if (recorded) expect(out.ConfigurationRecorders?.[0]?.recordingGroup?.resourceTypes).toEqual(recorded);
  });

  it("selects recorded items page by page, configuration in the Describe* shape", async () => {
    // Prepare
    const config = sandbox(["AWS::ElasticLoadBalancingV2::Listener"]);
    const Expression =
      "SELECT resourceId, configuration WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener'";

    // Act
    const first = await config.send(new SelectResourceConfigCommand({ Expression, Limit: 4 }));
    const second = await config.send(
      new SelectResourceConfigCommand({ Expression, Limit: 4, NextToken: first.NextToken }),
    );

    // Assess
    const items = [...(first.Results ?? []), ...(second.Results ?? [])].map((r) => JSON.parse(r));
    expect(items).toHaveLength(6);
    expect(second.NextToken).toBeUndefined();
    expect(items[0]).toEqual({
      resourceId: items[0].configuration.ListenerArn,
      configuration: expect.objectContaining({ Port: 80, Protocol: "HTTP" }),
    });
    expect(first.QueryInfo?.SelectFields).toEqual([{ Name: "resourceId" }, { Name: "configuration" }]);
  });

  it("names a load balancer's and a distribution's fields as Config's schema does, a listener's as CloudFormation", async () => {
    // Prepare
    sandbox([
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "AWS::ElasticLoadBalancingV2::Listener",
      "AWS::CloudFront::Distribution",
    ]);
    const select = async (Expression: string, at = region) =>
      (await clients.config(at).send(new SelectResourceConfigCommand({ Expression }))).Results?.map((r) =>
        JSON.parse(r),
      ) ?? [];

    // Act
    const [lb] = await select(
      "SELECT configuration WHERE resourceType = 'AWS::ElasticLoadBalancingV2::LoadBalancer'",
    );
    const [distribution] = await select(
      "SELECT configuration WHERE resourceType = 'AWS::CloudFront::Distribution'",
      "us-east-1",
    );
    const camel = await select(
      `SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener' AND configuration.loadBalancerArn = '${lb.configuration.loadBalancerArn}'`,
    );
    const pascal = await select(
      `SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener' AND configuration.LoadBalancerArn = '${lb.configuration.loadBalancerArn}'`,
    );
    const redirecting = await select(
      "SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener' AND configuration.DefaultActions.Type = 'redirect'",
    );

    // Assess
    expect(lb.configuration).toMatchObject({
      dNSName: expect.any(String),
      type: "application",
      state: { code: "active" },
    });
    expect(lb.configuration.LoadBalancerArn).toBeUndefined();
    const origin = distribution.configuration.distributionConfig.origins.items[0];
    expect(origin.customOriginConfig).toMatchObject({ httpPort: 80, httpsPort: 443 });
    expect(distribution.configuration.arn).toMatch(/^arn:aws:cloudfront::/);
    expect(camel).toEqual([]);
    expect(pascal).toHaveLength(2);
    // Conditions on an array property match when any element does.
    const { state } = largeAccount({
      account,
      region,
      loadBalancers: 3,
      listenersPerLoadBalancer: 2,
      distributions: 2,
      driftEvery: 2,
    });
    const listeners = (state as unknown as { elbv2: { listeners: { DefaultActions: { Type: string }[] }[] } })
      .elbv2.listeners;
    const expected = listeners.filter((l) => l.DefaultActions.some((a) => a.Type === "redirect")).length;
    expect(expected).toBeGreaterThan(0);
    expect(redirecting).toHaveLength(expected);
  });

  it("returns nothing for a type the recorder does not record", async () => {
    // Prepare
    const config = sandbox(["AWS::ElasticLoadBalancingV2::Listener"]);

    // Act
    const out = await config.send(
      new SelectResourceConfigCommand({
        Expression: "SELECT resourceId WHERE resourceType = 'AWS::CloudFront::Distribution'",
      }),
    );

    // Assess
    expect(out.Results).toEqual([]);
  });

  it.each([
    {
      name: "a query it cannot parse",
      input: { Expression: "SELECT * FROM everything" },
      error: "InvalidExpressionException",
    },
    {
      name: "a token of another query",
      input: {
        Expression: "SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener'",
        NextToken: "bm9wZQ==",
      },
      error: "InvalidNextTokenException",
    },
    {
      name: "an expression over 4,096 characters",
      input: {
        Expression: `SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener' AND resourceId IN (${Array.from({ length: 100 }, (_, i) => `'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/lb/${i}'`).join(", ")})`,
      },
      error: "ValidationException",
    },
    {
      name: "a limit above 100",
      input: {
        Expression: "SELECT resourceId WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener'",
        Limit: 101,
      },
      error: "InvalidLimitException",
    },
  ])("refuses $name with $error", async ({ input, error }) => {
    // Prepare
    const config = sandbox(["AWS::ElasticLoadBalancingV2::Listener"]);

    // Act
    const refused = config.send(new SelectResourceConfigCommand(input)).catch((e: Error) => e);

    // Assess
    expect(((await refused) as Error).name).toBe(error);
  });
});
