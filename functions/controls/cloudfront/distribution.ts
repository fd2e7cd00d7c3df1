import {
  type DistributionConfig,
  GetDistributionCommand,
  type GetDistributionCommandOutput,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  type Origin,
} from "@aws-sdk/client-cloudfront";
import { errorName } from "../../lib/errors.js";
import type { ControlContext } from "../types.js";

/**
 * One distribution as every CloudFront control reads it: enough to judge,
 * plan, and bind an approval to (the ETag of the configuration read).
 */
export interface DistributionSnapshot {
  id: string;
  arn: string;
  /** ETag of the configuration read: an approved plan binds to it and UpdateDistribution needs it. */
  etag: string;
  /** Deployed | InProgress */
  status: string;
  /** d111111abcdef8.cloudfront.net: the name viewers use when the distribution has no aliases. */
  domainName: string;
  config: DistributionConfig;
  tags: Record<string, string>;
}

const arnPattern = /^arn:aws[a-z-]*:cloudfront::(\d{12}):distribution\/([A-Z0-9]+)$/;

export function distributionArn(account: string, id: string): string {
  return `arn:aws:cloudfront::${account}:distribution/${id}`;
}

/** The distribution id an ARN names; a bare id passes through so callers may hold either. */
export function distributionId(resource: string): string {
  const match = arnPattern.exec(resource);
  if (match?.[2]) return match[2];
  return resource.slice(resource.lastIndexOf("/") + 1);
}

export async function collectDistribution(
  ctx: ControlContext,
  resource: string,
): Promise<DistributionSnapshot | null> {
  const cloudfront = ctx.clients.cloudfront();
  const id = distributionId(resource);
  let distribution: GetDistributionCommandOutput;
  try {
    distribution = await cloudfront.send(new GetDistributionCommand({ Id: id }));
  } catch (error) {
    if (errorName(error) === "NoSuchDistribution") return null;
    throw error;
  }
  const config = distribution.Distribution?.DistributionConfig;
  if (!config) return null;
  const arn = distribution.Distribution?.ARN ?? distributionArn(ctx.account, id);
  const tagged = await cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }));
  const tags: Record<string, string> = {};
  for (const tag of tagged.Tags?.Items ?? []) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
  }
  return {
    id,
    arn,
    etag: distribution.ETag ?? "",
    status: distribution.Distribution?.Status ?? "Unknown",
    domainName: distribution.Distribution?.DomainName ?? "",
    config,
    tags,
  };
}

export interface DistributionSummaryRef {
  arn: string;
  /** The origins the summary lists (ListDistributions reports them), for finding who uses what. */
  origins: Origin[];
  /** The response headers policies its cache behaviors (default and ordered) name, as the summary reports them. */
  responseHeadersPolicyIds: string[];
}

/** Every distribution of the account, page by page, with the origins its summary names. */
export async function listDistributionSummaries(ctx: ControlContext): Promise<DistributionSummaryRef[]> {
  const cloudfront = ctx.clients.cloudfront();
  const found: DistributionSummaryRef[] = [];
  let marker: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand(marker ? { Marker: marker } : {}));
    const list = page.DistributionList;
    for (const summary of list?.Items ?? []) {
      const arn = summary.ARN ?? (summary.Id ? distributionArn(ctx.account, summary.Id) : undefined);
      if (!arn) continue;
      const behaviors = [summary.DefaultCacheBehavior, ...(summary.CacheBehaviors?.Items ?? [])];
      const responseHeadersPolicyIds = behaviors.flatMap((behavior) =>
        behavior?.ResponseHeadersPolicyId ? [behavior.ResponseHeadersPolicyId] : [],
      );
      found.push({ arn, origins: summary.Origins?.Items ?? [], responseHeadersPolicyIds });
    }
    marker = list?.IsTruncated ? list.NextMarker : undefined;
  } while (marker);
  return found;
}

/** The names viewers reach a distribution by: its aliases, else its CloudFront domain name. */
export function viewerHosts(snapshot: Pick<DistributionSnapshot, "config" | "domainName" | "id">): string[] {
  const aliases = (snapshot.config.Aliases?.Items ?? []).filter((alias) => alias !== "");
  if (aliases.length > 0) return aliases;
  return [snapshot.domainName || `distribution ${snapshot.id}`];
}

export async function listDistributions(ctx: ControlContext): Promise<string[]> {
  return (await listDistributionSummaries(ctx)).map((summary) => summary.arn);
}
