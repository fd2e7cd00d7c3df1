import { ModifyListenerCommand, ModifyRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { MalformedInputError } from "../../lib/errors.js";
import type { Change, ControlContext } from "../types.js";
import type { Plan } from "./planner.js";
import { elbv2For } from "./snapshot.js";

/**
 * Makes exactly the planned calls, in describePlan's order. No read-modify-write:
 * ModifyListener and ModifyRule replace only the actions they name, so a retry
 * after "Throttling" is safe. SDK errors propagate unchanged so the workflow can
 * retry on their names.
 */
export async function apply(ctx: ControlContext, resource: string, plan: Plan): Promise<Change[]> {
  if (plan.listenerArn !== resource) {
    throw new MalformedInputError(
      `plan was made for listener ${plan.listenerArn}, not ${resource}; nothing was changed`,
      resource,
    );
  }
  const client = elbv2For(ctx, resource);
  const made: Change[] = [];
  if (plan.modifyListener) {
    const input = structuredClone(plan.modifyListener);
    await client.send(new ModifyListenerCommand(input));
    made.push({ service: "elbv2", action: "ModifyListener", input });
  }
  for (const rule of plan.modifyRules) {
    const input = structuredClone(rule);
    await client.send(new ModifyRuleCommand(input));
    made.push({ service: "elbv2", action: "ModifyRule", input });
  }
  return made;
}
