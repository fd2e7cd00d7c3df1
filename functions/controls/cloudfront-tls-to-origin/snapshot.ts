import { GetVpcOriginCommand, type VpcOriginEndpointConfig } from "@aws-sdk/client-cloudfront";
import { errorName } from "../../lib/errors.js";
import {
  collectDistribution,
  type DistributionSnapshot,
  listDistributions,
} from "../cloudfront/distribution.js";
import type { ControlContext } from "../types.js";

export { distributionArn, distributionId } from "../cloudfront/distribution.js";

/** A VPC origin as GetVpcOrigin reports it: where CloudFront's protocol to a private origin is set. */
export interface VpcOriginState {
  id: string;
  arn: string;
  /** UpdateVpcOrigin needs it, like UpdateDistribution needs the distribution's. */
  etag: string;
  endpoint: VpcOriginEndpointConfig;
}

/** The distribution, plus every VPC origin it uses (null: GetVpcOrigin found none under that id). */
export interface Snapshot extends DistributionSnapshot {
  vpcOrigins: Record<string, VpcOriginState | null>;
}

export function vpcOriginIds(snapshot: Pick<Snapshot, "config">): string[] {
  const ids = (snapshot.config.Origins?.Items ?? [])
    .map((origin) => origin.VpcOriginConfig?.VpcOriginId)
    .filter((id): id is string => typeof id === "string" && id !== "");
  return [...new Set(ids)];
}

export async function readVpcOrigin(ctx: ControlContext, id: string): Promise<VpcOriginState | null> {
  try {
    const read = await ctx.clients.cloudfront().send(new GetVpcOriginCommand({ Id: id }));
    const endpoint = read.VpcOrigin?.VpcOriginEndpointConfig;
    if (!endpoint) return null;
    return { id, arn: read.VpcOrigin?.Arn ?? "", etag: read.ETag ?? "", endpoint };
  } catch (error) {
    if (errorName(error) === "EntityNotFound") return null;
    throw error;
  }
}

export async function collect(ctx: ControlContext, resource: string): Promise<Snapshot | null> {
  const distribution = await collectDistribution(ctx, resource);
  if (!distribution) return null;
  const vpcOrigins: Snapshot["vpcOrigins"] = {};
  for (const id of vpcOriginIds(distribution)) vpcOrigins[id] = await readVpcOrigin(ctx, id);
  return { ...distribution, vpcOrigins };
}

export const listResources = listDistributions;
