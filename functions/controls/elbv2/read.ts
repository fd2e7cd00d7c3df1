import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { errorName } from "../../lib/errors.js";
import type { ControlContext } from "../types.js";
import { regionOf } from "./arns.js";

/**
 * The ELBv2 reads every load balancer control shares: the client of the
 * resource's region, paging, and the "it vanished meanwhile" answer, which is
 * a normal race between an event and the read, not a failure.
 */

const GONE = new Set(["ListenerNotFoundException", "LoadBalancerNotFoundException"]);

export function isGone(error: unknown): boolean {
  return GONE.has(errorName(error) ?? "");
}

/** Plain JSON: snapshots travel between Step Functions states, so no Dates or SDK metadata. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/** Follows Marker/NextMarker until the last page; every ELBv2 Describe* list pages this way. */
export async function allPages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const result = await page(marker);
    items.push(...(result.items ?? []));
    marker = result.next;
  } while (marker);
  return items;
}

export function elbv2For(ctx: ControlContext, arn: string): ElasticLoadBalancingV2Client {
  return ctx.clients.elbv2(regionOf(arn) ?? ctx.region);
}

/** Every listener of a load balancer; null when the load balancer no longer exists. */
export async function listenersOf(
  client: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
): Promise<Listener[] | null> {
  try {
    return await allPages(async (Marker) => {
      const out = await client.send(
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker }),
      );
      return { items: out.Listeners, next: out.NextMarker };
    });
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

/** One load balancer; undefined when it no longer exists. */
export async function loadBalancerOf(
  client: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
): Promise<LoadBalancer | undefined> {
  try {
    const out = await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }));
    return out.LoadBalancers?.[0];
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** Every load balancer of the context's region. */
export async function loadBalancersIn(ctx: ControlContext): Promise<LoadBalancer[]> {
  const client = ctx.clients.elbv2(ctx.region);
  return allPages(async (Marker) => {
    const out = await client.send(new DescribeLoadBalancersCommand({ Marker }));
    return { items: out.LoadBalancers, next: out.NextMarker };
  });
}

/**
 * The tags of the given resources merged in order, later ones winning: a
 * listener's own tags override its load balancer's, so scope, exemptions and
 * ownership read the same tags for every control of the same listener.
 */
export async function mergedTags(
  client: ElasticLoadBalancingV2Client,
  arns: string[],
): Promise<Record<string, string>> {
  const out = await client.send(new DescribeTagsCommand({ ResourceArns: arns }));
  const tags: Record<string, string> = {};
  for (const arn of arns) {
    for (const tag of out.TagDescriptions?.find((d) => d.ResourceArn === arn)?.Tags ?? []) {
      if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
    }
  }
  return tags;
}
