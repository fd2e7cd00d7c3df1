import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ControlContext } from "../types.js";
import { regionOf } from "./arns.js";
import { isGone, loadBalancerOf, loadBalancersIn, mergedTags } from "./read.js";

/** What every load balancer control knows of the load balancer it judges: plain JSON. */
export interface LoadBalancerFacts {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  /** application | network | gateway */
  Type: string;
}

export interface LoadBalancerRead {
  region: string;
  client: ElasticLoadBalancingV2Client;
  loadBalancer: LoadBalancerFacts;
  tags: Record<string, string>;
}

/**
 * The load balancer and its tags, overlaid with the tags of `overlay` (a
 * listener's own); null when the load balancer no longer exists.
 */
export async function readLoadBalancer(
  ctx: ControlContext,
  arn: string,
  overlay: string[] = [],
): Promise<LoadBalancerRead | null> {
  const region = regionOf(arn) ?? ctx.region;
  const client = ctx.clients.elbv2(region);
  const found = await loadBalancerOf(client, arn);
  if (!found?.LoadBalancerArn) return null;
  let tags: Record<string, string>;
  try {
    tags = await mergedTags(client, [found.LoadBalancerArn, ...overlay]);
  } catch (error) {
    // Deleted between the two reads.
    if (isGone(error)) return null;
    throw error;
  }
  return {
    region,
    client,
    loadBalancer: {
      LoadBalancerArn: found.LoadBalancerArn,
      LoadBalancerName: found.LoadBalancerName ?? found.LoadBalancerArn,
      Type: found.Type ?? "",
    },
    tags,
  };
}

/** Every application load balancer of the context's region: what the load balancer controls sweep. */
export async function applicationLoadBalancers(ctx: ControlContext): Promise<string[]> {
  return (await loadBalancersIn(ctx))
    .filter((lb) => lb.Type === "application" && lb.LoadBalancerArn)
    .map((lb) => lb.LoadBalancerArn as string);
}

/** Why a load balancer that is not an application load balancer is out of a control's scope. */
export function notApplicationLoadBalancer(
  loadBalancer: LoadBalancerFacts,
  securityHubId: string,
): string | undefined {
  if (loadBalancer.Type === "application") return undefined;
  return `load balancer ${loadBalancer.LoadBalancerName} is a ${loadBalancer.Type || "load balancer of unknown type"}, not an application load balancer; this control (${securityHubId}) judges application load balancers only`;
}
