import {
  intakeAsyncInvoke,
  intakeDeadLetterAlarmName,
  intakeDeadLetterQueueName,
  intakeDestinationStatement,
} from "./intake-delivery.js";
import { policyDocument } from "./permissions.js";

/**
 * Intake's failed events (see intake-delivery.ts): Lambda's asynchronous
 * retry policy for the function, the on-failure queue an event lands in once
 * its retries are spent, and the alarm that tells on-call through the Alerts
 * topic. Home region only, where intake runs.
 */
export function intakeFailureHandling(intake: sst.aws.Function, alerts: sst.aws.SnsTopic, stage: string) {
  const queue = new aws.sqs.Queue("IntakeFailures", {
    name: intakeDeadLetterQueueName(stage),
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });
  new aws.iam.RolePolicy("IntakeFailuresSend", {
    role: intake.nodes.role.name,
    policy: queue.arn.apply((arn) => JSON.stringify(policyDocument([intakeDestinationStatement(arn)]))),
  });
  new aws.lambda.FunctionEventInvokeConfig("IntakeAsyncInvoke", {
    functionName: intake.name,
    maximumRetryAttempts: intakeAsyncInvoke.maximumRetryAttempts,
    maximumEventAgeInSeconds: intakeAsyncInvoke.maximumEventAgeInSeconds,
    destinationConfig: { onFailure: { destination: queue.arn } },
  });
  new aws.cloudwatch.MetricAlarm("IntakeFailuresAlarm", {
    name: intakeDeadLetterAlarmName(stage),
    alarmDescription: `driftwarden: intake could not handle some events after Lambda's retries; they wait in ${intakeDeadLetterQueueName(stage)} (the sweep re-checks every resource regardless)`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queue.name },
    statistic: "Maximum",
    period: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [alerts.arn],
  });
  return queue;
}
