import { ruleNameMatches } from "../../lib/config-rules.js";
import {
  isApplicationArn,
  isListenerArn,
  isLoadBalancerArn,
  listenerOfRule,
  loadBalancerOfListener,
  regionOf,
} from "../elbv2/arns.js";
import { elbv2For } from "../elbv2/read.js";
import type { ControlContext, Trigger } from "../types.js";
import { metadata } from "./metadata.js";
import { httpListenerArnsOf } from "./snapshot.js";

const LISTENER_TYPE = metadata.resourceType;
const LOAD_BALANCER_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer";

type Json = Record<string, unknown>;

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Json)[key] : undefined;
}

function text(value: unknown, key: string): string | undefined {
  const v = field(value, key);
  return typeof v === "string" && v !== "" ? v : undefined;
}

function list(value: unknown, key: string): unknown[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : [];
}

function distinct(arns: (string | undefined)[]): string[] {
  return [...new Set(arns.filter((a): a is string => a !== undefined))];
}

/** Only application load balancers are in scope; network/gateway ARNs resolve to nothing. */
function applicationListeners(arns: (string | undefined)[]): string[] {
  return distinct(arns).filter((arn) => isListenerArn(arn) && isApplicationArn(arn));
}

/** The listeners of the rules a response lists (`{ rules: [{ ruleArn }] }`). */
function listenerOfRules(response: unknown): (string | undefined)[] {
  return list(response, "rules").map((r) => {
    const ruleArn = text(r, "ruleArn");
    return ruleArn ? listenerOfRule(ruleArn) : undefined;
  });
}

async function httpListenersOfLoadBalancer(ctx: ControlContext, loadBalancerArn: string): Promise<string[]> {
  if (!isLoadBalancerArn(loadBalancerArn) || !isApplicationArn(loadBalancerArn)) return [];
  return httpListenerArnsOf(elbv2For(ctx, loadBalancerArn), loadBalancerArn);
}

// CloudTrail writes request parameters and response elements in camelCase.
async function fromCloudTrail(
  trigger: Extract<Trigger, { kind: "cloudtrail" }>,
  ctx: ControlContext,
): Promise<string[]> {
  if (trigger.eventSource !== metadata.triggers.cloudTrail.eventSource) return [];
  const request = trigger.requestParameters;
  const response = trigger.responseElements;
  switch (trigger.eventName) {
    case "CreateListener": {
      const listeners = list(response, "listeners");
      // Large responses can be dropped from the record; the request still names the load balancer.
      const loadBalancerArn = text(request, "loadBalancerArn") ?? text(listeners[0], "loadBalancerArn");
      const protocol = text(request, "protocol") ?? text(listeners[0], "protocol");
      // A new HTTPS listener is what makes the redirect of the load balancer's HTTP listeners safe:
      // a fix that waited for on-call (no HTTPS to send visitors to) can now be made at once.
      if (protocol === "HTTPS")
        return loadBalancerArn ? httpListenersOfLoadBalancer(ctx, loadBalancerArn) : [];
      const created = applicationListeners(listeners.map((l) => text(l, "listenerArn")));
      if (created.length > 0) return created;
      return loadBalancerArn && protocol === "HTTP" ? httpListenersOfLoadBalancer(ctx, loadBalancerArn) : [];
    }
    // Each case falls back on the other half of the record: CloudTrail drops request parameters
    // or response elements it finds too large, and the other half still names the resource.
    case "ModifyListener": {
      const listenerArn = text(request, "listenerArn") ?? text(list(response, "listeners")[0], "listenerArn");
      const modified = applicationListeners([listenerArn]);
      // Turned into an HTTPS listener: like a created one, it makes the other HTTP listeners' redirect safe.
      const loadBalancerArn = listenerArn ? loadBalancerOfListener(listenerArn) : undefined;
      if (!request || text(request, "protocol") !== "HTTPS" || !loadBalancerArn) return modified;
      return distinct([...modified, ...(await httpListenersOfLoadBalancer(ctx, loadBalancerArn))]);
    }
    case "CreateRule":
      return applicationListeners([text(request, "listenerArn") ?? listenerOfRules(response)[0]]);
    case "ModifyRule":
    case "DeleteRule": {
      const ruleArn = text(request, "ruleArn");
      return applicationListeners(ruleArn ? [listenerOfRule(ruleArn)] : listenerOfRules(response));
    }
    case "SetRulePriorities": {
      const requested = list(request, "rulePriorities").map((p) => {
        const ruleArn = text(p, "ruleArn");
        return ruleArn ? listenerOfRule(ruleArn) : undefined;
      });
      // A reorder can span listeners: every listener named in the request is re-checked.
      return applicationListeners(requested.length > 0 ? requested : listenerOfRules(response));
    }
    default:
      return [];
  }
}

export async function resolveTargets(trigger: Trigger, ctx: ControlContext): Promise<string[]> {
  switch (trigger.kind) {
    case "cloudtrail":
      return fromCloudTrail(trigger, ctx);
    case "config-item": {
      if (trigger.resourceType !== LISTENER_TYPE) return [];
      const arn = [trigger.resourceId, trigger.arn].find((a) => a?.startsWith("arn:"));
      return applicationListeners([arn]);
    }
    case "compliance": {
      if (!ruleNameMatches(trigger.configRuleName, metadata.triggers.config.managedRules)) return [];
      // The managed rule evaluates load balancers; listeners are what this control judges.
      if (trigger.resourceType === LOAD_BALANCER_TYPE) {
        return httpListenersOfLoadBalancer(
          { ...ctx, region: regionOf(trigger.resourceId) ?? trigger.region },
          trigger.resourceId,
        );
      }
      if (trigger.resourceType === LISTENER_TYPE) return applicationListeners([trigger.resourceId]);
      return [];
    }
    default:
      return [];
  }
}
