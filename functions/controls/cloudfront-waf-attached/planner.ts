import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { webAclOf } from "./detector.js";
import type { Settings } from "./metadata.js";

/** One UpdateDistribution setting WebACLId, or nothing when no web ACL is configured (reported instead). */
export function plan(snapshot: DistributionSnapshot, settings: Settings): Change[] {
  if (webAclOf(snapshot) || !settings.webAclArn) return [];
  return [updateChange(snapshot.id, settings.webAclArn)];
}

export function updateChange(id: string, webAclArn: string, ifMatch?: string): Change {
  return {
    service: "cloudfront",
    action: "UpdateDistribution",
    input: { Id: id, ...(ifMatch ? { IfMatch: ifMatch } : {}), set: { WebACLId: webAclArn } },
  };
}

export function plannedWebAcl(change: Change): string | undefined {
  const set = change.input.set as { WebACLId?: unknown } | undefined;
  return typeof set?.WebACLId === "string" ? set.WebACLId : undefined;
}
