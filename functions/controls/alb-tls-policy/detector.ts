import { notApplicationLoadBalancer } from "../elbv2/load-balancer.js";
import type { Finding } from "../types.js";
import type { Settings } from "./metadata.js";
import type { Snapshot } from "./snapshot.js";

function protocols(snapshot: Snapshot): string {
  return snapshot.policyProtocols ? ` (${snapshot.policyProtocols.join(", ")})` : "";
}

function subject(snapshot: Snapshot): string {
  const { listener, loadBalancer } = snapshot;
  return `HTTPS listener ${listener.ListenerArn} (port ${listener.Port ?? "unknown"}) of load balancer ${loadBalancer.LoadBalancerName}`;
}

export function detect(snapshot: Snapshot, settings: Settings): Finding {
  const outside = notApplicationLoadBalancer(snapshot.loadBalancer, "ELB.17");
  if (outside) return { status: "not-applicable", message: outside };
  const { listener } = snapshot;
  if (listener.Protocol !== "HTTPS") {
    return {
      status: "not-applicable",
      message: `listener ${listener.ListenerArn} (port ${listener.Port ?? "unknown"}) uses ${listener.Protocol || "an unknown protocol"}, not HTTPS; only HTTPS listeners have a TLS security policy`,
    };
  }
  const policy = listener.SslPolicy ?? "no policy";
  if (listener.SslPolicy && settings.allowedPolicies.includes(listener.SslPolicy)) {
    return {
      status: "compliant",
      message: `${subject(snapshot)} uses ${policy}${protocols(snapshot)}, an allowed policy`,
    };
  }
  const noFix = settings.allowedPolicies.includes(settings.targetPolicy)
    ? ""
    : `; driftwarden has no policy to set: the configured targetPolicy ${settings.targetPolicy} is not among the allowedPolicies either`;
  return {
    status: "non-compliant",
    message: `${subject(snapshot)} uses ${policy}${protocols(snapshot)}, which is not among the allowed policies (setting allowedPolicies)${noFix}`,
  };
}

/** The drift this control owns: the listener's protocol and policy. */
export function ownedState(snapshot: Snapshot): unknown {
  return { protocol: snapshot.listener.Protocol, sslPolicy: snapshot.listener.SslPolicy };
}
