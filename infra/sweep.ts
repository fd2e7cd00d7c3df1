import { ConfigurationError } from "../functions/lib/errors.js";
import { sweepDefinition } from "../workflows/sweep.js";
import type { Statement } from "./permissions.js";

/**
 * The sweep's deployment data: its state machine's name, definition (exactly
 * what the local runtime runs) and roles' statements. stack.ts turns them
 * into resources and schedules the state machine with EventBridge Scheduler.
 */

export function sweepStateMachineName(stage: string): string {
  const name = `driftwarden-${stage}-sweep`;
  if (name.length > 80 || !/^[\w-]+$/.test(name)) {
    throw new ConfigurationError(
      `state machine name "${name}" is invalid (at most 80 of [A-Za-z0-9_-]): use a shorter stage name`,
      name,
    );
  }
  return name;
}

export function sweepDefinitionJson(sweepFunctionArn: string): string {
  return JSON.stringify(sweepDefinition(sweepFunctionArn));
}

/** The sweep state machine's role: invoke the sweep function, and deliver its logs. */
export function sweepStateMachineStatements(sweepFunctionArn: string, logActions: string[]): Statement[] {
  return [
    { sid: "InvokeSweep", actions: ["lambda:InvokeFunction"], resources: [sweepFunctionArn] },
    { sid: "DeliverLogs", actions: logActions, resources: ["*"] },
  ];
}

/**
 * The schedule's role: start executions of the sweep state machine, and (as
 * EventBridge Scheduler sends dead letters with the target's role) park a
 * start it could not make in the dead-letter queue.
 */
export function sweepSchedulerStatements(
  sweepStateMachineArn: string,
  deadLetterQueueArn: string,
): Statement[] {
  return [
    { sid: "StartSweep", actions: ["states:StartExecution"], resources: [sweepStateMachineArn] },
    { sid: "DeadLetters", actions: ["sqs:SendMessage"], resources: [deadLetterQueueArn] },
  ];
}
