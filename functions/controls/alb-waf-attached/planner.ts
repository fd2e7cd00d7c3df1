import type { Change } from "../types.js";
import type { Settings } from "./metadata.js";
import type { Snapshot } from "./snapshot.js";

/** The region's configured web ACL, associated through WAF; nothing to plan without one (reported). */
export function plan(snapshot: Snapshot, settings: Settings): Change[] {
  const webAclArn = settings.webAclArns[snapshot.region];
  if (!webAclArn || snapshot.webAcl) return [];
  return [
    {
      service: "wafv2",
      action: "AssociateWebACL",
      input: { WebACLArn: webAclArn, ResourceArn: snapshot.loadBalancer.LoadBalancerArn },
    },
  ];
}

/** The web ACL a planned call associates, when it is this control's call for this load balancer. */
export function plannedWebAcl(resource: string, change: Change): string | undefined {
  const keys = Object.keys(change.input).sort().join(",");
  const { ResourceArn, WebACLArn } = change.input;
  if (change.service !== "wafv2" || change.action !== "AssociateWebACL") return undefined;
  if (keys !== "ResourceArn,WebACLArn" || ResourceArn !== resource) return undefined;
  return typeof WebACLArn === "string" ? WebACLArn : undefined;
}
