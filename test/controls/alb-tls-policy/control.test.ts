import { CreateListenerCommand, DescribeListenersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { albTlsPolicy as control } from "../../../functions/controls/alb-tls-policy/index.js";
import {
  type Settings,
  settings as settingsSchema,
} from "../../../functions/controls/alb-tls-policy/metadata.js";
import type { Snapshot } from "../../../functions/controls/alb-tls-policy/snapshot.js";
import type { Change, Trigger } from "../../../functions/controls/types.js";
import { clients } from "../../../functions/lib/aws.js";
import { parseConfig } from "../../../functions/lib/config.js";
import { MalformedInputError } from "../../../functions/lib/errors.js";
import { SSL_POLICIES } from "../../../local/sandbox/ssl-policies.js";
import {
  account,
  CERTIFICATE,
  context,
  forward,
  httpListener,
  httpsListener,
  listenerArn,
  loadBalancer,
  NLB,
  NLB_TLS,
  REGION,
  SHOP,
  SHOP_HTTP,
  SHOP_HTTPS,
} from "../elbv2/sandbox.js";

const defaults: Settings = settingsSchema.parse({});
const TLS13_12 = "ELBSecurityPolicy-TLS13-1-2-2021-06";

function shopWith(
  sslPolicy: string,
  extra: { tags?: { ResourceArn: string; Tags: { Key: string; Value: string }[] }[] } = {},
) {
  return account({
    loadBalancers: [loadBalancer(SHOP), loadBalancer(NLB, "network")],
    listeners: [
      httpListener(SHOP_HTTP, SHOP),
      httpsListener(SHOP_HTTPS, SHOP, sslPolicy),
      {
        ListenerArn: NLB_TLS,
        LoadBalancerArn: NLB,
        Port: 443,
        Protocol: "TLS",
        SslPolicy: "ELBSecurityPolicy-2016-08",
        Certificates: [{ CertificateArn: CERTIFICATE }],
        DefaultActions: forward,
      },
    ],
    tags: extra.tags ?? [],
  });
}

async function snapshotOf(arn = SHOP_HTTPS): Promise<Snapshot> {
  const snapshot = await control.collect(context(), arn);
  if (!snapshot) throw new Error(`${arn} not collected`);
  return snapshot;
}

async function liveListener(arn: string) {
  return (await clients.elbv2(REGION).send(new DescribeListenersCommand({ ListenerArns: [arn] })))
    .Listeners?.[0];
}

describe("the default allowed policies", () => {
  it("are every TLS 1.3 policy ELB lists that allows nothing older than TLS 1.2, the target among them", () => {
    // Prepare: the sandbox holds AWS's predefined policies as DescribeSSLPolicies lists them
    const recommended = SSL_POLICIES.filter(
      (policy) =>
        policy.Name.startsWith("ELBSecurityPolicy-TLS13-") &&
        !policy.SslProtocols.includes("TLSv1") &&
        !policy.SslProtocols.includes("TLSv1.1"),
    ).map((policy) => policy.Name);

    // Act
    const { allowedPolicies, targetPolicy } = defaults;

    // Assess
    expect([...allowedPolicies].sort()).toEqual([...recommended].sort());
    expect(allowedPolicies).toContain(targetPolicy);
    expect(targetPolicy).toBe(TLS13_12);
    expect(allowedPolicies).not.toContain("ELBSecurityPolicy-TLS13-1-0-2021-06");
  });

  it("refuses a policy name ELB could not have, naming the field", () => {
    // Act
    const parse = () => parseConfig({ controls: { "alb-tls-policy": { targetPolicy: "TLS 1.3 please" } } });

    // Assess
    expect(parse).toThrow(/controls\.alb-tls-policy\.targetPolicy: must be an ELB security policy name/);
  });
});

describe("detect, from what DescribeListeners and DescribeSSLPolicies answer", () => {
  it.each([
    {
      policy: TLS13_12,
      settings: defaults,
      status: "compliant",
      mentions: ["(TLSv1.2, TLSv1.3), an allowed policy"],
    },
    {
      policy: "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
      settings: defaults,
      status: "compliant",
      mentions: ["(TLSv1.3)"],
    },
    {
      policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      settings: defaults,
      status: "compliant",
      mentions: [],
    },
    {
      policy: "ELBSecurityPolicy-2016-08",
      settings: defaults,
      status: "non-compliant",
      mentions: [
        "uses ELBSecurityPolicy-2016-08 (TLSv1, TLSv1.1, TLSv1.2), which is not among the allowed policies",
      ],
    },
    {
      policy: "ELBSecurityPolicy-TLS13-1-0-2021-06",
      settings: defaults,
      status: "non-compliant",
      mentions: ["(TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)"],
    },
    {
      policy: "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      settings: defaults,
      status: "non-compliant",
      mentions: ["(TLSv1.2)"],
    },
    {
      policy: "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      settings: {
        allowedPolicies: ["ELBSecurityPolicy-FS-1-2-Res-2020-10"],
        targetPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      },
      status: "compliant",
      mentions: [],
    },
    {
      policy: "ELBSecurityPolicy-2016-08",
      settings: { ...defaults, targetPolicy: "ELBSecurityPolicy-TLS-1-2-2017-01" },
      status: "non-compliant",
      mentions: [
        "no policy to set: the configured targetPolicy ELBSecurityPolicy-TLS-1-2-2017-01 is not among the allowedPolicies",
      ],
    },
  ])("$policy -> $status", async ({ policy, settings, status, mentions }) => {
    // Prepare
    shopWith(policy);

    // Act
    const finding = control.detect(await snapshotOf(), settings);

    // Assess
    expect(finding.status).toBe(status);
    for (const text of [SHOP_HTTPS, "port 443", "shop-prod", ...mentions])
      expect(finding.message).toContain(text);
  });

  it("catches an HTTPS listener created through the API without SslPolicy (AWS gives it ELBSecurityPolicy-2016-08)", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)] });
    const created = await clients.elbv2(REGION).send(
      new CreateListenerCommand({
        LoadBalancerArn: SHOP,
        Protocol: "HTTPS",
        Port: 8443,
        Certificates: [{ CertificateArn: CERTIFICATE }],
        DefaultActions: forward as never,
      }),
    );
    const arn = created.Listeners?.[0]?.ListenerArn ?? "";

    // Act
    const finding = control.detect(await snapshotOf(arn), defaults);

    // Assess
    expect(finding).toMatchObject({ status: "non-compliant" });
    expect(finding.message).toContain("ELBSecurityPolicy-2016-08 (TLSv1, TLSv1.1, TLSv1.2)");
  });

  it.each([
    { name: "an HTTP listener", arn: SHOP_HTTP, says: "uses HTTP, not HTTPS" },
    {
      name: "a network load balancer's TLS listener",
      arn: NLB_TLS,
      says: "is a network, not an application load balancer",
    },
  ])("$name is not applicable", async ({ arn, says }) => {
    // Prepare
    shopWith(TLS13_12);

    // Act
    const finding = control.detect(await snapshotOf(arn), defaults);

    // Assess
    expect(finding.status).toBe("not-applicable");
    expect(finding.message).toContain(says);
  });

  it("collects null for a listener that no longer exists", async () => {
    // Prepare
    account({ loadBalancers: [loadBalancer(SHOP)] });

    // Act
    const snapshot = await control.collect(context(), SHOP_HTTPS);

    // Assess
    expect(snapshot).toBeNull();
  });

  it("reads the load balancer's tags overlaid with the listener's own", async () => {
    // Prepare
    shopWith(TLS13_12, {
      tags: [
        {
          ResourceArn: SHOP,
          Tags: [
            { Key: "Environment", Value: "production" },
            { Key: "team", Value: "shop" },
          ],
        },
        { ResourceArn: SHOP_HTTPS, Tags: [{ Key: "team", Value: "payments" }] },
      ],
    });

    // Act
    const tags = control.tags(await snapshotOf());

    // Assess
    expect(tags).toEqual({ Environment: "production", team: "payments" });
  });
});

describe("plan", () => {
  it("sets only the SslPolicy of the listener", async () => {
    // Prepare
    shopWith("ELBSecurityPolicy-2016-08");

    // Act
    const changes = control.plan(await snapshotOf(), defaults);

    // Assess
    expect(changes).toEqual([
      { service: "elbv2", action: "ModifyListener", input: { ListenerArn: SHOP_HTTPS, SslPolicy: TLS13_12 } },
    ]);
  });

  it("plans nothing when the target policy is not allowed (the drift is reported)", async () => {
    // Prepare
    shopWith("ELBSecurityPolicy-2016-08");

    // Act
    const changes = control.plan(await snapshotOf(), {
      ...defaults,
      targetPolicy: "ELBSecurityPolicy-TLS-1-2-2017-01",
    });

    // Assess
    expect(changes).toEqual([]);
  });
});

describe("risk: which clients lose access", () => {
  it.each([
    {
      current: "ELBSecurityPolicy-2016-08",
      target: TLS13_12,
      level: "approval",
      says: [
        "allows TLSv1, TLSv1.1, TLSv1.2 with ELBSecurityPolicy-2016-08",
        "clients that cannot speak TLS 1.2",
        "Android 4.3",
        "TLSv1 and TLSv1.1 go",
      ],
    },
    {
      current: "ELBSecurityPolicy-TLS-1-1-2017-01",
      target: TLS13_12,
      level: "approval",
      says: ["clients that cannot speak TLS 1.2", "TLSv1.1 go"],
    },
    { current: "ELBSecurityPolicy-FS-1-2-Res-2020-10", target: TLS13_12, level: "automatic", says: [] },
    { current: "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", target: TLS13_12, level: "automatic", says: [] },
    {
      current: "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      target: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      level: "approval",
      says: ["clients that cannot speak TLS 1.3", "TLSv1.2 goes"],
    },
    {
      current: "ELBSecurityPolicy-2016-08",
      target: "ELBSecurityPolicy-TLS13-9-9-2099-01",
      level: "blocked",
      says: ["targetPolicy ELBSecurityPolicy-TLS13-9-9-2099-01 is not a security policy ELB knows"],
    },
  ])("$current -> $target: $level", async ({ current, target, level, says }) => {
    // Prepare
    shopWith(current);
    const snapshot = await snapshotOf();
    const change: Change = {
      service: "elbv2",
      action: "ModifyListener",
      input: { ListenerArn: SHOP_HTTPS, SslPolicy: target },
    };

    // Act
    const [risk] = await control.assessRisk(snapshot, [change], context(), defaults);

    // Assess
    expect(risk?.level).toBe(level);
    for (const text of says) expect(risk?.reasons.join(" ")).toContain(text);
    if (level === "automatic") expect(risk?.reasons).toEqual([]);
  });
});

describe("execute", () => {
  it("changes the SslPolicy and nothing else on the listener", async () => {
    // Prepare
    const sandbox = shopWith("ELBSecurityPolicy-2016-08");
    const before = await liveListener(SHOP_HTTPS);
    const snapshot = await snapshotOf();
    const [change] = control.plan(snapshot, defaults) as [Change];

    // Act
    const made = await control.execute(context(), SHOP_HTTPS, change);

    // Assess
    const after = await liveListener(SHOP_HTTPS);
    expect(made).toEqual(change);
    expect(after).toEqual({ ...before, SslPolicy: TLS13_12 });
    expect(sandbox.mutations.map((m) => m.input)).toEqual([{ ListenerArn: SHOP_HTTPS, SslPolicy: TLS13_12 }]);
    const fresh = await snapshotOf();
    expect(control.detect(fresh, defaults).status).toBe("compliant");
    expect(control.inEffect(fresh, change)).toBe(true);
    expect(control.inEffect(snapshot, change)).toBe(false);
  });

  it.each([
    {
      name: "that also replaces the default actions",
      input: { ListenerArn: SHOP_HTTPS, SslPolicy: TLS13_12, DefaultActions: forward },
    },
    {
      name: "for another listener",
      input: { ListenerArn: listenerArn(SHOP, "0000111122223333"), SslPolicy: TLS13_12 },
    },
  ])("refuses a ModifyListener $name, changing nothing", async ({ input }) => {
    // Prepare
    const sandbox = shopWith("ELBSecurityPolicy-2016-08");

    // Act
    const made = control.execute(context(), SHOP_HTTPS, {
      service: "elbv2",
      action: "ModifyListener",
      input,
    });

    // Assess
    await expect(made).rejects.toBeInstanceOf(MalformedInputError);
    expect(sandbox.mutations).toEqual([]);
  });
});

describe("targets and sweep", () => {
  const cloudTrail = (
    eventName: string,
    request: Record<string, unknown> | null,
    response: Record<string, unknown> | null,
  ): Trigger => ({
    kind: "cloudtrail",
    eventName,
    eventSource: "elasticloadbalancing.amazonaws.com",
    region: REGION,
    account: "111122223333",
    requestParameters: request,
    responseElements: response,
  });

  it.each<[string, Trigger, string[]]>([
    [
      "CreateListener",
      cloudTrail(
        "CreateListener",
        { loadBalancerArn: SHOP, protocol: "HTTPS", port: 443 },
        { listeners: [{ listenerArn: SHOP_HTTPS, protocol: "HTTPS" }] },
      ),
      [SHOP_HTTPS],
    ],
    [
      "CreateListener with its response dropped: the load balancer's HTTPS listeners",
      cloudTrail("CreateListener", { loadBalancerArn: SHOP, protocol: "HTTPS", port: 443 }, null),
      [SHOP_HTTPS],
    ],
    [
      "CreateListener of an HTTP listener with its response dropped",
      cloudTrail("CreateListener", { loadBalancerArn: SHOP, protocol: "HTTP", port: 80 }, null),
      [],
    ],
    [
      "ModifyListener",
      cloudTrail("ModifyListener", { listenerArn: SHOP_HTTPS, sslPolicy: "ELBSecurityPolicy-2016-08" }, null),
      [SHOP_HTTPS],
    ],
    [
      "ModifyListener of a network load balancer's listener",
      cloudTrail("ModifyListener", { listenerArn: NLB_TLS }, null),
      [],
    ],
    [
      "ModifyRule",
      cloudTrail(
        "ModifyRule",
        { ruleArn: `${SHOP_HTTPS.replace(":listener/", ":listener-rule/")}/1a2b3c4d5e6f7a8b` },
        null,
      ),
      [],
    ],
    [
      "a Config item of the listener",
      {
        kind: "config-item",
        resourceType: "AWS::ElasticLoadBalancingV2::Listener",
        resourceId: SHOP_HTTPS,
        arn: SHOP_HTTPS,
        region: REGION,
        account: "111122223333",
        status: "OK",
        configuration: null,
      },
      [SHOP_HTTPS],
    ],
    [
      "Security Hub's ELB.17 rule",
      {
        kind: "compliance",
        configRuleName: "securityhub-elbv2-predefined-security-policy-ssl-check-8e7d6c",
        resourceType: "AWS::ElasticLoadBalancingV2::Listener",
        resourceId: SHOP_HTTPS,
        region: REGION,
        account: "111122223333",
        newCompliance: "NON_COMPLIANT",
      },
      [SHOP_HTTPS],
    ],
    [
      "another control's rule",
      {
        kind: "compliance",
        configRuleName: "securityhub-alb-http-to-https-redirection-check-a1b2c3",
        resourceType: "AWS::ElasticLoadBalancingV2::Listener",
        resourceId: SHOP_HTTPS,
        region: REGION,
        account: "111122223333",
        newCompliance: "NON_COMPLIANT",
      },
      [],
    ],
  ])("%s", async (_name, trigger, expected) => {
    // Prepare
    shopWith(TLS13_12);

    // Act
    const targets = await control.resolveTargets(trigger, context());

    // Assess
    expect(targets).toEqual(expected);
  });

  it("sweeps the HTTPS listeners of application load balancers only", async () => {
    // Prepare
    shopWith(TLS13_12);

    // Act
    const resources = await control.listResources(context());

    // Assess
    expect(resources).toEqual([SHOP_HTTPS]);
  });
});
