import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Finding } from "../types.js";
import type { Settings } from "./metadata.js";

export function webAclOf(snapshot: Pick<DistributionSnapshot, "config">): string | null {
  const id = snapshot.config.WebACLId;
  return id ? id : null;
}

export function detect(snapshot: DistributionSnapshot, settings: Settings): Finding {
  const attached = webAclOf(snapshot);
  if (attached) {
    return {
      status: "compliant",
      message: `distribution ${snapshot.id} is protected by web ACL ${attached}`,
    };
  }
  const fix = settings.webAclArn
    ? `driftwarden attaches ${settings.webAclArn}`
    : "no web ACL is configured to attach (controls.cloudfront-waf-attached.webAclArn), so driftwarden only reports it";
  return {
    status: "non-compliant",
    message: `distribution ${snapshot.id} has no web ACL (WebACLId is empty): ${fix}`,
  };
}

export function ownedState(snapshot: DistributionSnapshot): unknown {
  return { WebACLId: webAclOf(snapshot) };
}
