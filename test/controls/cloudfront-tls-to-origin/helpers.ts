import type { CacheBehavior, DistributionConfig, Origin, OriginGroup } from "@aws-sdk/client-cloudfront";
import { execute } from "../../../functions/controls/cloudfront-tls-to-origin/fixer.js";
import type { Snapshot } from "../../../functions/controls/cloudfront-tls-to-origin/snapshot.js";
import type { Change, ControlContext, OriginProbe } from "../../../functions/controls/types.js";
import { clients } from "../../../functions/lib/aws.js";
import distribution from "./fixtures/distribution.json" with { type: "json" };

export const account = "111122223333";
export const distributionId = distribution.Id;
export const distributionArn = distribution.ARN;

/** The storefront distribution of the shared scenario (one custom origin "api", https-only, TLSv1.2). */
export function baseConfig(): DistributionConfig {
  return structuredClone(distribution.DistributionConfig) as DistributionConfig;
}

export function customOrigin(
  id: string,
  domainName: string,
  policy: string,
  protocols: string[] = ["TLSv1.2"],
  httpsPort = 443,
): Origin {
  return {
    Id: id,
    DomainName: domainName,
    OriginPath: "",
    CustomHeaders: { Quantity: 0 },
    CustomOriginConfig: {
      HTTPPort: 80,
      HTTPSPort: httpsPort,
      OriginProtocolPolicy: policy as "https-only",
      OriginSslProtocols: { Quantity: protocols.length, Items: protocols as "TLSv1.2"[] },
      OriginReadTimeout: 30,
      OriginKeepaliveTimeout: 5,
    },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: "",
  };
}

export function s3Origin(id: string, bucket: string): Origin {
  return {
    Id: id,
    DomainName: `${bucket}.s3.eu-west-1.amazonaws.com`,
    OriginPath: "",
    CustomHeaders: { Quantity: 0 },
    S3OriginConfig: { OriginAccessIdentity: "" },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginAccessControlId: "E2OACEXAMPLE",
  };
}

export function behavior(
  pathPattern: string,
  targetOriginId: string,
  viewerProtocolPolicy: string,
): CacheBehavior {
  const base = baseConfig().DefaultCacheBehavior;
  return {
    ...(base as CacheBehavior),
    PathPattern: pathPattern,
    TargetOriginId: targetOriginId,
    ViewerProtocolPolicy: viewerProtocolPolicy as "https-only",
  };
}

export function originGroup(id: string, members: string[]): OriginGroup {
  return {
    Id: id,
    FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [502, 503] } },
    Members: { Quantity: members.length, Items: members.map((OriginId) => ({ OriginId })) },
  };
}

export interface DistributionShape {
  origins: Origin[];
  /** ViewerProtocolPolicy and target of DefaultCacheBehavior; defaults to the first origin, redirect-to-https. */
  defaultBehavior?: { target: string; viewer: string };
  behaviors?: CacheBehavior[];
  groups?: OriginGroup[];
}

/** The fixture's configuration with its origins, behaviors and groups replaced: everything else stays realistic. */
export function configWith(shape: DistributionShape): DistributionConfig {
  const config = baseConfig();
  config.Origins = { Quantity: shape.origins.length, Items: shape.origins };
  const fallback = shape.defaultBehavior ?? {
    target: shape.origins[0]?.Id ?? "",
    viewer: "redirect-to-https",
  };
  if (config.DefaultCacheBehavior) {
    config.DefaultCacheBehavior.TargetOriginId = fallback.target;
    config.DefaultCacheBehavior.ViewerProtocolPolicy = fallback.viewer as "https-only";
  }
  const behaviors = shape.behaviors ?? [];
  config.CacheBehaviors =
    behaviors.length > 0 ? { Quantity: behaviors.length, Items: behaviors } : { Quantity: 0 };
  const groups = shape.groups ?? [];
  config.OriginGroups = groups.length > 0 ? { Quantity: groups.length, Items: groups } : { Quantity: 0 };
  return config;
}

export function snapshotOf(config: DistributionConfig, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    id: distributionId,
    arn: distributionArn,
    etag: "E2ABCDEF123456",
    status: "Deployed",
    domainName: distribution.DomainName,
    config,
    tags: {},
    vpcOrigins: {},
    ...overrides,
  };
}

export function context(probe?: OriginProbe): ControlContext {
  return {
    account,
    region: "us-east-1",
    clients,
    now: () => new Date("2026-03-01T09:00:00Z"),
    ...(probe ? { probe } : {}),
  };
}

/** Every planned call made through the control's fixer, as the workflow's apply does, minus the journal. */
export async function applyAll(ctx: ControlContext, resource: string, changes: Change[]): Promise<Change[]> {
  const made: Change[] = [];
  for (const change of changes) {
    const result = await execute(ctx, resource, change);
    if (result) made.push(result);
  }
  return made;
}
