import {
  CreateListenerCommand,
  DescribeListenersCommand,
  DescribeSSLPoliciesCommand,
  ElasticLoadBalancingV2ServiceException,
  ModifyListenerCommand,
  SSLPolicyNotFoundException,
  type SslPolicy,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { SSL_POLICIES } from "../../local/sandbox/ssl-policies.js";
import { failure, forwardToShop, HTTP_LISTENER, HTTPS_LISTENER, LB, plugged, shopState } from "./helpers.js";

const elbv2 = () => clients.elbv2("us-west-2");
const NLB = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/edge/1a2b3c4d5e6f7a8b";
const CERTIFICATE = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
const TCP_GROUP = "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/edge-tcp/aa11bb22cc33dd44";

async function policies(input: ConstructorParameters<typeof DescribeSSLPoliciesCommand>[0] = {}) {
  return elbv2().send(new DescribeSSLPoliciesCommand(input));
}

async function listener(arn: string) {
  const { Listeners } = await elbv2().send(new DescribeListenersCommand({ ListenerArns: [arn] }));
  return Listeners?.[0];
}

const tls13 = SSL_POLICIES.filter((p) => p.Name.startsWith("ELBSecurityPolicy-TLS13-"));

describe("the predefined security policies", () => {
  it.each(tls13.map((p) => [p.Name, p] as const))(
    "%s allows exactly the protocols its name promises",
    (name, p) => {
      // Prepare
      const floor = /-TLS13-1-(\d)-/.exec(name)?.[1] ?? "";
      const expected = {
        "0": ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"],
        "1": ["TLSv1.1", "TLSv1.2", "TLSv1.3"],
        "2": ["TLSv1.2", "TLSv1.3"],
        "3": ["TLSv1.3"],
      }[floor];

      // Act
      const protocols = p.SslProtocols;

      // Assess
      expect(protocols).toEqual(expected);
      expect(p.Ciphers.slice(0, 2).map((c) => c.Name)).toEqual([
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
      ]);
    },
  );

  it.each([
    ["ELBSecurityPolicy-2016-08", true],
    ["ELBSecurityPolicy-2015-05", true],
    ["ELBSecurityPolicy-TLS-1-0-2015-04", true],
    ["ELBSecurityPolicy-FS-2018-06", true],
    ["ELBSecurityPolicy-TLS13-1-0-2021-06", true],
    ["ELBSecurityPolicy-TLS-1-1-2017-01", false],
    ["ELBSecurityPolicy-TLS-1-2-2017-01", false],
    ["ELBSecurityPolicy-TLS-1-2-Ext-2018-06", false],
    ["ELBSecurityPolicy-FS-1-2-Res-2020-10", false],
    ["ELBSecurityPolicy-TLS13-1-2-2021-06", false],
  ])("%s allows TLS 1.0: %s", async (name, allowsTls10) => {
    // Prepare
    plugged();

    // Act
    const { SslPolicies } = await policies({ Names: [name] });

    // Assess
    expect(SslPolicies?.[0]?.SslProtocols?.includes("TLSv1")).toBe(allowsTls10);
  });

  it("describes ELBSecurityPolicy-2016-08 as the aws-cli example shows it", async () => {
    // Prepare
    plugged();

    // Act
    const { SslPolicies } = await policies({ Names: ["ELBSecurityPolicy-2016-08"] });

    // Assess
    const p = SslPolicies?.[0] as SslPolicy;
    expect(p.SslProtocols).toEqual(["TLSv1", "TLSv1.1", "TLSv1.2"]);
    expect(p.SupportedLoadBalancerTypes).toEqual(["application", "network"]);
    expect(p.Ciphers?.slice(0, 3)).toEqual([
      { Name: "ECDHE-ECDSA-AES128-GCM-SHA256", Priority: 1 },
      { Name: "ECDHE-RSA-AES128-GCM-SHA256", Priority: 2 },
      { Name: "ECDHE-ECDSA-AES128-SHA256", Priority: 3 },
    ]);
    expect(p.Ciphers?.at(-1)).toEqual({ Name: "AES256-SHA", Priority: 18 });
  });

  it.each([
    ["ELBSecurityPolicy-TLS13-1-3-2021-06", 3],
    ["ELBSecurityPolicy-TLS13-1-2-Res-2021-06", 7],
    ["ELBSecurityPolicy-TLS13-1-2-2021-06", 11],
    ["ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", 15],
    ["ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", 21],
    ["ELBSecurityPolicy-TLS-1-2-2017-01", 12],
    ["ELBSecurityPolicy-FS-1-2-Res-2020-10", 4],
    ["ELBSecurityPolicy-TLS-1-0-2015-04", 19],
    ["ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", 2],
    ["ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", 14],
  ])("%s has %i ciphers, ranked 1..n", (name, count) => {
    // Prepare
    const p = SSL_POLICIES.find((candidate) => candidate.Name === name);

    // Act
    const priorities = p?.Ciphers.map((c) => c.Priority);

    // Assess
    expect(priorities).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it("offers no ChaCha20 in FIPS policies and 3DES only in TLS-1-0-2015-04", () => {
    // Prepare
    const cipherNames = (p: (typeof SSL_POLICIES)[number]) => p.Ciphers.map((c) => c.Name);

    // Act
    const fipsWithChaCha = SSL_POLICIES.filter(
      (p) => p.Name.includes("FIPS") && cipherNames(p).includes("TLS_CHACHA20_POLY1305_SHA256"),
    );
    const with3des = SSL_POLICIES.filter((p) => cipherNames(p).includes("DES-CBC3-SHA")).map((p) => p.Name);

    // Assess
    expect(fipsWithChaCha).toEqual([]);
    expect(with3des).toEqual(["ELBSecurityPolicy-TLS-1-0-2015-04"]);
  });

  it("has the post-quantum policies of the 2025-09 family, each like its classical twin", () => {
    // Prepare
    const pq = SSL_POLICIES.filter((p) => p.Name.endsWith("-PQ-2025-09"));

    // Act
    const twins = pq.map((p) => {
      const twin = p.Name.replace("-FIPS-PQ-2025-09", "-FIPS-2023-04").replace("-PQ-2025-09", "-2021-06");
      return SSL_POLICIES.find((candidate) => candidate.Name === twin);
    });

    // Assess
    expect(pq.map((p) => p.Name)).toEqual(
      expect.arrayContaining([
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
      ]),
    );
    expect(pq).toHaveLength(13);
    pq.forEach((p, i) => {
      expect(twins[i]?.SslProtocols, p.Name).toEqual(p.SslProtocols);
      expect(twins[i]?.Ciphers, p.Name).toEqual(p.Ciphers);
    });
  });
});

describe("DescribeSSLPolicies", () => {
  it("answers the named policies in the order asked", async () => {
    // Prepare
    plugged();
    const names = ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"];

    // Act
    const { SslPolicies, NextMarker } = await policies({ Names: names });

    // Assess
    expect(SslPolicies?.map((p) => p.Name)).toEqual(names);
    expect(NextMarker).toBeUndefined();
  });

  it("refuses an unknown name with SSLPolicyNotFound", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      policies({ Names: ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2099-01"] }),
    );

    // Assess
    expect(error).toBeInstanceOf(SSLPolicyNotFoundException);
    expect(error.name).toBe("SSLPolicyNotFoundException");
    expect(error.message).toContain("ELBSecurityPolicy-TLS13-1-2-2099-01");
  });

  it.each([
    ["application", SSL_POLICIES.length],
    ["network", SSL_POLICIES.length],
    ["gateway", 0],
  ] as const)("lists the policies a %s load balancer supports (%i)", async (type, count) => {
    // Prepare
    plugged();

    // Act
    const { SslPolicies } = await policies({ LoadBalancerType: type });

    // Assess
    expect(SslPolicies).toHaveLength(count);
    for (const p of SslPolicies ?? []) expect(p.SupportedLoadBalancerTypes).toContain(type);
  });

  it("pages with PageSize and Marker through every policy once", async () => {
    // Prepare
    plugged();
    const seen: string[] = [];
    let marker: string | undefined;

    // Act
    do {
      const page = await policies({ PageSize: 7, Marker: marker });
      expect(page.SslPolicies?.length).toBeLessThanOrEqual(7);
      seen.push(...(page.SslPolicies ?? []).map((p) => p.Name as string));
      marker = page.NextMarker;
    } while (marker);

    // Assess
    expect(seen).toEqual(SSL_POLICIES.map((p) => p.Name));
  });
});

describe("SslPolicy on listeners", () => {
  it.each([
    [
      "CreateListener with an unknown policy",
      () =>
        new CreateListenerCommand({
          LoadBalancerArn: LB,
          Port: 8443,
          Protocol: "HTTPS",
          SslPolicy: "ELBSecurityPolicy-Made-Up",
          Certificates: [{ CertificateArn: CERTIFICATE }],
          DefaultActions: [forwardToShop] as never,
        }),
      SSLPolicyNotFoundException,
      "SSLPolicyNotFoundException",
      "ELBSecurityPolicy-Made-Up",
    ],
    [
      "ModifyListener with an unknown policy",
      () =>
        new ModifyListenerCommand({ ListenerArn: HTTPS_LISTENER, SslPolicy: "ELBSecurityPolicy-TLS13-1-2" }),
      SSLPolicyNotFoundException,
      "SSLPolicyNotFoundException",
      "ELBSecurityPolicy-TLS13-1-2",
    ],
    [
      "a policy on an HTTP listener",
      () =>
        new ModifyListenerCommand({
          ListenerArn: HTTP_LISTENER,
          SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        }),
      ElasticLoadBalancingV2ServiceException,
      "ValidationError",
      "An SSL policy cannot be specifed for HTTP listeners",
    ],
    [
      "a policy on a TCP listener",
      () =>
        new CreateListenerCommand({
          LoadBalancerArn: NLB,
          Port: 80,
          Protocol: "TCP",
          SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          DefaultActions: [{ Type: "forward", TargetGroupArn: TCP_GROUP }],
        }),
      ElasticLoadBalancingV2ServiceException,
      "ValidationError",
      "An SSL policy cannot be specifed for TCP listeners",
    ],
  ])("refuses %s as AWS does, changing nothing", async (_case, command, errorClass, name, text) => {
    // Prepare
    const state = shopState() as { elbv2: { loadBalancers: unknown[] } };
    state.elbv2.loadBalancers.push({ LoadBalancerArn: NLB, Type: "network" });
    const sandbox = plugged({ state });
    const before = sandbox.state();

    // Act
    const error = await failure(elbv2().send(command() as never));

    // Assess
    expect(error).toBeInstanceOf(errorClass);
    expect(error.name).toBe(name);
    expect(error.message).toContain(text);
    expect(sandbox.state()).toEqual(before);
  });

  it("gives a new HTTPS listener without a policy the API's default, ELBSecurityPolicy-2016-08", async () => {
    // Prepare
    plugged();

    // Act
    const { Listeners } = await elbv2().send(
      new CreateListenerCommand({
        LoadBalancerArn: LB,
        Port: 8443,
        Protocol: "HTTPS",
        Certificates: [{ CertificateArn: CERTIFICATE }],
        DefaultActions: [forwardToShop] as never,
      }),
    );

    // Assess
    expect(Listeners?.[0]?.SslPolicy).toBe("ELBSecurityPolicy-2016-08");
  });

  it.each([
    ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"],
    ["ELBSecurityPolicy-TLS-1-0-2015-04"],
    ["ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"],
  ])("ModifyListener with only SslPolicy %s changes nothing else", async (policy) => {
    // Prepare
    plugged();
    const before = await listener(HTTPS_LISTENER);

    // Act
    const { Listeners } = await elbv2().send(
      new ModifyListenerCommand({ ListenerArn: HTTPS_LISTENER, SslPolicy: policy }),
    );

    // Assess
    const after = await listener(HTTPS_LISTENER);
    expect(after).toEqual({ ...before, SslPolicy: policy });
    expect(Listeners?.[0]).toEqual(after);
  });

  it("keeps the policy of a listener whose actions alone change", async () => {
    // Prepare
    plugged();
    await elbv2().send(
      new ModifyListenerCommand({
        ListenerArn: HTTPS_LISTENER,
        SslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      }),
    );

    // Act
    await elbv2().send(
      new ModifyListenerCommand({
        ListenerArn: HTTPS_LISTENER,
        DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "503" } }],
      }),
    );

    // Assess
    expect((await listener(HTTPS_LISTENER))?.SslPolicy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
  });
});
