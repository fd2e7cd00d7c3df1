import { ruleNameMatches } from "../../lib/config-rules.js";
import { isApplicationArn, isListenerArn, isLoadBalancerArn } from "../elbv2/arns.js";
import type { ControlContext, Trigger } from "../types.js";
import { metadata } from "./metadata.js";
import { httpsListenersOf } from "./snapshot.js";

type Json = Record<string, unknown>;

function text(value: unknown, key: string): string | undefined {
  const v = value !== null && typeof value === "object" ? (value as Json)[key] : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

function list(value: unknown, key: string): unknown[] {
  const v = value !== null && typeof value === "object" ? (value as Json)[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** Listeners of application load balancers only: network and gateway listeners resolve to nothing. */
function applicationListeners(arns: (string | undefined)[]): string[] {
  return [...new Set(arns)].filter(
    (arn): arn is string => arn !== undefined && isListenerArn(arn) && isApplicationArn(arn),
  );
}

// CloudTrail writes request parameters and response elements in camelCase; it drops either half
// when it finds it too large, so each case falls back on the other.
async function fromCloudTrail(
  trigger: Extract<Trigger, { kind: "cloudtrail" }>,
  ctx: ControlContext,
): Promise<string[]> {
  if (trigger.eventSource !== metadata.triggers.cloudTrail.eventSource) return [];
  const request = trigger.requestParameters;
  const response = trigger.responseElements;
  const listed = list(response, "listeners").map((l) => text(l, "listenerArn"));
  switch (trigger.eventName) {
    case "CreateListener": {
      const created = applicationListeners(listed);
      if (created.length > 0) return created;
      const loadBalancerArn = text(request, "loadBalancerArn");
      return loadBalancerArn &&
        isLoadBalancerArn(loadBalancerArn) &&
        isApplicationArn(loadBalancerArn) &&
        text(request, "protocol") === "HTTPS"
        ? httpsListenersOf(ctx, loadBalancerArn)
        : [];
    }
    case "ModifyListener":
      return applicationListeners([text(request, "listenerArn") ?? listed[0]]);
    default:
      return [];
  }
}

export async function resolveTargets(trigger: Trigger, ctx: ControlContext): Promise<string[]> {
  switch (trigger.kind) {
    case "cloudtrail":
      return fromCloudTrail(trigger, ctx);
    case "config-item":
      if (trigger.resourceType !== metadata.resourceType) return [];
      return applicationListeners([[trigger.resourceId, trigger.arn].find((a) => a?.startsWith("arn:"))]);
    case "compliance":
      if (!ruleNameMatches(trigger.configRuleName, metadata.triggers.config.managedRules)) return [];
      return trigger.resourceType === metadata.resourceType ? applicationListeners([trigger.resourceId]) : [];
    default:
      return [];
  }
}
