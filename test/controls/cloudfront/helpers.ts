import {
  type CacheBehavior,
  type DistributionConfig,
  GetDistributionConfigCommand,
} from "@aws-sdk/client-cloudfront";
import type { DistributionSnapshot } from "../../../functions/controls/cloudfront/distribution.js";
import type { AnyControl, Change, ControlContext } from "../../../functions/controls/types.js";
import { clients, useClientPlugin } from "../../../functions/lib/aws.js";
import type { SandboxAccount } from "../../../local/sandbox/account.js";
import { iamUser } from "../../../local/sandbox/identity.js";
import distribution from "../cloudfront-tls-to-origin/fixtures/distribution.json" with { type: "json" };

/**
 * The storefront distribution as GetDistributionConfig reports it (the same one
 * the sandbox helpers load), and small builders for the shapes each CloudFront
 * control judges: everything a test does not name stays real.
 */
export const account = "111122223333";
export const distributionId = distribution.Id;
export const distributionArn = distribution.ARN;
export const certificateArn =
  "arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
export const globalWebAcl =
  "arn:aws:wafv2:us-east-1:111122223333:global/webacl/shop-prod/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";
export const managedSecurityHeaders = "67f7725c-6f97-4210-82d7-5512b31e9d03";
export const managedCorsWithPreflight = "5cc3b908-e619-4b99-88e5-2cf7f45965bd";

export function storefrontConfig(): DistributionConfig {
  return structuredClone(distribution.DistributionConfig) as DistributionConfig;
}

/** An ordered cache behavior cut from the default one, as the console copies it. */
export function behavior(pathPattern: string, overrides: Partial<CacheBehavior> = {}): CacheBehavior {
  return {
    ...(structuredClone(storefrontConfig().DefaultCacheBehavior) as CacheBehavior),
    PathPattern: pathPattern,
    ...overrides,
  };
}

export interface Shape {
  /** Fields of the default cache behavior to replace. */
  defaults?: Partial<CacheBehavior>;
  behaviors?: CacheBehavior[];
  aliases?: string[];
  viewerCertificate?: DistributionConfig["ViewerCertificate"];
  webAclId?: string;
}

/** The storefront's configuration with only the named parts replaced. */
export function configWith(shape: Shape = {}): DistributionConfig {
  const config = storefrontConfig();
  if (shape.defaults && config.DefaultCacheBehavior)
    Object.assign(config.DefaultCacheBehavior, shape.defaults);
  if (shape.behaviors) {
    config.CacheBehaviors =
      shape.behaviors.length > 0
        ? { Quantity: shape.behaviors.length, Items: shape.behaviors }
        : { Quantity: 0 };
  }
  if (shape.aliases) {
    config.Aliases =
      shape.aliases.length > 0 ? { Quantity: shape.aliases.length, Items: shape.aliases } : { Quantity: 0 };
  }
  if (shape.viewerCertificate) config.ViewerCertificate = shape.viewerCertificate;
  if (shape.webAclId !== undefined) config.WebACLId = shape.webAclId;
  return config;
}

/** CloudFront's own certificate as GetDistributionConfig reports it. */
export const defaultCertificate: DistributionConfig["ViewerCertificate"] = {
  CloudFrontDefaultCertificate: true,
  SSLSupportMethod: "vip",
  MinimumProtocolVersion: "TLSv1",
  CertificateSource: "cloudfront",
};

/** The storefront's ACM certificate with another method or policy. */
export function acmCertificate(
  MinimumProtocolVersion: string,
  SSLSupportMethod = "sni-only",
): DistributionConfig["ViewerCertificate"] {
  return {
    CloudFrontDefaultCertificate: false,
    ACMCertificateArn: certificateArn,
    SSLSupportMethod: SSLSupportMethod as "sni-only",
    MinimumProtocolVersion: MinimumProtocolVersion as "TLSv1.2_2021",
    Certificate: certificateArn,
    CertificateSource: "acm",
  };
}

export function snapshotOf(config: DistributionConfig): DistributionSnapshot {
  return {
    id: distributionId,
    arn: distributionArn,
    etag: "E2ABCDEF123456",
    status: "Deployed",
    domainName: distribution.DomainName,
    config,
    tags: {},
  };
}

export function context(): ControlContext {
  return { account, region: "us-east-1", clients, now: () => new Date("2026-03-01T09:00:00Z") };
}

export const dave = iamUser(account, "dave");

/** A person changes the storefront in the sandbox (read-modify-write under the ETag, as the console does). */
export async function changeByHand(
  sandbox: SandboxAccount,
  edit: (config: DistributionConfig) => void,
  id = distributionId,
): Promise<void> {
  const current = (await sandbox.call("cloudfront", "GetDistributionConfig", { Id: id }, dave)) as {
    ETag: string;
    DistributionConfig: DistributionConfig;
  };
  const config = structuredClone(current.DistributionConfig);
  edit(config);
  await sandbox.call(
    "cloudfront",
    "UpdateDistribution",
    { Id: id, IfMatch: current.ETag, DistributionConfig: config },
    dave,
  );
}

/** The storefront's configuration as the remediator's client reads it now. */
export async function liveConfig(id = distributionId): Promise<DistributionConfig> {
  const read = await clients.cloudfront().send(new GetDistributionConfigCommand({ Id: id }));
  return read.DistributionConfig as DistributionConfig;
}

/** Every planned call made through the control's own execute, as the workflow's apply does (minus the journal). */
export async function applyAll(
  control: AnyControl,
  ctx: ControlContext,
  resource: string,
  changes: Change[],
): Promise<Change[]> {
  const made: Change[] = [];
  for (const change of changes) {
    const result = await control.execute(ctx, resource, change);
    if (result) made.push(result);
  }
  return made;
}

/**
 * Runs `between` right after each GetDistributionConfig the code under test
 * makes (up to `times`), before its write: another writer landing between a
 * fixer's read and its write. Returns the unplug function.
 */
let interleavings = 0;

export function afterEachRead(
  between: (read: number) => Promise<void>,
  times = Number.POSITIVE_INFINITY,
  command = "GetDistributionConfigCommand",
): () => void {
  let reads = 0;
  interleavings += 1;
  // Each registration needs its own name in the client's middleware stack.
  const name = `afterEachRead${interleavings}`;
  let busy = false;
  return useClientPlugin({
    plugin: () => ({
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            const result = await next(args);
            if (context.commandName === command && !busy && reads < times) {
              reads += 1;
              busy = true;
              try {
                await between(reads);
              } finally {
                busy = false;
              }
            }
            return result;
          },
          { step: "initialize", priority: "high", name },
        );
      },
    }),
  });
}
