import type { Change, RiskAssessment } from "../types.js";
import { plannedWebAcl } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Always on-call's decision: a web ACL's rules judge every request from the
 * moment it is associated, and nothing in the load balancer tells whether
 * they were tuned for this application.
 */
export function assessRisk(snapshot: Snapshot, changes: Change[]): RiskAssessment[] {
  const name = snapshot.loadBalancer.LoadBalancerName;
  return changes.map((change) => {
    const webAcl = plannedWebAcl(snapshot.loadBalancer.LoadBalancerArn, change);
    if (!webAcl) {
      return { level: "blocked", reasons: [`${change.action} is not a web ACL association of ${name}`] };
    }
    return {
      level: "approval",
      reasons: [
        `a WAF can block legitimate traffic: from the moment ${webAcl} is associated, every request to load balancer ${name} is judged by its rules, and the requests they block (false positives of managed rule groups, rate limits, geographic or IP rules written for another application) get 403 Forbidden instead of reaching the targets`,
      ],
    };
  });
}
