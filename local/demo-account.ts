/**
 * The demo's embedded default account: a hardened shop ALB (HTTP redirects to
 * HTTPS, HTTPS on 443) and an intranet ALB that has no HTTPS listener at all.
 */
const region = "eu-west-1";
const account = "111122223333";
const elb = `arn:aws:elasticloadbalancing:${region}:${account}`;

export const demoAccount = { account, region, clock: "2026-03-01T09:00:00Z" };

export const shop = {
  loadBalancer: `${elb}:loadbalancer/app/shop-prod/0f9e8d7c6b5a4930`,
  httpListener: `${elb}:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615`,
  httpsListener: `${elb}:listener/app/shop-prod/0f9e8d7c6b5a4930/2615374859a6b7c8`,
  targetGroup: `${elb}:targetgroup/shop-tg/11aa22bb33cc44dd`,
};

export const intranet = {
  loadBalancer: `${elb}:loadbalancer/app/intranet/5a4b3c2d1e0f9a8b`,
  targetGroup: `${elb}:targetgroup/intranet-tg/9f8e7d6c5b4a3921`,
};

const loadBalancer = (arn: string, name: string) => ({
  LoadBalancerArn: arn,
  DNSName: `${name}-1884918780.${region}.elb.amazonaws.com`,
  CanonicalHostedZoneId: "Z32O12XQLNTSW2",
  CreatedTime: "2025-11-27T21:16:00.000Z",
  LoadBalancerName: name,
  Scheme: "internet-facing",
  VpcId: "vpc-0ea15ff1bbb2d473e",
  State: { Code: "active" },
  Type: "application",
  AvailabilityZones: [
    { ZoneName: `${region}a`, SubnetId: "subnet-08a8a4db8e985274f" },
    { ZoneName: `${region}b`, SubnetId: "subnet-04ff3c1d781d45591" },
  ],
  SecurityGroups: ["sg-0979dfbd5c261b958"],
  IpAddressType: "ipv4",
});

export const forwardTo = (targetGroupArn: string) => [
  {
    Type: "forward",
    TargetGroupArn: targetGroupArn,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] },
  },
];

export const demoState = {
  elbv2: {
    loadBalancers: [
      loadBalancer(shop.loadBalancer, "shop-prod"),
      loadBalancer(intranet.loadBalancer, "intranet"),
    ],
    listeners: [
      {
        ListenerArn: shop.httpListener,
        LoadBalancerArn: shop.loadBalancer,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [
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
        ],
      },
      {
        ListenerArn: shop.httpsListener,
        LoadBalancerArn: shop.loadBalancer,
        Port: 443,
        Protocol: "HTTPS",
        SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates: [
          {
            CertificateArn: `arn:aws:acm:${region}:${account}:certificate/9f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
          },
        ],
        DefaultActions: forwardTo(shop.targetGroup),
      },
    ],
    rules: [],
    attributes: [],
    tags: [{ ResourceArn: shop.loadBalancer, Tags: [{ Key: "team", Value: "shop" }] }],
  },
};
