/**
 * ELBv2 ARNs carry everything target resolution needs (region, load balancer
 * type, and for rules the listener they belong to), so events whose payloads
 * are partial can still be mapped without a call.
 */

const ELB_ARN =
  /^arn:[^:]+:elasticloadbalancing:([^:]*):[^:]*:(loadbalancer|listener|listener-rule)\/(app|net|gwy)\//;
const LISTENER_ARN = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener\/(app\/[^/]+\/[^/]+)\/[^/]+$/;
const RULE_ARN =
  /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener-rule\/(app\/[^/]+\/[^/]+\/[^/]+)\/[^/]+$/;

/** The region an ELBv2 ARN lives in, or undefined when the string is not one. */
export function regionOf(arn: string): string | undefined {
  const region = ELB_ARN.exec(arn)?.[1];
  return region ? region : undefined;
}

/** Application load balancers (and their listeners and rules) have `/app/` after the resource kind. */
export function isApplicationArn(arn: string): boolean {
  return ELB_ARN.exec(arn)?.[3] === "app";
}

export function isListenerArn(arn: string): boolean {
  return ELB_ARN.exec(arn)?.[2] === "listener";
}

export function isLoadBalancerArn(arn: string): boolean {
  return ELB_ARN.exec(arn)?.[2] === "loadbalancer";
}

/** `...:listener-rule/app/<lb>/<lb-id>/<listener-id>/<rule-id>` -> `...:listener/app/<lb>/<lb-id>/<listener-id>`. */
export function listenerOfRule(ruleArn: string): string | undefined {
  const match = RULE_ARN.exec(ruleArn);
  return match ? `${match[1]}listener/${match[2]}` : undefined;
}

/** `...:listener/app/<lb>/<lb-id>/<listener-id>` -> `...:loadbalancer/app/<lb>/<lb-id>`. */
export function loadBalancerOfListener(listenerArn: string): string | undefined {
  const match = LISTENER_ARN.exec(listenerArn);
  return match ? `${match[1]}loadbalancer/${match[2]}` : undefined;
}
