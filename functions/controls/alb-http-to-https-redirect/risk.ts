import type { Change, RiskAssessment } from "../types.js";
import { analyse } from "./detector.js";
import { httpsPortOf } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

const automatic: RiskAssessment = { level: "automatic", reasons: [] };

/**
 * Redirecting the default action is safe only when there is an HTTPS listener
 * to land on. A rule that routes plain HTTP was perhaps set up on purpose, so
 * each rule's fix waits for on-call; the default action's fix does not wait
 * for them (a decoy rule must not keep the whole site on plain HTTP).
 */
export function assessRisk(snapshot: Snapshot, changes: Change[]): RiskAssessment[] {
  const shared = sharedReasons(snapshot);
  const offences = new Map(analyse(snapshot).ruleOffences.map((r) => [r.ruleArn, r]));
  return changes.map((change) => {
    if (change.action === "ModifyListener") {
      return shared.length === 0 ? automatic : { level: "approval", reasons: shared };
    }
    const ruleArn = String(change.input.RuleArn ?? "");
    const offence = offences.get(ruleArn);
    const priority = offence?.priority ?? snapshot.rules.find((r) => r.RuleArn === ruleArn)?.Priority ?? "?";
    const what = offence?.type === "redirect" ? "redirects plain HTTP to HTTP" : "forwards plain HTTP";
    return {
      level: "approval",
      reasons: [`rule ${ruleArn} (priority ${priority}) ${what} on purpose?`, ...shared],
    };
  });
}

/** Why any redirect on this load balancer could break traffic. */
function sharedReasons(snapshot: Snapshot): string[] {
  const name = snapshot.loadBalancer.LoadBalancerName;
  if (snapshot.httpsListeners.length > 0) return [];
  const reasons = [`the redirect would take the site down: load balancer ${name} has no HTTPS listener`];
  // With no HTTPS listener the redirect points at 443; if a plain HTTP listener holds that port,
  // browsers sent there start a TLS handshake with a listener that speaks no TLS: it cannot work.
  const port = httpsPortOf(snapshot);
  const holder = snapshot.otherListeners?.find((l) => String(l.Port) === port);
  if (holder) {
    reasons.push(
      `the proposed redirect cannot work: port ${port} of ${name} is taken by the ${holder.Protocol} listener ${holder.ListenerArn}, which does not speak TLS`,
    );
  }
  return reasons;
}
