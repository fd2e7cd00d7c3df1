import type { RiskAssessment } from "../types.js";
import { analyse } from "./detector.js";
import type { Plan } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Redirecting is safe only when there is an HTTPS listener to land on, and only
 * when nobody routed plain HTTP somewhere on purpose: otherwise on-call decides.
 */
export function assessRisk(snapshot: Snapshot, plan: Plan): RiskAssessment {
  const reasons: string[] = [];
  if (snapshot.httpsListeners.length === 0) {
    reasons.push(
      `the redirect would take the site down: load balancer ${snapshot.loadBalancer.LoadBalancerName} has no HTTPS listener`,
    );
  }
  const offences = new Map(analyse(snapshot).ruleOffences.map((r) => [r.ruleArn, r]));
  for (const rule of plan.modifyRules) {
    const offence = offences.get(rule.RuleArn);
    const priority =
      offence?.priority ?? snapshot.rules.find((r) => r.RuleArn === rule.RuleArn)?.Priority ?? "?";
    const what = offence?.type === "redirect" ? "redirects plain HTTP to HTTP" : "forwards plain HTTP";
    reasons.push(`rule ${rule.RuleArn} (priority ${priority}) ${what} on purpose?`);
  }
  return reasons.length === 0 ? { level: "automatic", reasons: [] } : { level: "approval", reasons };
}
