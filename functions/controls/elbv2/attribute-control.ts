import {
  DescribeLoadBalancerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { MalformedInputError } from "../../lib/errors.js";
import type { Change, Control, ControlContext, ControlMetadata, Finding } from "../types.js";
import {
  applicationLoadBalancers,
  type LoadBalancerFacts,
  notApplicationLoadBalancer,
  readLoadBalancer,
} from "./load-balancer.js";
import { loadBalancerTargets } from "./load-balancer-targets.js";
import { elbv2For, isGone, plain } from "./read.js";

/**
 * A control that wants one boolean load balancer attribute on. Several such
 * controls judge the same load balancer, so each reads, plans and writes only
 * its own key: ModifyLoadBalancerAttributes changes exactly the keys it names,
 * and a fix that named another key could put back what a second control fixed.
 */
export interface AttributeControlSpec {
  metadata: ControlMetadata;
  /** The one attribute the control owns, e.g. `deletion_protection.enabled`. */
  key: string;
  /** What the attribute being on does (the compliant finding). */
  on: string;
  /**
   * What the attribute being off exposes and what turning it on does to
   * clients. The fix is automatic, so this finding is where on-call reads it.
   */
  off: string;
}

export interface AttributeSnapshot {
  region: string;
  loadBalancer: LoadBalancerFacts;
  /** The attribute as DescribeLoadBalancerAttributes shows it; null when not read (not an application load balancer). */
  value: string | null;
  tags: Record<string, string>;
}

type NoSettings = Record<string, never>;

export function attributeControl(spec: AttributeControlSpec): Control<AttributeSnapshot, NoSettings> {
  const { metadata, key } = spec;
  const securityHubId = metadata.securityHubIds[0] ?? metadata.id;

  async function collect(ctx: ControlContext, arn: string): Promise<AttributeSnapshot | null> {
    const read = await readLoadBalancer(ctx, arn);
    if (!read) return null;
    let value: string | null = null;
    if (read.loadBalancer.Type === "application") {
      try {
        const out = await read.client.send(
          new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
        );
        value = out.Attributes?.find((attribute) => attribute.Key === key)?.Value ?? "";
      } catch (error) {
        if (isGone(error)) return null;
        throw error;
      }
    }
    return plain({ region: read.region, loadBalancer: read.loadBalancer, value, tags: read.tags });
  }

  function detect(snapshot: AttributeSnapshot): Finding {
    const outside = notApplicationLoadBalancer(snapshot.loadBalancer, securityHubId);
    if (outside) return { status: "not-applicable", message: outside };
    const name = snapshot.loadBalancer.LoadBalancerName;
    if (snapshot.value === "true") {
      return { status: "compliant", message: `load balancer ${name} has ${key} "true": ${spec.on}` };
    }
    const shown = snapshot.value ? JSON.stringify(snapshot.value) : "not set";
    return { status: "non-compliant", message: `load balancer ${name} has ${key} ${shown}: ${spec.off}` };
  }

  function plan(snapshot: AttributeSnapshot): Change[] {
    return [
      {
        service: "elbv2",
        action: "ModifyLoadBalancerAttributes",
        input: {
          LoadBalancerArn: snapshot.loadBalancer.LoadBalancerArn,
          Attributes: [{ Key: key, Value: "true" }],
        },
      },
    ];
  }

  /** Only this control's own call: one key, on this load balancer. */
  function ownValue(resource: string, change: Change): string | undefined {
    const { LoadBalancerArn, Attributes } = change.input as {
      LoadBalancerArn?: unknown;
      Attributes?: unknown;
    };
    if (change.action !== "ModifyLoadBalancerAttributes" || LoadBalancerArn !== resource) return undefined;
    if (!Array.isArray(Attributes) || Attributes.length !== 1) return undefined;
    const [attribute] = Attributes as { Key?: unknown; Value?: unknown }[];
    return attribute?.Key === key && typeof attribute.Value === "string" ? attribute.Value : undefined;
  }

  async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change> {
    const value = ownValue(resource, change);
    if (value === undefined) {
      throw new MalformedInputError(
        `${change.action} ${JSON.stringify(change.input)} is not ${metadata.id}'s fix of load balancer ${resource} (only ${key} on it); nothing was changed`,
        resource,
      );
    }
    const input = { LoadBalancerArn: resource, Attributes: [{ Key: key, Value: value }] };
    await elbv2For(ctx, resource).send(new ModifyLoadBalancerAttributesCommand(input));
    return { service: "elbv2", action: "ModifyLoadBalancerAttributes", input };
  }

  return {
    metadata,
    resolveTargets: loadBalancerTargets(metadata),
    listResources: applicationLoadBalancers,
    collect,
    detect,
    ownedState: (snapshot) => ({ key, value: snapshot.value }),
    plan,
    // Turning the attribute on never takes traffic down; its finding says what clients notice.
    assessRisk: async (_snapshot, changes) => changes.map(() => ({ level: "automatic", reasons: [] })),
    inEffect: (snapshot, change) =>
      snapshot.value === ownValue(snapshot.loadBalancer.LoadBalancerArn, change),
    execute,
    tags: (snapshot) => ({ ...snapshot.tags }),
  };
}
