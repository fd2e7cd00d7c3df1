import type { Statement } from "./permissions.js";

/**
 * What happens to an event intake could not handle, as data. EventBridge
 * invokes intake asynchronously: an invocation that fails (a throttled read,
 * an AWS 5xx, a timeout, a crash) is retried by Lambda's asynchronous retry,
 * and an event that keeps failing goes to the function's on-failure
 * destination, an SQS queue whose alarm tells on-call. (The EventBridge
 * target's own retry policy and dead-letter queue only cover failures to
 * hand the event to Lambda.) The local runtime replays the same policy on the
 * sandbox clock.
 */

export interface AsyncInvokePolicy {
  /** Lambda's range is 0 to 2. */
  maximumRetryAttempts: number;
  /** Lambda's range is 60 s to 6 h. */
  maximumEventAgeInSeconds: number;
}

/**
 * Every retry Lambda allows: intake is idempotent (the event's seen-marker is
 * written last, workflows are named after their drift), so a retry can only
 * help. Six hours, the longest Lambda keeps an event, covers a long throttle
 * on Lambda itself; the sweep re-checks every resource regardless.
 */
export const intakeAsyncInvoke: AsyncInvokePolicy = {
  maximumRetryAttempts: 2,
  maximumEventAgeInSeconds: 6 * 3600,
};

/**
 * Lambda waits one minute before the first retry of a failed asynchronous
 * invocation and two before the second (AWS Lambda Developer Guide, "How
 * Lambda handles errors and retries with asynchronous invocation").
 */
export const asyncRetryDelaysSeconds: readonly number[] = [60, 120];

export function intakeDeadLetterQueueName(stage: string): string {
  return `driftwarden-${stage}-intake-failures`;
}

export function intakeDeadLetterAlarmName(stage: string): string {
  return `driftwarden-${stage}-intake-failures`;
}

/** What the intake function's role needs: Lambda sends to the on-failure destination as the function. */
export function intakeDestinationStatement(queueArn: string): Statement {
  return { sid: "IntakeFailures", actions: ["sqs:SendMessage"], resources: [queueArn] };
}
