import type { ScenarioState } from "./sandbox/state.js";

/**
 * A generated account of many load balancers and distributions, for the
 * sweep's tests and bench: every ALB has an HTTP listener (every `driftEvery`-th
 * forwards instead of redirecting: a drift) and HTTPS listeners on a TLS 1.3
 * policy (the same ALBs' first HTTPS listener allows TLS 1.2 without 1.3: a drift); every distribution redirects viewers to HTTPS and talks TLS 1.2 to
 * its origin, except every `driftEvery`-th, which allows HTTP viewers.
 */
export interface LargeAccountOptions {
  account: string;
  region: string;
  loadBalancers: number;
  /** Listeners per load balancer: one HTTP, the rest HTTPS (at least 2). */
  listenersPerLoadBalancer: number;
  distributions: number;
  driftEvery: number;
  /** Resource types AWS Config records in every region (none: no recorder). */
  recorded?: string[];
}

export interface LargeAccount {
  state: ScenarioState;
  /** The drifted HTTP listeners, HTTPS listeners and distributions. */
  driftedListeners: string[];
  driftedHttpsListeners: string[];
  driftedDistributions: string[];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const redirect = [
  {
    Type: "redirect",
    RedirectConfig: {
      Protocol: "HTTPS",
      Port: "443",
      Host: "#{host}",
      Path: "/#{path}",
      Query: "#{query}",
      StatusCode: "HTTP_301",
    },
  },
];

function distribution(account: string, i: number, drifted: boolean): Record<string, unknown> {
  const id = `E${hex(i, 12).toUpperCase()}`;
  return {
    Id: id,
    ARN: `arn:aws:cloudfront::${account}:distribution/${id}`,
    DomainName: `d${hex(i, 12)}.cloudfront.net`,
    Status: "Deployed",
    ETag: `ETAG${hex(i, 8).toUpperCase()}`,
    DistributionConfig: {
      CallerReference: `large-${i}`,
      Aliases: { Quantity: 0 },
      DefaultRootObject: "",
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: "app",
            DomainName: `app-${i}.example.com`,
            OriginPath: "",
            CustomHeaders: { Quantity: 0 },
            CustomOriginConfig: {
              HTTPPort: 80,
              HTTPSPort: 443,
              OriginProtocolPolicy: "https-only",
              OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
              OriginReadTimeout: 30,
              OriginKeepaliveTimeout: 5,
            },
            ConnectionAttempts: 3,
            ConnectionTimeout: 10,
            OriginShield: { Enabled: false },
            OriginAccessControlId: "",
          },
        ],
      },
      OriginGroups: { Quantity: 0 },
      DefaultCacheBehavior: {
        TargetOriginId: "app",
        TrustedSigners: { Enabled: false, Quantity: 0 },
        TrustedKeyGroups: { Enabled: false, Quantity: 0 },
        ViewerProtocolPolicy: drifted ? "allow-all" : "redirect-to-https",
        AllowedMethods: {
          Quantity: 2,
          Items: ["HEAD", "GET"],
          CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] },
        },
        SmoothStreaming: false,
        Compress: true,
        LambdaFunctionAssociations: { Quantity: 0 },
        FunctionAssociations: { Quantity: 0 },
        FieldLevelEncryptionId: "",
        CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Comment: `large ${i}`,
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
      PriceClass: "PriceClass_100",
      Enabled: true,
      ViewerCertificate: {
        CloudFrontDefaultCertificate: true,
        MinimumProtocolVersion: "TLSv1",
        CertificateSource: "cloudfront",
      },
      Restrictions: { GeoRestriction: { RestrictionType: "none", Quantity: 0 } },
      WebACLId: "",
      HttpVersion: "http2",
      IsIPV6Enabled: true,
      ContinuousDeploymentPolicyId: "",
      Staging: false,
    },
  };
}

export function largeAccount(options: LargeAccountOptions): LargeAccount {
  const { account, region } = options;
  const elb = `arn:aws:elasticloadbalancing:${region}:${account}`;
  const loadBalancers: Record<string, unknown>[] = [];
  const listeners: Record<string, unknown>[] = [];
  const driftedListeners: string[] = [];
  const driftedHttpsListeners: string[] = [];
  for (let i = 0; i < options.loadBalancers; i++) {
    const lbPath = `app/lb-${i}/${hex(i, 16)}`;
    const lb = `${elb}:loadbalancer/${lbPath}`;
    const tg = `${elb}:targetgroup/tg-${i}/${hex(i, 16)}`;
    loadBalancers.push({
      LoadBalancerArn: lb,
      LoadBalancerName: `lb-${i}`,
      DNSName: `lb-${i}.${region}.elb.amazonaws.com`,
      Type: "application",
      Scheme: "internet-facing",
      State: { Code: "active" },
    });
    const drifted = i % options.driftEvery === 0;
    const http = `${elb}:listener/${lbPath}/${hex(1, 16)}`;
    if (drifted) driftedListeners.push(http);
    if (drifted) driftedHttpsListeners.push(`${elb}:listener/${lbPath}/${hex(2, 16)}`);
    listeners.push({
      ListenerArn: http,
      LoadBalancerArn: lb,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: drifted ? [{ Type: "forward", TargetGroupArn: tg }] : redirect,
    });
    for (let n = 1; n < Math.max(2, options.listenersPerLoadBalancer); n++) {
      listeners.push({
        ListenerArn: `${elb}:listener/${lbPath}/${hex(n + 1, 16)}`,
        LoadBalancerArn: lb,
        Port: n === 1 ? 443 : 8442 + n,
        Protocol: "HTTPS",
        SslPolicy:
          drifted && n === 1 ? "ELBSecurityPolicy-TLS-1-2-2017-01" : "ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates: [{ CertificateArn: `arn:aws:acm:${region}:${account}:certificate/${hex(i, 8)}` }],
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
      });
    }
  }
  const distributions: Record<string, unknown>[] = [];
  const driftedDistributions: string[] = [];
  for (let i = 0; i < options.distributions; i++) {
    const drifted = i % options.driftEvery === 0;
    const d = distribution(account, i, drifted);
    if (drifted) driftedDistributions.push(d.ARN as string);
    distributions.push(d);
  }
  const state = {
    elbv2: { loadBalancers, listeners, rules: [], attributes: [], tags: [] },
    cloudfront: { distributions },
    ...(options.recorded ? { config: { recorder: { resourceTypes: options.recorded } } } : {}),
  };
  return {
    state: state as unknown as ScenarioState,
    driftedListeners,
    driftedHttpsListeners,
    driftedDistributions,
  };
}
