import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { webAclOf } from "./detector.js";

/** Live once the distribution has a web ACL: the planned one, or one someone attached meanwhile. */
export function inEffect(snapshot: DistributionSnapshot, _change: Change): boolean {
  return webAclOf(snapshot) !== null;
}
