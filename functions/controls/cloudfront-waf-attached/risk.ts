import { type DistributionSnapshot, viewerHosts } from "../cloudfront/distribution.js";
import type { Change, RiskAssessment } from "../types.js";
import { plannedWebAcl } from "./planner.js";

/** Every viewer request then passes the web ACL's rules, so a rule that misfires blocks real viewers: on-call decides. */
export function assessRisk(snapshot: DistributionSnapshot, changes: Change[]): RiskAssessment[] {
  const where = viewerHosts(snapshot).join(", ");
  return changes.map((change) => ({
    level: "approval",
    reasons: [
      `attaching web ACL ${plannedWebAcl(change) ?? "?"} puts every viewer request to ${where} through its rules: ` +
        "a request a rule blocks gets 403 Forbidden (or the rule's custom response) instead of the page",
      "legitimate traffic a rule can misjudge: rate limits hit by busy offices behind one NAT or by API clients, " +
        "managed rule groups flagging large request bodies, SQL- or script-like query strings and uploads, " +
        "bot rules blocking monitoring, crawlers and partners' servers, IP reputation lists catching VPN users",
    ],
  }));
}
