/**
 * ELBv2 ARNs carry their whole ancestry (a rule ARN names its listener and
 * load balancer), and the region in an ARN decides where a resource lives.
 */
export type ElbResourceKind = "loadbalancer" | "listener" | "listener-rule" | "targetgroup";
export type ElbFlavor = "app" | "net" | "gwy";

export interface ElbArn {
  partition: string;
  region: string;
  account: string;
  kind: ElbResourceKind;
  /** app / net / gwy for load balancers, listeners and rules. */
  flavor?: ElbFlavor;
  /** Path segments after the kind (and flavor): name, lb id, listener id, rule id. */
  segments: string[];
}

const ELB_ARN =
  /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):(loadbalancer|listener|listener-rule|targetgroup)\/(.+)$/;
const SEGMENT = /^[A-Za-z0-9-]+$/;
const SEGMENTS: Record<ElbResourceKind, number> = {
  loadbalancer: 2,
  listener: 3,
  "listener-rule": 4,
  targetgroup: 2,
};

export function parseElbArn(arn: unknown): ElbArn | undefined {
  if (typeof arn !== "string") return undefined;
  const match = ELB_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, kindText, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const kind = kindText as ElbResourceKind;
  let parts = rest.split("/");
  let flavor: ElbFlavor | undefined;
  if (kind !== "targetgroup") {
    const first = parts[0];
    if (first !== "app" && first !== "net" && first !== "gwy") return undefined;
    flavor = first;
    parts = parts.slice(1);
  }
  if (parts.length !== SEGMENTS[kind] || !parts.every((p) => SEGMENT.test(p))) return undefined;
  return { partition, region, account, kind, flavor, segments: parts };
}

export function isElbArn(arn: unknown, kind: ElbResourceKind): arn is string {
  return parseElbArn(arn)?.kind === kind;
}

function parentArn(arn: string, from: ElbResourceKind, to: ElbResourceKind): string {
  return arn.slice(0, arn.lastIndexOf("/")).replace(`:${from}/`, `:${to}/`);
}

/** The listener a rule ARN names. */
export function listenerArnOfRule(ruleArn: string): string {
  return parentArn(ruleArn, "listener-rule", "listener");
}

/** The load balancer a listener ARN names. */
export function loadBalancerArnOfListener(listenerArn: string): string {
  return parentArn(listenerArn, "listener", "loadbalancer");
}

export function elbTypeOfFlavor(flavor: ElbFlavor | undefined): "application" | "network" | "gateway" {
  if (flavor === "net") return "network";
  if (flavor === "gwy") return "gateway";
  return "application";
}

const DISTRIBUTION_ARN = /^arn:(aws[a-z-]*):cloudfront::(\d{12}):distribution\/([A-Z0-9]+)$/;

export function parseDistributionArn(arn: unknown): { account: string; id: string } | undefined {
  if (typeof arn !== "string") return undefined;
  const match = DISTRIBUTION_ARN.exec(arn);
  return match ? { account: match[2] as string, id: match[3] as string } : undefined;
}

const VPC_ORIGIN_ARN = /^arn:(aws[a-z-]*):cloudfront::(\d{12}):vpcorigin\/(vo_[0-9A-Za-z]+)$/;

export function parseVpcOriginArn(arn: unknown): { account: string; id: string } | undefined {
  if (typeof arn !== "string") return undefined;
  const match = VPC_ORIGIN_ARN.exec(arn);
  return match ? { account: match[2] as string, id: match[3] as string } : undefined;
}

/** A web ACL CloudFront can use: WAFv2, CLOUDFRONT scope (`global`, always stored in us-east-1). */
const GLOBAL_WEB_ACL_ARN =
  /^arn:aws[a-z-]*:wafv2:us-east-1:(\d{12}):global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;

export function isGlobalWebAclArn(arn: unknown): arn is string {
  return typeof arn === "string" && GLOBAL_WEB_ACL_ARN.test(arn);
}

const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f-]+$/;

export function parseAcmCertificateArn(arn: unknown): { region: string; account: string } | undefined {
  if (typeof arn !== "string") return undefined;
  const match = ACM_CERTIFICATE_ARN.exec(arn);
  return match ? { region: match[1] as string, account: match[2] as string } : undefined;
}

export type WebAclScope = "REGIONAL" | "CLOUDFRONT";

export interface WebAclArn {
  region: string;
  account: string;
  /** `regional/...` ARNs are REGIONAL; `global/...` ones (always us-east-1) are CLOUDFRONT. */
  scope: WebAclScope;
  name: string;
  id: string;
}

const WEB_ACL_ARN =
  /^arn:aws[a-z-]*:wafv2:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):(regional|global)\/webacl\/([\w-]{1,128})\/([\w-]{1,36})$/;

/** arn:aws:wafv2:<region>:<account>:regional|global/webacl/<name>/<id> */
export function parseWebAclArn(arn: unknown): WebAclArn | undefined {
  if (typeof arn !== "string") return undefined;
  const match = WEB_ACL_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, account, scope, name, id] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (scope === "global" && region !== "us-east-1") return undefined;
  return { region, account, scope: scope === "global" ? "CLOUDFRONT" : "REGIONAL", name, id };
}
