import {
  DescribeListenersCommand,
  DescribeSSLPoliciesCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { errorName } from "../../lib/errors.js";
import { regionOf } from "../elbv2/arns.js";
import {
  applicationLoadBalancers,
  type LoadBalancerFacts,
  readLoadBalancer,
} from "../elbv2/load-balancer.js";
import { elbv2For, isGone, listenersOf, plain } from "../elbv2/read.js";
import type { ControlContext } from "../types.js";

/** What the control knows about one listener: plain JSON, the fields it judges. */
export interface Snapshot {
  region: string;
  listener: {
    ListenerArn: string;
    LoadBalancerArn: string;
    Port: number | null;
    Protocol: string;
    SslPolicy: string | null;
  };
  loadBalancer: LoadBalancerFacts;
  /** The protocols of the listener's current policy as DescribeSSLPolicies lists them; null when it lists none. */
  policyProtocols: string[] | null;
  /** Load balancer tags overlaid with the listener's own tags. */
  tags: Record<string, string>;
}

/** The protocols of a predefined policy; null for a name ELB does not know (SSLPolicyNotFound). */
export async function policyProtocols(
  client: ElasticLoadBalancingV2Client,
  name: string,
): Promise<string[] | null> {
  try {
    const out = await client.send(new DescribeSSLPoliciesCommand({ Names: [name] }));
    return out.SslPolicies?.find((policy) => policy.Name === name)?.SslProtocols ?? null;
  } catch (error) {
    if (errorName(error) === "SSLPolicyNotFoundException") return null;
    throw error;
  }
}

export async function collect(ctx: ControlContext, listenerArn: string): Promise<Snapshot | null> {
  const client = elbv2For(ctx, listenerArn);
  try {
    const listener = (await client.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })))
      .Listeners?.[0];
    if (!listener?.LoadBalancerArn) return null;
    const read = await readLoadBalancer(ctx, listener.LoadBalancerArn, [listenerArn]);
    if (!read) return null;
    const judged =
      read.loadBalancer.Type === "application" && listener.Protocol === "HTTPS" && listener.SslPolicy;
    return plain<Snapshot>({
      region: regionOf(listenerArn) ?? ctx.region,
      listener: {
        ListenerArn: listener.ListenerArn ?? listenerArn,
        LoadBalancerArn: listener.LoadBalancerArn,
        Port: listener.Port ?? null,
        Protocol: listener.Protocol ?? "",
        SslPolicy: listener.SslPolicy ?? null,
      },
      loadBalancer: read.loadBalancer,
      policyProtocols: judged ? await policyProtocols(client, listener.SslPolicy as string) : null,
      tags: read.tags,
    });
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

/** HTTPS listeners of a load balancer; [] when it is gone. */
export async function httpsListenersOf(ctx: ControlContext, loadBalancerArn: string): Promise<string[]> {
  const listeners = (await listenersOf(elbv2For(ctx, loadBalancerArn), loadBalancerArn)) ?? [];
  return listeners.filter((l) => l.Protocol === "HTTPS" && l.ListenerArn).map((l) => l.ListenerArn as string);
}

/** Every HTTPS listener of every application load balancer in the context's region. */
export async function listResources(ctx: ControlContext): Promise<string[]> {
  const arns: string[] = [];
  for (const loadBalancerArn of await applicationLoadBalancers(ctx)) {
    arns.push(...(await httpsListenersOf(ctx, loadBalancerArn)));
  }
  return arns;
}
