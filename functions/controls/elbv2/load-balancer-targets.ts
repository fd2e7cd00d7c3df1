import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ruleNameMatches } from "../../lib/config-rules.js";
import { cloudTrailTriggers } from "../cloud-trail.js";
import type { ControlContext, ControlMetadata, Trigger } from "../types.js";
import { isApplicationArn, isLoadBalancerArn } from "./arns.js";
import { isGone } from "./read.js";

export const LOAD_BALANCER_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer";

type Json = Record<string, unknown>;

function text(value: unknown, key: string): string | undefined {
  const v = value !== null && typeof value === "object" ? (value as Json)[key] : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

function list(value: unknown, key: string): unknown[] {
  const v = value !== null && typeof value === "object" ? (value as Json)[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** Only application load balancers are in scope; anything else (an NLB, a listener, junk) resolves to nothing. */
function applicationLoadBalancers(arns: (string | undefined)[]): string[] {
  return [...new Set(arns)].filter(
    (arn): arn is string => arn !== undefined && isLoadBalancerArn(arn) && isApplicationArn(arn),
  );
}

/** CloudTrail may drop a large response; the request still names the load balancer it created. */
async function byName(ctx: ControlContext, name: string): Promise<string[]> {
  try {
    const out = await ctx.clients.elbv2(ctx.region).send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return applicationLoadBalancers((out.LoadBalancers ?? []).map((lb) => lb.LoadBalancerArn));
  } catch (error) {
    // Deleted again before the event arrived: nothing left to judge.
    if (isGone(error)) return [];
    throw error;
  }
}

// CloudTrail writes request parameters and response elements in camelCase.
async function fromCloudTrail(
  trigger: Extract<Trigger, { kind: "cloudtrail" }>,
  ctx: ControlContext,
): Promise<string[]> {
  const request = trigger.requestParameters;
  const response = trigger.responseElements;
  switch (trigger.eventName) {
    case "CreateLoadBalancer": {
      const created = applicationLoadBalancers(
        list(response, "loadBalancers").map((lb) => text(lb, "loadBalancerArn")),
      );
      if (created.length > 0) return created;
      const name = text(request, "name");
      // The API creates an application load balancer unless told otherwise.
      const type = text(request, "type") ?? "application";
      return name && type === "application" ? byName(ctx, name) : [];
    }
    case "ModifyLoadBalancerAttributes":
      return applicationLoadBalancers([text(request, "loadBalancerArn")]);
    // WAF's calls name the protected resource; only load balancers concern these controls.
    case "AssociateWebACL":
    case "DisassociateWebACL":
      return applicationLoadBalancers([text(request, "resourceArn")]);
    default:
      return [];
  }
}

/**
 * Target resolution shared by the controls that judge a whole application
 * load balancer (attributes, WAF): which load balancer an event is about.
 * An event is only read for the calls the control's own metadata lists.
 */
export function loadBalancerTargets(metadata: ControlMetadata) {
  const listens = (trigger: Extract<Trigger, { kind: "cloudtrail" }>) =>
    cloudTrailTriggers(metadata).some(
      (trail) => trail.eventSource === trigger.eventSource && trail.eventNames.includes(trigger.eventName),
    );
  return async (trigger: Trigger, ctx: ControlContext): Promise<string[]> => {
    switch (trigger.kind) {
      case "cloudtrail":
        return listens(trigger) ? fromCloudTrail(trigger, ctx) : [];
      case "config-item": {
        if (trigger.resourceType !== LOAD_BALANCER_TYPE) return [];
        // Config names an ELBv2 load balancer by its ARN.
        return applicationLoadBalancers([
          [trigger.resourceId, trigger.arn].find((a) => a?.startsWith("arn:")),
        ]);
      }
      case "compliance":
        if (!ruleNameMatches(trigger.configRuleName, metadata.triggers.config.managedRules)) return [];
        if (trigger.resourceType !== LOAD_BALANCER_TYPE) return [];
        return applicationLoadBalancers([trigger.resourceId]);
      default:
        return [];
    }
  };
}
