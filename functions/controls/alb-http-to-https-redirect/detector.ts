import type { Action, RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Finding } from "../types.js";
import type { Snapshot } from "./snapshot.js";

const ACME_PREFIX = "/.well-known/acme-challenge/";

/** Why a set of actions lets plain HTTP through (or, for the default action, fails to redirect). */
export interface Offence {
  /** Type of the terminal action ("forward", "redirect", "fixed-response", ...), or "none". */
  type: string;
  /** Human description, e.g. `"forward" sends plain HTTP to target group arn:...`. */
  description: string;
}

export interface RuleOffence extends Offence {
  ruleArn: string;
  priority: string;
}

export interface Analysis {
  /** Why the listener is out of scope, when it is. */
  notApplicable: string | null;
  defaultOffence: Offence | null;
  ruleOffences: RuleOffence[];
  /** Rules that only answer ACME HTTP-01 challenges: allowed to serve plain HTTP. */
  acmeRules: string[];
}

/** Actions in execution order (lowest Order first; AWS keeps listed order for ties). */
function orderedActions(actions: Action[]): Action[] {
  return actions
    .map((action, index) => ({ action, index }))
    .sort(
      (a, b) =>
        (a.action.Order ?? Number.MAX_SAFE_INTEGER) - (b.action.Order ?? Number.MAX_SAFE_INTEGER) ||
        a.index - b.index,
    )
    .map((x) => x.action);
}

/**
 * The action that decides where a request goes: authenticate-* and jwt-validation
 * run first, so the last one is forward, redirect or fixed-response.
 */
export function terminalAction(actions: Action[]): Action | undefined {
  return orderedActions(actions).at(-1);
}

/** RedirectConfig.Protocol defaults to "#{protocol}", which on an HTTP listener stays HTTP. */
function redirectProtocol(action: Action): string {
  return action.RedirectConfig?.Protocol ?? "#{protocol}";
}

export function isHttpsRedirect(action: Action | undefined): boolean {
  return action?.Type === "redirect" && redirectProtocol(action).toUpperCase() === "HTTPS";
}

function targetGroups(action: Action): string[] {
  const groups = [
    action.TargetGroupArn,
    ...(action.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn),
  ].filter((arn): arn is string => Boolean(arn));
  return [...new Set(groups)];
}

function describeForward(action: Action): string {
  const groups = targetGroups(action);
  if (groups.length === 0) return `"forward" sends plain HTTP to its targets`;
  return `"forward" sends plain HTTP to target group${groups.length > 1 ? "s" : ""} ${groups.join(", ")}`;
}

function describeHttpRedirect(action: Action): string {
  const protocol = redirectProtocol(action);
  return protocol === "#{protocol}"
    ? `"redirect" keeps plain HTTP (Protocol "#{protocol}" is HTTP on an HTTP listener)`
    : `"redirect" sends visitors to ${protocol}, not HTTPS`;
}

/** The default action must redirect to HTTPS: anything else is an offence. */
function defaultOffence(actions: Action[]): Offence | null {
  const terminal = terminalAction(actions);
  if (isHttpsRedirect(terminal)) return null;
  if (!terminal?.Type) return { type: "none", description: "has no action that redirects to HTTPS" };
  switch (terminal.Type) {
    case "forward":
      return { type: "forward", description: describeForward(terminal) };
    case "redirect":
      return { type: "redirect", description: describeHttpRedirect(terminal) };
    case "fixed-response": {
      const status = terminal.FixedResponseConfig?.StatusCode;
      return {
        type: "fixed-response",
        description: `"fixed-response"${status ? ` (${status})` : ""} answers over plain HTTP instead of redirecting to HTTPS`,
      };
    }
    default:
      return { type: terminal.Type, description: `"${terminal.Type}" does not redirect to HTTPS` };
  }
}

/** Non-default rules may answer (fixed-response); they offend only when they carry plain HTTP onwards. */
function ruleOffence(actions: Action[]): Offence | null {
  const terminal = terminalAction(actions);
  if (terminal?.Type === "forward") return { type: "forward", description: describeForward(terminal) };
  if (terminal?.Type === "redirect" && !isHttpsRedirect(terminal)) {
    return { type: "redirect", description: describeHttpRedirect(terminal) };
  }
  return null;
}

function pathPatterns(condition: RuleCondition): string[] {
  // AWS returns the legacy Values alongside PathPatternConfig.Values; either may be set alone.
  return [...(condition.PathPatternConfig?.Values ?? []), ...(condition.Values ?? [])];
}

/**
 * Conditions are ANDed, so one path-pattern condition whose every value lies under
 * the ACME challenge path is enough to confine the rule to HTTP-01 challenges.
 * Regex path conditions cannot be proven confined, so they never qualify.
 */
export function isAcmeOnly(conditions: RuleCondition[]): boolean {
  return conditions.some((condition) => {
    if (condition.Field !== "path-pattern") return false;
    if ((condition.PathPatternConfig?.RegexValues ?? []).length > 0) return false;
    const values = pathPatterns(condition);
    return values.length > 0 && values.every((v) => v.startsWith(ACME_PREFIX));
  });
}

export function analyse(snapshot: Snapshot): Analysis {
  const { listener, loadBalancer } = snapshot;
  if (loadBalancer.Type !== "application") {
    return {
      notApplicable: `listener ${listener.ListenerArn} belongs to ${loadBalancer.Type || "unknown"} load balancer ${loadBalancer.LoadBalancerName}; ELB.1 covers application load balancers only`,
      defaultOffence: null,
      ruleOffences: [],
      acmeRules: [],
    };
  }
  if (listener.Protocol !== "HTTP") {
    return {
      notApplicable: `listener ${listener.ListenerArn} (port ${listener.Port ?? "unknown"}) uses ${listener.Protocol || "an unknown protocol"}, not HTTP; only HTTP listeners need a redirect to HTTPS`,
      defaultOffence: null,
      ruleOffences: [],
      acmeRules: [],
    };
  }
  const ruleOffences: RuleOffence[] = [];
  const acmeRules: string[] = [];
  for (const rule of sortedRules(snapshot.rules)) {
    const offence = ruleOffence(rule.Actions);
    if (!offence) continue;
    if (isAcmeOnly(rule.Conditions)) {
      acmeRules.push(rule.RuleArn);
      continue;
    }
    ruleOffences.push({ ...offence, ruleArn: rule.RuleArn, priority: rule.Priority });
  }
  return {
    notApplicable: null,
    defaultOffence: defaultOffence(listener.DefaultActions),
    ruleOffences,
    acmeRules,
  };
}

function sortedRules<T extends { Priority: string }>(rules: T[]): T[] {
  return [...rules].sort(
    (a, b) => Number(a.Priority) - Number(b.Priority) || a.Priority.localeCompare(b.Priority),
  );
}

export function detect(snapshot: Snapshot): Finding {
  const analysis = analyse(snapshot);
  if (analysis.notApplicable) return { status: "not-applicable", message: analysis.notApplicable };
  const { listener, loadBalancer } = snapshot;
  const subject = `HTTP listener ${listener.ListenerArn} (port ${listener.Port ?? "unknown"}) of load balancer ${loadBalancer.LoadBalancerName}`;
  const offences = [
    ...(analysis.defaultOffence ? [`default action ${analysis.defaultOffence.description}`] : []),
    ...analysis.ruleOffences.map((r) => `rule ${r.ruleArn} (priority ${r.priority}) ${r.description}`),
  ];
  if (offences.length > 0) {
    return { status: "non-compliant", message: `${subject} serves plain HTTP: ${offences.join("; ")}` };
  }
  const acme =
    analysis.acmeRules.length > 0
      ? `; ACME HTTP-01 challenge rule${analysis.acmeRules.length > 1 ? "s" : ""} ${analysis.acmeRules.join(", ")} accepted`
      : "";
  return {
    status: "compliant",
    message: `${subject} redirects to HTTPS and no rule serves plain HTTP${acme}`,
  };
}

/** Recursively sorted keys with undefined dropped, so equal state always serialises the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The drift this control owns: where HTTP traffic goes and whether HTTPS exists to
 * send it to. Rules are identified by priority, not ARN: the same routing is the same drift.
 */
export function ownedState(snapshot: Snapshot): unknown {
  return canonical({
    defaultActions: orderedActions(snapshot.listener.DefaultActions),
    rules: sortedRules(snapshot.rules).map((rule) => ({
      priority: rule.Priority,
      conditions: rule.Conditions,
      actions: orderedActions(rule.Actions),
    })),
    hasHttpsListener: snapshot.httpsListeners.length > 0,
  });
}
