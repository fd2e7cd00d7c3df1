import type { SelectResourceConfigCommand } from "@aws-sdk/client-config-service";
import { describe, expect, it } from "vitest";
import type { Clients } from "../../functions/lib/aws.js";
import { configDistributionPage, configLoadBalancerPage } from "../../functions/sweep/config-listing.js";

/**
 * Items as AWS Config returns them, field names as its resource schema lists
 * them (awslabs/aws-config-resource-schema): a load balancer's and a
 * distribution's in camelCase with Config's own acronyms (dNSName, httpsPort,
 * acmCertificateArn, sslSupportMethod), a listener's in CloudFormation's
 * PascalCase. The sweep must judge them as the Describe and Get APIs show them.
 */
const lbArn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188";
const listenerArn =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";

const loadBalancerItem = {
  tags: [
    { key: "env", value: "prod" },
    { key: "team", value: "" },
  ],
  configuration: {
    loadBalancerArn: lbArn,
    dNSName: "shop-1234567890.eu-west-1.elb.amazonaws.com",
    canonicalHostedZoneId: "Z32O12XQLNTSW2",
    createdTime: "2026-02-01T10:00:00.000Z",
    loadBalancerName: "shop",
    scheme: "internet-facing",
    vpcId: "vpc-0a1b2c3d",
    state: { code: "active" },
    type: "application",
    availabilityZones: [{ zoneName: "eu-west-1a", subnetId: "subnet-1", loadBalancerAddresses: [] }],
    securityGroups: ["sg-0123"],
    ipAddressType: "ipv4",
  },
};

const listenerItem = {
  configuration: {
    ListenerArn: listenerArn,
    LoadBalancerArn: lbArn,
    Port: 443,
    Protocol: "HTTPS",
    SslPolicy: "ELBSecurityPolicy-2016-08",
    Certificates: [{ CertificateArn: "arn:aws:acm:eu-west-1:111122223333:certificate/abc" }],
    DefaultActions: [
      {
        Type: "forward",
        TargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/1",
      },
    ],
  },
};

const distributionItem = {
  configuration: {
    id: "E2QWRUHEXAMPLE",
    arn: "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE",
    domainName: "d111111abcdef8.cloudfront.net",
    status: "Deployed",
    lastModifiedTime: "2026-02-01T10:00:00.000Z",
    distributionConfig: {
      callerReference: "shop",
      origins: {
        quantity: 1,
        items: [
          {
            id: "app",
            domainName: "app.example.com",
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "match-viewer",
              originSslProtocols: { quantity: 1, items: ["TLSv1"] },
            },
          },
        ],
      },
      defaultCacheBehavior: { targetOriginId: "app", viewerProtocolPolicy: "allow-all", defaultTTL: 86400 },
      viewerCertificate: {
        acmCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/def",
        sslSupportMethod: "vip",
        minimumProtocolVersion: "TLSv1",
        certificateSource: "acm",
      },
      webACLId: "",
      isIPV6Enabled: true,
    },
  },
};

/** A Config client answering each query with the items of the first matching resource type. */
function configAnswering(byType: Record<string, unknown[]>): {
  clients: Pick<Clients, "config">;
  queries: string[];
} {
  const queries: string[] = [];
  const client = {
    send: async (command: SelectResourceConfigCommand) => {
      const expression = command.input.Expression ?? "";
      queries.push(expression);
      const type = Object.keys(byType).find((t) => expression.includes(`'${t}'`));
      return { Results: (type ? (byType[type] ?? []) : []).map((item) => JSON.stringify(item)) };
    },
  };
  return { clients: { config: () => client as never }, queries };
}

describe("the sweep's reading of AWS Config items", () => {
  it("turns a load balancer's and its listeners' items into the Describe* shapes", async () => {
    // Prepare
    const { clients, queries } = configAnswering({
      "AWS::ElasticLoadBalancingV2::LoadBalancer": [loadBalancerItem],
      "AWS::ElasticLoadBalancingV2::Listener": [listenerItem],
    });

    // Act
    const page = await configLoadBalancerPage(clients, "eu-west-1", null);

    // Assess
    expect(page.loadBalancers).toEqual([
      expect.objectContaining({
        LoadBalancerArn: lbArn,
        DNSName: "shop-1234567890.eu-west-1.elb.amazonaws.com",
        Type: "application",
        State: { Code: "active" },
        AvailabilityZones: [{ ZoneName: "eu-west-1a", SubnetId: "subnet-1", LoadBalancerAddresses: [] }],
        SecurityGroups: ["sg-0123"],
      }),
    ]);
    expect(page.listeners.get(lbArn)).toEqual([listenerItem.configuration]);
    // Config's recorded tags come along, so a tag-scoped sweep needs no DescribeTags.
    expect(page.tags.get(lbArn)).toEqual({ env: "prod", team: "" });
    // The listener's property is named as Config's schema names it: a camelCase path would match nothing.
    expect(queries[1]).toContain(`configuration.LoadBalancerArn IN ('${lbArn}')`);
    // Config keeps the last item of a deleted resource; no query may return it for judging.
    for (const query of queries) {
      expect(query).toContain("configurationItemStatus IN ('OK', 'ResourceDiscovered')");
      expect(query.length).toBeLessThanOrEqual(4096);
    }
  });

  it("turns a distribution's item into GetDistribution's names, acronyms included", async () => {
    // Prepare
    const { clients } = configAnswering({ "AWS::CloudFront::Distribution": [distributionItem] });

    // Act
    const page = await configDistributionPage(clients, null);

    // Assess
    const [summary] = page.distributions;
    expect(summary).toMatchObject({
      Id: "E2QWRUHEXAMPLE",
      ARN: "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE",
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: "app",
            CustomOriginConfig: {
              HTTPPort: 80,
              HTTPSPort: 443,
              OriginProtocolPolicy: "match-viewer",
              OriginSslProtocols: { Quantity: 1, Items: ["TLSv1"] },
            },
          },
        ],
      },
      DefaultCacheBehavior: { ViewerProtocolPolicy: "allow-all", DefaultTTL: 86400 },
      ViewerCertificate: {
        ACMCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/def",
        SSLSupportMethod: "vip",
        MinimumProtocolVersion: "TLSv1",
      },
      WebACLId: "",
      IsIPV6Enabled: true,
    });
  });
});
