import {
  type DistributionConfig,
  GetDistributionCommand,
  type GetDistributionCommandOutput,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { errorName } from "../../lib/errors.js";
import type { ControlContext } from "../types.js";

/** What the control knows about one distribution: enough to judge, plan and bind an approval to. */
export interface Snapshot {
  id: string;
  arn: string;
  /** ETag of the configuration read: an approved plan binds to it and UpdateDistribution needs it. */
  etag: string;
  /** Deployed | InProgress */
  status: string;
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

export async function collect(ctx: ControlContext, resource: string): Promise<Snapshot | null> {
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
    config,
    tags,
  };
}

export async function listResources(ctx: ControlContext): Promise<string[]> {
  const cloudfront = ctx.clients.cloudfront();
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand(marker ? { Marker: marker } : {}));
    const list = page.DistributionList;
    for (const summary of list?.Items ?? []) {
      if (summary.ARN) arns.push(summary.ARN);
      else if (summary.Id) arns.push(distributionArn(ctx.account, summary.Id));
    }
    marker = list?.IsTruncated ? list.NextMarker : undefined;
  } while (marker);
  return arns;
}
