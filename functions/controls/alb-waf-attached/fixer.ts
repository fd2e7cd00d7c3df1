import { AssociateWebACLCommand } from "@aws-sdk/client-wafv2";
import { MalformedInputError } from "../../lib/errors.js";
import { regionOf } from "../elbv2/arns.js";
import type { Change, ControlContext } from "../types.js";
import { plannedWebAcl } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Associates the planned web ACL with the load balancer, through WAF in the
 * load balancer's region. A load balancer has at most one web ACL and
 * AssociateWebACL replaces it, so the call is made only when the fresh read
 * showed none (the plan) and repeating it sets the same one.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change> {
  const webAclArn = plannedWebAcl(resource, change);
  if (!webAclArn) {
    throw new MalformedInputError(
      `${change.service}:${change.action} ${JSON.stringify(change.input)} is not alb-waf-attached's fix of load balancer ${resource}; nothing was changed`,
      resource,
    );
  }
  const input = { WebACLArn: webAclArn, ResourceArn: resource };
  await ctx.clients.wafv2(regionOf(resource) ?? ctx.region).send(new AssociateWebACLCommand(input));
  return { service: "wafv2", action: "AssociateWebACL", input };
}

export function inEffect(snapshot: Snapshot, change: Change): boolean {
  const webAclArn = plannedWebAcl(snapshot.loadBalancer.LoadBalancerArn, change);
  return webAclArn !== undefined && snapshot.webAcl?.ARN === webAclArn;
}
