import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { buildClient } from "./plugins.js";

/** Load balancers, listeners and rules of one region. */
export const elbv2 = (region: string) =>
  buildClient("elbv2", region, (c) => new ElasticLoadBalancingV2Client(c));
