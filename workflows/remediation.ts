/**
 * The remediation workflow, one execution per (control, resource, drift), as
 * Amazon States Language (JSONPath) data. infra/ deploys exactly this object
 * (with the deployed function ARNs) and the tests run it with
 * aws-local-stepfunctions against the same handlers.
 *
 * State document: `$.input` is the WorkflowInput; each step adds its result
 * under its own key (`$.check`, `$.mode`, `$.assessment`, `$.approval`,
 * `$.recheck`, `$.applied`, `$.verification`), the outcome lands in `$.outcome`
 * and any caught failure in `$.error`.
 */

export const workflowSteps = [
  "check",
  "mode",
  "assess",
  "requestApproval",
  "apply",
  "verify",
  "audit",
  "notify",
] as const;
export type WorkflowStep = (typeof workflowSteps)[number];

/** Function ARN (or name) of the Lambda behind each step. */
export type StepFunctionArns = Record<WorkflowStep, string>;

export interface RemediationOptions {
  approvalTimeoutSeconds: number;
}

/** Errors AWS services use for throttling (ELBv2, CloudFront, SNS, DynamoDB), as Lambda reports them (error.name). */
export const throttlingErrors = [
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "Lambda.TooManyRequestsException",
];

/** Transient Lambda service errors AWS recommends retrying for every Lambda task. */
const lambdaTransientErrors = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

/** The error name the approval step fails with when on-call rejects. */
export const rejectedError = "Driftwarden.Rejected";

type State = Record<string, unknown>;

function lambdaTask(
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
    Retry: [{ ErrorEquals: lambdaTransientErrors, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" }],
    Next: next,
  };
}

// Recording must not give up on a passing fault: the outcome would go unseen.
const recordRetry = [
  {
    ErrorEquals: [...throttlingErrors, ...lambdaTransientErrors],
    IntervalSeconds: 2,
    MaxAttempts: 5,
    BackoffRate: 2,
  },
  { ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2 },
];

function outcome(name: string): State {
  return { Type: "Pass", Result: name, ResultPath: "$.outcome", Next: "Record" };
}

export function remediationDefinition(fns: StepFunctionArns, options: RemediationOptions) {
  if (!Number.isInteger(options.approvalTimeoutSeconds) || options.approvalTimeoutSeconds < 1) {
    throw new RangeError(`approvalTimeoutSeconds must be a positive whole number of seconds`);
  }
  const context = {
    "input.$": "$.input",
    "executionId.$": "$$.Execution.Id",
    "executionName.$": "$$.Execution.Name",
  };
  return {
    Comment: "driftwarden: re-check, decide, fix (or ask on-call), verify, notify and audit one drift",
    StartAt: "Start",
    States: {
      Start: {
        Type: "Pass",
        Comment: "Keep the execution input under $.input so every step can add its own result beside it",
        Parameters: { "input.$": "$" },
        Next: "ReCheck",
      },
      ReCheck: lambdaTask(fns.check, context, "$.check", "IsDrifted"),
      IsDrifted: {
        Type: "Choice",
        Choices: [{ Variable: "$.check.status", StringEquals: "non-compliant", Next: "Mode" }],
        Default: "OutcomeCompliant",
      },
      Mode: lambdaTask(fns.mode, { ...context, "check.$": "$.check" }, "$.mode", "RouteMode"),
      RouteMode: {
        Type: "Choice",
        Choices: [
          { Variable: "$.mode.decision", StringEquals: "exempt", Next: "OutcomeExempt" },
          { Variable: "$.mode.decision", StringEquals: "suspended", Next: "OutcomeSuspended" },
        ],
        Default: "Assess",
      },
      Assess: lambdaTask(fns.assess, { ...context, "mode.$": "$.mode" }, "$.assessment", "RouteRisk"),
      RouteRisk: {
        Type: "Choice",
        Choices: [
          { Variable: "$.assessment.status", StringEquals: "compliant", Next: "OutcomeCompliant" },
          // Report mode only ever notifies, whatever the fix would have been (the risk is in the message).
          { Variable: "$.mode.mode", StringEquals: "report", Next: "OutcomeReported" },
          { Variable: "$.assessment.risk.level", StringEquals: "blocked", Next: "OutcomeBlocked" },
          { Variable: "$.assessment.needsApproval", BooleanEquals: true, Next: "RequestApproval" },
        ],
        Default: "Apply",
      },
      RequestApproval: {
        Type: "Task",
        Comment: "Waits for on-call: the approval endpoint or CLI calls SendTaskSuccess / SendTaskFailure",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: fns.requestApproval,
          Payload: {
            ...context,
            "taskToken.$": "$$.Task.Token",
            "check.$": "$.check",
            "mode.$": "$.mode",
            "assessment.$": "$.assessment",
            timeoutSeconds: options.approvalTimeoutSeconds,
          },
        },
        TimeoutSeconds: options.approvalTimeoutSeconds,
        ResultPath: "$.approval",
        Retry: [{ ErrorEquals: lambdaTransientErrors, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Catch: [
          { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "OutcomeApprovalExpired" },
          { ErrorEquals: [rejectedError], ResultPath: "$.rejection", Next: "OutcomeRejected" },
          { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" },
        ],
        Next: "ReCheckAfterApproval",
      },
      // After a decision, everything is judged again: the resource may have been fixed,
      // exempted, or changed while on-call read the email.
      ReCheckAfterApproval: lambdaTask(fns.check, context, "$.check", "StillDrifted"),
      StillDrifted: {
        Type: "Choice",
        Choices: [{ Variable: "$.check.status", StringEquals: "non-compliant", Next: "ModeAfterApproval" }],
        Default: "OutcomeCompliant",
      },
      ModeAfterApproval: lambdaTask(
        fns.mode,
        { ...context, "check.$": "$.check" },
        "$.mode",
        "RouteModeAfterApproval",
      ),
      RouteModeAfterApproval: {
        Type: "Choice",
        Choices: [
          { Variable: "$.mode.decision", StringEquals: "exempt", Next: "OutcomeExempt" },
          { Variable: "$.mode.decision", StringEquals: "suspended", Next: "OutcomeSuspended" },
          { Variable: "$.mode.mode", StringEquals: "report", Next: "OutcomeReported" },
        ],
        Default: "AssessAfterApproval",
      },
      AssessAfterApproval: lambdaTask(
        fns.assess,
        { ...context, "mode.$": "$.mode", "approvedPlanDigest.$": "$.assessment.planDigest" },
        "$.recheck",
        "RouteAfterApproval",
      ),
      RouteAfterApproval: {
        Type: "Choice",
        Comment:
          "An approval binds to the plan it was asked for: a changed resource is re-planned and re-asked",
        Choices: [
          { Variable: "$.recheck.status", StringEquals: "compliant", Next: "OutcomeCompliant" },
          { Variable: "$.recheck.planChanged", BooleanEquals: true, Next: "Replanned" },
        ],
        Default: "ApprovedPlanHolds",
      },
      ApprovedPlanHolds: {
        Type: "Pass",
        Parameters: {
          "input.$": "$.input",
          "check.$": "$.check",
          "mode.$": "$.mode",
          "assessment.$": "$.recheck",
          "approval.$": "$.approval",
        },
        Next: "Apply",
      },
      Replanned: {
        Type: "Pass",
        Parameters: {
          "input.$": "$.input",
          "check.$": "$.check",
          "mode.$": "$.mode",
          "assessment.$": "$.recheck",
          "previousApproval.$": "$.approval",
        },
        Next: "RouteRisk",
      },
      Apply: {
        Type: "Task",
        Resource: fns.apply,
        Parameters: { ...context, "assessment.$": "$.assessment" },
        ResultPath: "$.applied",
        Retry: [
          {
            ErrorEquals: throttlingErrors,
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
            MaxDelaySeconds: 60,
            JitterStrategy: "FULL",
          },
          { ErrorEquals: lambdaTransientErrors, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
        ],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "OutcomeFailed" }],
        Next: "Verify",
      },
      Verify: lambdaTask(fns.verify, context, "$.verification", "Verified"),
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
      Record: {
        Type: "Pass",
        Comment: "Audit first (its id goes into the message), then notify",
        Next: "Audit",
      },
      Audit: {
        Type: "Task",
        Comment: "Conditional write keyed by execution: a retried step never writes a second record",
        Resource: fns.audit,
        Parameters: { ...context, "outcome.$": "$.outcome", "state.$": "$" },
        ResultPath: "$.audit",
        Retry: recordRetry,
        Next: "ShouldNotify",
      },
      ShouldNotify: {
        Type: "Choice",
        Comment: "compliant and exempt are audited but never emailed",
        Choices: [
          {
            Or: [
              { Variable: "$.outcome", StringEquals: "compliant" },
              { Variable: "$.outcome", StringEquals: "exempt" },
            ],
            Next: "Ended",
          },
        ],
        Default: "Notify",
      },
      Notify: {
        Type: "Task",
        Resource: fns.notify,
        Parameters: { ...context, "outcome.$": "$.outcome", "auditId.$": "$.audit.auditId", "state.$": "$" },
        ResultPath: "$.notification",
        Retry: recordRetry,
        Next: "Ended",
      },
      Ended: {
        Type: "Choice",
        Choices: [{ Variable: "$.outcome", StringEquals: "failed", Next: "RemediationFailed" }],
        Default: "Done",
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

export type RemediationDefinition = ReturnType<typeof remediationDefinition>;
