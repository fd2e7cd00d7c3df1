/**
 * The remediation workflow, one execution per (control, resource, drift), as
 * Amazon States Language (JSONPath) data. infra/ deploys exactly this object
 * (with the deployed function ARNs) and the tests run it with
 * aws-local-stepfunctions against the same handlers.
 *
 * State document: `$.input` is the WorkflowInput; `$.evaluation` the latest
 * Evaluate result (the only step that reads the resource and decides),
 * `$.applied.calls` every call made so far, `$.verification`, `$.outcome`,
 * `$.audit`, and any caught failure under `$.error`.
 *
 * The auto-fix path is Start, Evaluate, Route, Apply, Verify, Verified,
 * OutcomeFixed, Audit, ShouldNotify, Notify, Done: 11 transitions.
 */

export const workflowSteps = ["evaluate", "requestApproval", "apply", "verify", "audit", "notify"] as const;
export type WorkflowStep = (typeof workflowSteps)[number];

/** Function ARN (or name) of the Lambda behind each step. */
export type StepFunctionArns = Record<WorkflowStep, string>;

/** Errors AWS services use for throttling (ELBv2, CloudFront, SNS, DynamoDB, Step Functions, KMS, WAF), as Lambda reports them (error.name). */
export const throttlingErrors = [
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "Throttled",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "RequestThrottled",
  "SlowDown",
];

/** Server-side errors that a later attempt usually gets past (after the SDK's own retries gave up). */
export const transientErrors = [
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServiceError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ETIMEDOUT",
];

/**
 * Lambda service errors AWS recommends retrying for every Lambda task, plus a
 * function that died (crash, timeout, out of memory): `Lambda.Unknown` and
 * `States.Timeout` (the step's own timeout). Every step is safe to repeat.
 */
export const lambdaTransientErrors = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "Lambda.Unknown",
  "States.Timeout",
];

/** The error name the approval task fails with when on-call rejects. */
export const rejectedError = "Driftwarden.Rejected";

const retryable = [...throttlingErrors, ...transientErrors, ...lambdaTransientErrors];

/**
 * Backoff with full jitter, so many executions throttled together do not retry
 * in lockstep. Steps that only read or record get many attempts: giving up on
 * a passing fault would lose an outcome (or report a good fix as failed).
 */
function retry(maxAttempts: number) {
  return [
    {
      ErrorEquals: retryable,
      IntervalSeconds: 2,
      MaxAttempts: maxAttempts,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: "FULL",
    },
  ];
}

type State = Record<string, unknown>;

const execution = {
  "input.$": "$.input",
  "executionId.$": "$$.Execution.Id",
  "executionName.$": "$$.Execution.Name",
};

function task(
  resource: string,
  parameters: Record<string, unknown>,
  resultPath: string,
  next: string,
): State {
  return {
    Type: "Task",
    Resource: resource,
    Parameters: parameters,
    ResultPath: resultPath,
    Retry: retry(8),
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" }],
    Next: next,
  };
}

function outcome(name: string): State {
  return { Type: "Pass", Result: name, ResultPath: "$.outcome", Next: "Audit" };
}

/** An apply round: the calls of `$.evaluation.apply`, journaled under the round number. */
function applyTask(fn: string, next: string): State {
  return {
    Type: "Task",
    Resource: fn,
    Parameters: {
      ...execution,
      mode: "apply",
      "changes.$": "$.evaluation.apply",
      "round.$": "$.evaluation.applyRound",
      "made.$": "$.applied.calls",
    },
    ResultPath: "$.applied",
    Retry: retry(6),
    // Whatever stopped the apply, the audit must list the calls that were really made.
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Reconcile" }],
    Next: next,
  };
}

function evaluateTask(fn: string, extra: Record<string, unknown>): State {
  return {
    Type: "Task",
    Resource: fn,
    Parameters: { ...execution, ...extra },
    ResultPath: "$.evaluation",
    Retry: retry(8),
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" }],
    Next: "Route",
  };
}

const decisions: Record<string, string> = {
  apply: "Apply",
  "apply-safe": "ApplySafe",
  ask: "RequestApproval",
  wait: "RequestApproval",
  compliant: "OutcomeCompliant",
  exempt: "OutcomeExempt",
  suspended: "OutcomeSuspended",
  reported: "OutcomeReported",
  blocked: "OutcomeBlocked",
  rejected: "OutcomeRejected",
  expired: "OutcomeApprovalExpired",
};

/**
 * The approval wait has no fixed TimeoutSeconds: each wait lasts what its
 * evaluation says (the configured approvalTimeout for a new request, what is
 * left of it when the same request keeps waiting), via TimeoutSecondsPath.
 */
export function remediationDefinition(fns: StepFunctionArns) {
  return {
    Comment: "driftwarden: re-check, decide, fix (or ask on-call), verify, audit and notify one drift",
    StartAt: "Start",
    States: {
      Start: {
        Type: "Pass",
        Comment: "Keep the execution input under $.input and start with no calls made",
        Parameters: { "input.$": "$", applied: { calls: [] } },
        Next: "Evaluate",
      },
      Evaluate: evaluateTask(fns.evaluate, {}),
      // After the safe part of a fix was made, the rest is judged (and asked about) on a fresh read.
      EvaluateAgain: evaluateTask(fns.evaluate, { "previous.$": "$.evaluation" }),
      // After on-call decided: everything is judged again, and the decision is read from the approvals table.
      EvaluateDecision: evaluateTask(fns.evaluate, { "previous.$": "$.evaluation", afterDecision: true }),
      // Nobody decided in time: the resource is read again, because a drift undone by hand (or a
      // resource deleted) while the request waited needs no fix and no "expired" email.
      EvaluateExpiry: {
        ...evaluateTask(fns.evaluate, { "previous.$": "$.evaluation", afterTimeout: true }),
        // The request expired either way: a re-check that cannot be made does not turn that into a failure.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeApprovalExpired" }],
      },
      Route: {
        Type: "Choice",
        Choices: Object.entries(decisions).map(([decision, next]) => ({
          Variable: "$.evaluation.decision",
          StringEquals: decision,
          Next: next,
        })),
        Default: "OutcomeFailed",
      },
      Apply: applyTask(fns.apply, "Verify"),
      ApplySafe: applyTask(fns.apply, "EvaluateAgain"),
      Reconcile: {
        Type: "Task",
        Comment: "The apply gave up: read its journal and the resource to know which calls were made",
        Resource: fns.apply,
        Parameters: {
          ...execution,
          mode: "reconcile",
          "changes.$": "$.evaluation.apply",
          "round.$": "$.evaluation.applyRound",
          "made.$": "$.applied.calls",
        },
        ResultPath: "$.applied",
        Retry: retry(10),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.reconcileError", Next: "OutcomeFailed" }],
        Next: "OutcomeFailed",
      },
      RequestApproval: {
        Type: "Task",
        Comment:
          "Waits for on-call: the approval endpoint or CLI records the decision, then calls SendTaskSuccess / SendTaskFailure",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: fns.requestApproval,
          Payload: {
            ...execution,
            "taskToken.$": "$$.Task.Token",
            "evaluation.$": "$.evaluation",
            // The safe part of the fix already made: the request (and its audit record) must say so.
            "made.$": "$.applied.calls",
            "timeoutSeconds.$": "$.evaluation.approval.timeoutSeconds",
          },
        },
        TimeoutSecondsPath: "$.evaluation.approval.timeoutSeconds",
        // The output is not trusted: what on-call decided is read from the approvals table next.
        ResultPath: "$.approvalTask",
        Retry: [
          {
            ErrorEquals: retryable.filter((name) => name !== "States.Timeout"),
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
            MaxDelaySeconds: 60,
            JitterStrategy: "FULL",
          },
        ],
        Catch: [
          { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "EvaluateExpiry" },
          { ErrorEquals: [rejectedError], ResultPath: "$.approvalTask", Next: "EvaluateDecision" },
          { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" },
        ],
        Next: "EvaluateDecision",
      },
      Verify: {
        ...task(fns.verify, execution, "$.verification", "Verified"),
        // A verification that cannot be read is retried, not taken for a failed fix.
        Retry: retry(12),
      },
      Verified: {
        Type: "Choice",
        Choices: [{ Variable: "$.verification.status", StringEquals: "compliant", Next: "OutcomeFixed" }],
        Default: "VerificationFailed",
      },
      VerificationFailed: {
        Type: "Pass",
        Parameters: { Error: "VerificationFailed", "Cause.$": "$.verification.message" },
        ResultPath: "$.error",
        Next: "OutcomeFailed",
      },
      OutcomeCompliant: outcome("compliant"),
      OutcomeExempt: outcome("exempt"),
      OutcomeSuspended: outcome("suspended"),
      OutcomeBlocked: outcome("blocked"),
      OutcomeReported: outcome("reported"),
      OutcomeRejected: outcome("rejected"),
      OutcomeApprovalExpired: outcome("approval-expired"),
      OutcomeFixed: outcome("fixed"),
      OutcomeFailed: outcome("failed"),
      Audit: {
        Type: "Task",
        Comment: "Appends the outcome to the audit chain; keyed by execution, so a retry never writes twice",
        Resource: fns.audit,
        Parameters: { ...execution, mode: "audit", "outcome.$": "$.outcome", "state.$": "$" },
        ResultPath: "$.audit",
        Retry: retry(12),
        // On-call must hear of the outcome even when it cannot be recorded; the outbox keeps it for a redrive.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.auditError", Next: "KeepUnrecorded" }],
        Next: "ShouldNotify",
      },
      KeepUnrecorded: {
        Type: "Task",
        Comment: "Stores the unwritten audit record in the outbox, which the scheduled drain writes later",
        Resource: fns.audit,
        Parameters: { ...execution, mode: "outbox", "outcome.$": "$.outcome", "state.$": "$" },
        ResultPath: "$.outbox",
        Retry: retry(8),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.outboxError", Next: "NotifyUnrecorded" }],
        Next: "NotifyUnrecorded",
      },
      NotifyUnrecorded: {
        Type: "Task",
        Resource: fns.notify,
        Parameters: { ...execution, mode: "notify", "outcome.$": "$.outcome", "state.$": "$" },
        ResultPath: "$.notification",
        Retry: retry(8),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: "AuditNotRecorded" }],
        Next: "AuditNotRecorded",
      },
      AuditNotRecorded: {
        Type: "Fail",
        Comment:
          "Fails the execution so the ExecutionsFailed alarm tells on-call; the outbox still holds the record",
        Error: "AuditNotRecorded",
        Cause: "The outcome could not be written to the audit table; it waits in the outbox",
      },
      ShouldNotify: {
        Type: "Choice",
        Comment:
          "compliant and exempt are audited but not emailed, except the first sight of a tag exemption",
        Choices: [
          { Variable: "$.outcome", StringEquals: "failed", Next: "NotifyFailure" },
          {
            And: [
              { Variable: "$.outcome", StringEquals: "exempt" },
              { Variable: "$.evaluation.announce", BooleanEquals: true },
            ],
            Next: "Notify",
          },
          {
            Or: [
              { Variable: "$.outcome", StringEquals: "compliant" },
              { Variable: "$.outcome", StringEquals: "exempt" },
            ],
            Next: "Done",
          },
        ],
        Default: "Notify",
      },
      Notify: notifyTask(fns.notify, "Done"),
      NotifyFailure: notifyTask(fns.notify, "RemediationFailed"),
      KeepUndelivered: {
        Type: "Task",
        Comment: "Stores the undelivered notification in the outbox, which the scheduled drain sends later",
        Resource: fns.notify,
        Parameters: { ...execution, mode: "outbox", "outcome.$": "$.outcome", "state.$": "$" },
        ResultPath: "$.outbox",
        Retry: retry(8),
        Catch: [
          { ErrorEquals: ["States.ALL"], ResultPath: "$.outboxError", Next: "NotificationNotDelivered" },
        ],
        Next: "NotificationNotDelivered",
      },
      NotificationNotDelivered: {
        Type: "Fail",
        Comment: "Fails the execution so the ExecutionsFailed alarm tells on-call; the outbox resends it",
        Error: "NotificationNotDelivered",
        Cause: "The outcome was audited but the notification could not be published; it waits in the outbox",
      },
      RemediationFailed: {
        Type: "Fail",
        Comment: "Recorded and notified already; failing the execution makes it visible to alarms",
        Error: "RemediationFailed",
        Cause: "The fix failed; see the audit record and the notification",
      },
      Done: { Type: "Succeed" },
    },
  };
}

function notifyTask(fn: string, next: string): State {
  return {
    Type: "Task",
    Resource: fn,
    Parameters: {
      ...execution,
      mode: "notify",
      "outcome.$": "$.outcome",
      "state.$": "$",
    },
    ResultPath: "$.notification",
    Retry: retry(8),
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: "KeepUndelivered" }],
    Next: next,
  };
}

export type RemediationDefinition = ReturnType<typeof remediationDefinition>;
