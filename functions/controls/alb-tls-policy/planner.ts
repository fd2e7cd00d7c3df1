import type { Change } from "../types.js";
import type { Settings } from "./metadata.js";
import type { Snapshot } from "./snapshot.js";

/**
 * ModifyListener with the listener and its new SslPolicy only: no actions,
 * certificates, port or protocol, so the redirect control's fix of the same
 * listener's actions is never undone by this one (nor this one by it). A
 * target policy that is not allowed would not make the listener comply, so
 * there is nothing to plan and the drift is reported.
 */
export function plan(snapshot: Snapshot, settings: Settings): Change[] {
  if (!settings.allowedPolicies.includes(settings.targetPolicy)) return [];
  if (snapshot.listener.SslPolicy === settings.targetPolicy) return [];
  return [
    {
      service: "elbv2",
      action: "ModifyListener",
      input: { ListenerArn: snapshot.listener.ListenerArn, SslPolicy: settings.targetPolicy },
    },
  ];
}

/** The policy a planned call sets, when it is this control's call on this listener. */
export function plannedPolicy(resource: string, change: Change): string | undefined {
  const keys = Object.keys(change.input).sort().join(",");
  const { ListenerArn, SslPolicy } = change.input;
  if (change.action !== "ModifyListener" || keys !== "ListenerArn,SslPolicy" || ListenerArn !== resource) {
    return undefined;
  }
  return typeof SslPolicy === "string" ? SslPolicy : undefined;
}
