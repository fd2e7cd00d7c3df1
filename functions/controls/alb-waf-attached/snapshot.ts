import { GetWebACLForResourceCommand } from "@aws-sdk/client-wafv2";
import { errorName } from "../../lib/errors.js";
import {
  applicationLoadBalancers,
  type LoadBalancerFacts,
  readLoadBalancer,
} from "../elbv2/load-balancer.js";
import { plain } from "../elbv2/read.js";
import type { ControlContext } from "../types.js";

export interface Snapshot {
  region: string;
  loadBalancer: LoadBalancerFacts;
  /** The web ACL WAF reports for the load balancer; null when it has none (or it was not read: not an ALB). */
  webAcl: { ARN: string; Name: string } | null;
  tags: Record<string, string>;
}

export async function collect(ctx: ControlContext, arn: string): Promise<Snapshot | null> {
  const read = await readLoadBalancer(ctx, arn);
  if (!read) return null;
  let webAcl: Snapshot["webAcl"] = null;
  if (read.loadBalancer.Type === "application") {
    try {
      const out = await ctx.clients
        .wafv2(read.region)
        .send(new GetWebACLForResourceCommand({ ResourceArn: arn }));
      if (out.WebACL?.ARN) webAcl = { ARN: out.WebACL.ARN, Name: out.WebACL.Name ?? out.WebACL.ARN };
    } catch (error) {
      // The load balancer went away between the two reads.
      if (errorName(error) === "WAFNonexistentItemException") return null;
      throw error;
    }
  }
  return plain({ region: read.region, loadBalancer: read.loadBalancer, webAcl, tags: read.tags });
}

export { applicationLoadBalancers as listResources };
