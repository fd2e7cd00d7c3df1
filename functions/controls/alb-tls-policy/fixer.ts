import { ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { MalformedInputError } from "../../lib/errors.js";
import { elbv2For } from "../elbv2/read.js";
import type { Change, ControlContext } from "../types.js";
import { plannedPolicy } from "./planner.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Makes the one planned call: ModifyListener with ListenerArn and SslPolicy
 * only, so nothing else on the listener (its actions, certificates) is
 * rewritten from an old read. Repeating it is harmless.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change> {
  const policy = plannedPolicy(resource, change);
  if (!policy) {
    throw new MalformedInputError(
      `${change.action} ${JSON.stringify(change.input)} is not alb-tls-policy's fix of listener ${resource} (its SslPolicy only); nothing was changed`,
      resource,
    );
  }
  const input = { ListenerArn: resource, SslPolicy: policy };
  await elbv2For(ctx, resource).send(new ModifyListenerCommand(input));
  return { service: "elbv2", action: "ModifyListener", input };
}

/** Whether the listener already has the policy a planned call sets (made before a crash, or by someone). */
export function inEffect(snapshot: Snapshot, change: Change): boolean {
  const policy = plannedPolicy(snapshot.listener.ListenerArn, change);
  return policy !== undefined && snapshot.listener.SslPolicy === policy;
}
