import { ModifyListenerCommand, ModifyRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { MalformedInputError } from "../../lib/errors.js";
import { listenerOfRule } from "../elbv2/arns.js";
import { elbv2For } from "../elbv2/read.js";
import type { Change, ControlContext } from "../types.js";

/**
 * Makes one planned call. No read-modify-write: ModifyListener and ModifyRule
 * replace only the actions they name, so repeating one is harmless and the
 * journal around it decides whether it must be repeated at all.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change> {
  const client = elbv2For(ctx, resource);
  const input = structuredClone(change.input);
  if (change.action === "ModifyListener" && input.ListenerArn === resource) {
    await client.send(new ModifyListenerCommand(input as never));
    return { service: "elbv2", action: "ModifyListener", input };
  }
  if (change.action === "ModifyRule" && listenerOfRule(String(input.RuleArn ?? "")) === resource) {
    await client.send(new ModifyRuleCommand(input as never));
    return { service: "elbv2", action: "ModifyRule", input };
  }
  throw new MalformedInputError(
    `${change.action} on ${String(input.ListenerArn ?? input.RuleArn ?? "?")} is not a fix of listener ${resource}; nothing was changed`,
    resource,
  );
}
