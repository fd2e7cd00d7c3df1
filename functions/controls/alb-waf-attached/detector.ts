import { notApplicationLoadBalancer } from "../elbv2/load-balancer.js";
import type { Finding } from "../types.js";
import { metadata, type Settings } from "./metadata.js";
import type { Snapshot } from "./snapshot.js";

export function detect(snapshot: Snapshot, settings: Settings): Finding {
  const outside = notApplicationLoadBalancer(snapshot.loadBalancer, "ELB.16");
  if (outside) return { status: "not-applicable", message: outside };
  const name = snapshot.loadBalancer.LoadBalancerName;
  if (snapshot.webAcl) {
    return {
      status: "compliant",
      message: `load balancer ${name} is protected by WAF web ACL ${snapshot.webAcl.Name} (${snapshot.webAcl.ARN})`,
    };
  }
  const noFix = settings.webAclArns[snapshot.region]
    ? ""
    : `; driftwarden has no web ACL to attach in ${snapshot.region}: set controls.${metadata.id}.webAclArns.${snapshot.region} to a REGIONAL web ACL of that region`;
  return {
    status: "non-compliant",
    message: `load balancer ${name} in ${snapshot.region} has no WAF web ACL: every request reaches its targets uninspected${noFix}`,
  };
}

/** The drift this control owns: which web ACL protects the load balancer. */
export function ownedState(snapshot: Snapshot): unknown {
  return { webAcl: snapshot.webAcl?.ARN ?? null };
}
