import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
  type RuleCondition,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { regionOf } from "../elbv2/arns.js";
import { allPages, isGone, listenersOf, plain } from "../elbv2/read.js";
import type { ControlContext } from "../types.js";

/**
 * What the control knows about one listener. Plain JSON on purpose: it travels
 * between Step Functions states, so only the fields the control judges are kept
 * (no Dates, no SDK metadata).
 */
export interface Snapshot {
  region: string;
  listener: {
    ListenerArn: string;
    LoadBalancerArn: string;
    Port: number | null;
    Protocol: string;
    DefaultActions: Action[];
  };
  loadBalancer: {
    LoadBalancerArn: string;
    LoadBalancerName: string;
    /** application | network | gateway */
    Type: string;
  };
  /** HTTPS listeners of the same load balancer: where the redirect can send visitors. */
  httpsListeners: { ListenerArn: string; Port: number }[];
  /** The load balancer's other non-HTTPS listeners: a redirect to a port one of them holds cannot work. */
  otherListeners?: { ListenerArn: string; Port: number; Protocol: string }[];
  /** Non-default rules of the listener (empty when the listener is out of scope). */
  rules: { RuleArn: string; Priority: string; Conditions: RuleCondition[]; Actions: Action[] }[];
  /** Load balancer tags overlaid with the listener's own tags. */
  tags: Record<string, string>;
}

/** HTTP listeners of a load balancer (the ones in scope when it is an application LB); [] when it is gone. */
export async function httpListenerArnsOf(
  client: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
): Promise<string[]> {
  const listeners = (await listenersOf(client, loadBalancerArn)) ?? [];
  return listeners.filter((l) => l.Protocol === "HTTP" && l.ListenerArn).map((l) => l.ListenerArn as string);
}

export async function collect(ctx: ControlContext, listenerArn: string): Promise<Snapshot | null> {
  const region = regionOf(listenerArn) ?? ctx.region;
  const client = ctx.clients.elbv2(region);
  try {
    const listener = (await client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })))
      .Listeners?.[0];
    if (!listener?.LoadBalancerArn) return null;
    const loadBalancerArn = listener.LoadBalancerArn;
    const loadBalancer = (
      await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }))
    ).LoadBalancers?.[0];
    if (!loadBalancer) return null;

    const isApplication = loadBalancer.Type === "application";
    const inScope = isApplication && listener.Protocol === "HTTP";
    const [siblings, rules, tagDescriptions] = await Promise.all([
      isApplication ? listenersOf(client, loadBalancerArn) : Promise.resolve([]),
      // Rules are read only for listeners the control judges: network and gateway
      // listeners have none, and HTTPS listeners are not-applicable anyway.
      inScope
        ? allPages(async (Marker) => {
            const out = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker }));
            return { items: out.Rules, next: out.NextMarker };
          })
        : Promise.resolve([]),
      client.send(new DescribeTagsCommand({ ResourceArns: [loadBalancerArn, listenerArn] })),
    ]);
    if (siblings === null) return null;

    const tagsOf = (arn: string) =>
      tagDescriptions.TagDescriptions?.find((d) => d.ResourceArn === arn)?.Tags ?? [];
    const tags: Record<string, string> = {};
    // Listener tags are applied last so they win over the load balancer's.
    for (const tag of [...tagsOf(loadBalancerArn), ...tagsOf(listenerArn)]) {
      if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
    }

    return plain<Snapshot>({
      region,
      listener: {
        ListenerArn: listener.ListenerArn ?? listenerArn,
        LoadBalancerArn: loadBalancerArn,
        Port: listener.Port ?? null,
        Protocol: listener.Protocol ?? "",
        DefaultActions: listener.DefaultActions ?? [],
      },
      loadBalancer: {
        LoadBalancerArn: loadBalancerArn,
        LoadBalancerName: loadBalancer.LoadBalancerName ?? loadBalancerArn,
        Type: loadBalancer.Type ?? "",
      },
      httpsListeners: siblings
        .filter((l) => l.Protocol === "HTTPS" && l.ListenerArn && l.Port !== undefined)
        .map((l) => ({ ListenerArn: l.ListenerArn as string, Port: l.Port as number }))
        .sort((a, b) => a.Port - b.Port),
      otherListeners: siblings
        .filter(
          (l) =>
            l.Protocol !== "HTTPS" && l.ListenerArn && l.ListenerArn !== listenerArn && l.Port !== undefined,
        )
        .map((l) => ({
          ListenerArn: l.ListenerArn as string,
          Port: l.Port as number,
          Protocol: l.Protocol ?? "",
        }))
        .sort((a, b) => a.Port - b.Port),
      rules: rules
        .filter((r) => !r.IsDefault && r.RuleArn)
        .map((r) => ({
          RuleArn: r.RuleArn as string,
          Priority: r.Priority ?? "",
          Conditions: r.Conditions ?? [],
          Actions: r.Actions ?? [],
        })),
      tags,
    });
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

/** Every HTTP listener of every application load balancer in the context's region. */
export async function listResources(ctx: ControlContext): Promise<string[]> {
  const client = ctx.clients.elbv2(ctx.region);
  const loadBalancers = await allPages(async (Marker) => {
    const out = await client.send(new DescribeLoadBalancersCommand({ Marker }));
    return { items: out.LoadBalancers, next: out.NextMarker };
  });
  const arns: string[] = [];
  for (const lb of loadBalancers) {
    if (lb.Type !== "application" || !lb.LoadBalancerArn) continue;
    arns.push(...(await httpListenerArnsOf(client, lb.LoadBalancerArn)));
  }
  return arns;
}

export function tags(snapshot: Snapshot): Record<string, string> {
  return { ...snapshot.tags };
}
