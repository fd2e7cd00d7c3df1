import {
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2ServiceException,
  InvalidConfigurationRequestException,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { failure, LB, plugged } from "./helpers.js";

const NLB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/edge/1a2b3c4d5e6f7a8b";
const GWLB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/gwy/inspect/9f8e7d6c5b4a3921";
const INTERNAL_ALB =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/back-office/5a4b3c2d1e0f9a8b";

const elbv2 = () => clients.elbv2("us-west-2");

function withBalancers(
  attributes: { LoadBalancerArn: string; Attributes: { Key: string; Value: string }[] }[] = [],
) {
  return plugged({
    state: {
      elbv2: {
        loadBalancers: [
          { LoadBalancerArn: LB, Type: "application", Scheme: "internet-facing" },
          { LoadBalancerArn: INTERNAL_ALB, Type: "application", Scheme: "internal" },
          { LoadBalancerArn: NLB, Type: "network", Scheme: "internet-facing" },
          { LoadBalancerArn: GWLB, Type: "gateway" },
        ],
        attributes,
      },
    },
  });
}

async function attributesOf(arn: string): Promise<Record<string, string>> {
  const { Attributes } = await elbv2().send(
    new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
  );
  return Object.fromEntries((Attributes ?? []).map((a) => [a.Key, a.Value]));
}

describe("DescribeLoadBalancerAttributes", () => {
  it.each([
    [
      "an application load balancer",
      LB,
      {
        "deletion_protection.enabled": "false",
        "routing.http.drop_invalid_header_fields.enabled": "false",
        "idle_timeout.timeout_seconds": "60",
        "client_keep_alive.seconds": "3600",
        "routing.http.desync_mitigation_mode": "defensive",
        "routing.http.xff_header_processing.mode": "append",
        "routing.http2.enabled": "true",
        "load_balancing.cross_zone.enabled": "true",
        "waf.fail_open.enabled": "false",
        "access_logs.s3.enabled": "false",
        "access_logs.s3.bucket": "",
        "ipv6.deny_all_igw_traffic": "false",
      },
      ["dns_record.client_routing_policy", "secondary_ips.auto_assigned.per_subnet"],
    ],
    [
      "a network load balancer",
      NLB,
      {
        "deletion_protection.enabled": "false",
        "load_balancing.cross_zone.enabled": "false",
        "dns_record.client_routing_policy": "any_availability_zone",
        "secondary_ips.auto_assigned.per_subnet": "0",
        "access_logs.s3.enabled": "false",
        "zonal_shift.config.enabled": "false",
      },
      [
        "idle_timeout.timeout_seconds",
        "routing.http.drop_invalid_header_fields.enabled",
        "waf.fail_open.enabled",
      ],
    ],
    [
      "a gateway load balancer",
      GWLB,
      { "deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false" },
      ["access_logs.s3.enabled", "idle_timeout.timeout_seconds"],
    ],
  ])("lists AWS's default attribute set of %s", async (_case, arn, expected, absent) => {
    // Prepare
    withBalancers();

    // Act
    const attributes = await attributesOf(arn);

    // Assess
    expect(attributes).toMatchObject(expected);
    for (const key of absent) expect(attributes).not.toHaveProperty(key);
  });

  it("lists exactly the two attributes of a gateway load balancer", async () => {
    // Prepare
    withBalancers();

    // Act
    const attributes = await attributesOf(GWLB);

    // Assess
    expect(Object.keys(attributes).sort()).toEqual([
      "deletion_protection.enabled",
      "load_balancing.cross_zone.enabled",
    ]);
  });

  it("shuts an internal load balancer off from internet gateway traffic by default", async () => {
    // Prepare
    withBalancers();

    // Act
    const internal = await attributesOf(INTERNAL_ALB);
    const facing = await attributesOf(LB);

    // Assess
    expect(internal["ipv6.deny_all_igw_traffic"]).toBe("true");
    expect(facing["ipv6.deny_all_igw_traffic"]).toBe("false");
  });

  it("lays the scenario's attributes over the defaults", async () => {
    // Prepare
    withBalancers([
      {
        LoadBalancerArn: LB,
        Attributes: [
          { Key: "deletion_protection.enabled", Value: "true" },
          { Key: "idle_timeout.timeout_seconds", Value: "120" },
        ],
      },
    ]);

    // Act
    const attributes = await attributesOf(LB);

    // Assess
    expect(attributes).toMatchObject({
      "deletion_protection.enabled": "true",
      "idle_timeout.timeout_seconds": "120",
      "routing.http.drop_invalid_header_fields.enabled": "false",
    });
  });
});

describe("ModifyLoadBalancerAttributes", () => {
  it("changes only the named keys and answers with every attribute, the changed ones first", async () => {
    // Prepare
    const sandbox = withBalancers([
      { LoadBalancerArn: LB, Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }] },
    ]);
    const before = await attributesOf(LB);

    // Act
    const { Attributes } = await elbv2().send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: LB,
        Attributes: [{ Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" }],
      }),
    );

    // Assess
    const after = await attributesOf(LB);
    expect(after).toEqual({ ...before, "routing.http.drop_invalid_header_fields.enabled": "true" });
    expect(Attributes?.[0]).toEqual({
      Key: "routing.http.drop_invalid_header_fields.enabled",
      Value: "true",
    });
    expect(Object.fromEntries((Attributes ?? []).map((a) => [a.Key, a.Value]))).toEqual(after);
    expect(sandbox.state().elbv2.attributes).toEqual([
      {
        LoadBalancerArn: LB,
        Attributes: [
          { Key: "idle_timeout.timeout_seconds", Value: "120" },
          { Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" },
        ],
      },
    ]);
  });

  it.each([
    ["deletion protection on a network load balancer", NLB, "deletion_protection.enabled", "true"],
    ["cross-zone on a network load balancer", NLB, "load_balancing.cross_zone.enabled", "true"],
    ["the idle timeout at its upper bound", LB, "idle_timeout.timeout_seconds", "4000"],
    ["the strictest desync mitigation", LB, "routing.http.desync_mitigation_mode", "strictest"],
    ["access logs with their bucket set first", LB, "access_logs.s3.bucket", "shop-logs"],
    ["more secondary IPs", NLB, "secondary_ips.auto_assigned.per_subnet", "3"],
  ])("accepts %s", async (_case, arn, key, value) => {
    // Prepare
    withBalancers();

    // Act
    await elbv2().send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: key, Value: value }],
      }),
    );

    // Assess
    expect((await attributesOf(arn))[key]).toBe(value);
  });

  const refusals: [string, string, { Key: string; Value: string }[], string, string][] = [
    [
      "an unknown key",
      LB,
      [{ Key: "routing.http.smuggling.enabled", Value: "true" }],
      "ValidationError",
      "Load balancer attribute key 'routing.http.smuggling.enabled' is not recognized",
    ],
    [
      "an ALB-only key on a network load balancer",
      NLB,
      [{ Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" }],
      "InvalidConfigurationRequestException",
      "Load balancer attribute key 'routing.http.drop_invalid_header_fields.enabled' is not supported on load balancers with type 'network'",
    ],
    [
      "an NLB-only key on an application load balancer",
      LB,
      [{ Key: "dns_record.client_routing_policy", Value: "any_availability_zone" }],
      "InvalidConfigurationRequestException",
      "is not supported on load balancers with type 'application'",
    ],
    [
      "access logs on a gateway load balancer",
      GWLB,
      [{ Key: "access_logs.s3.enabled", Value: "false" }],
      "ValidationError",
      "Load balancer attribute key 'access_logs.s3.enabled' is not recognized",
    ],
    [
      "a boolean attribute set to yes",
      LB,
      [{ Key: "deletion_protection.enabled", Value: "yes" }],
      "ValidationError",
      "must be 'true' or 'false'",
    ],
    [
      "an idle timeout of 0",
      LB,
      [{ Key: "idle_timeout.timeout_seconds", Value: "0" }],
      "ValidationError",
      "from 1 to 4000",
    ],
    [
      "an idle timeout above 4000",
      LB,
      [{ Key: "idle_timeout.timeout_seconds", Value: "4001" }],
      "ValidationError",
      "from 1 to 4000",
    ],
    [
      "a keep-alive below 60 seconds",
      LB,
      [{ Key: "client_keep_alive.seconds", Value: "59" }],
      "ValidationError",
      "from 60 to 604800",
    ],
    [
      "an unknown desync mode",
      LB,
      [{ Key: "routing.http.desync_mitigation_mode", Value: "paranoid" }],
      "ValidationError",
      "'monitor', 'defensive', 'strictest'",
    ],
    [
      "cross-zone switched off on an application load balancer",
      LB,
      [{ Key: "load_balancing.cross_zone.enabled", Value: "false" }],
      "ValidationError",
      "cannot be turned off",
    ],
    [
      "access logs switched on without a bucket",
      LB,
      [{ Key: "access_logs.s3.enabled", Value: "true" }],
      "InvalidConfigurationRequestException",
      "'access_logs.s3.bucket' attribute must be set",
    ],
    [
      "a key outside AWS's pattern",
      LB,
      [{ Key: "deletion protection", Value: "true" }],
      "ValidationError",
      "Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$",
    ],
    [
      "more than 20 attributes at once",
      LB,
      Array.from({ length: 21 }, () => ({ Key: "deletion_protection.enabled", Value: "true" })),
      "ValidationError",
      "Member must have length less than or equal to 20",
    ],
    [
      "a good key beside a bad one (nothing is applied)",
      LB,
      [
        { Key: "deletion_protection.enabled", Value: "true" },
        { Key: "idle_timeout.timeout_seconds", Value: "forever" },
      ],
      "ValidationError",
      "idle_timeout.timeout_seconds",
    ],
  ];

  it.each(refusals)(
    "refuses %s with AWS's error, changing nothing",
    async (_case, arn, attributes, name, text) => {
      // Prepare
      const sandbox = withBalancers();
      const before = sandbox.state();

      // Act
      const error = await failure(
        elbv2().send(
          new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: attributes }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
      if (name === "InvalidConfigurationRequestException")
        expect(error).toBeInstanceOf(InvalidConfigurationRequestException);
      expect(error.name).toBe(name);
      expect(error.message).toContain(text);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
      expect(sandbox.state()).toEqual(before);
      expect(sandbox.mutations).toEqual([]);
      expect(sandbox.failures.map((f) => [f.action, f.errorCode])).toEqual([
        ["ModifyLoadBalancerAttributes", name],
      ]);
    },
  );

  it("refuses fewer secondary IPs than the load balancer already has", async () => {
    // Prepare
    withBalancers([
      { LoadBalancerArn: NLB, Attributes: [{ Key: "secondary_ips.auto_assigned.per_subnet", Value: "4" }] },
    ]);

    // Act
    const error = await failure(
      elbv2().send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: NLB,
          Attributes: [{ Key: "secondary_ips.auto_assigned.per_subnet", Value: "2" }],
        }),
      ),
    );

    // Assess
    expect(error.name).toBe("ValidationError");
    expect(error.message).toContain("cannot be decreased");
    expect((await attributesOf(NLB))["secondary_ips.auto_assigned.per_subnet"]).toBe("4");
  });
});
