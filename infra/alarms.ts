/**
 * CloudWatch alarms on the remediation workflow, as data. A failed or
 * timed-out execution is an outcome on-call may not have heard of (its audit
 * or notification could not be made): these alarms tell them through the
 * Alerts topic, whatever the execution managed to do itself.
 */
export interface WorkflowAlarm {
  name: string;
  metricName: "ExecutionsFailed" | "ExecutionsTimedOut" | "ExecutionsAborted";
  description: string;
}

export function workflowAlarms(stage: string): WorkflowAlarm[] {
  return [
    {
      name: `driftwarden-${stage}-executions-failed`,
      metricName: "ExecutionsFailed",
      description:
        "driftwarden: a remediation execution failed (a fix failed, or its audit record or email could not be made; see the outbox and the execution's history)",
    },
    {
      name: `driftwarden-${stage}-executions-timed-out`,
      metricName: "ExecutionsTimedOut",
      description: "driftwarden: a remediation execution timed out before it recorded an outcome",
    },
    {
      name: `driftwarden-${stage}-executions-aborted`,
      metricName: "ExecutionsAborted",
      description: "driftwarden: a remediation execution was stopped by hand before it recorded an outcome",
    },
  ];
}
