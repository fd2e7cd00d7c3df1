import type { WorkflowStep } from "../workflows/remediation.js";
import type { FunctionName } from "./permissions.js";

/**
 * Every deployed function: its handler (file path + export, as SST takes it)
 * and its size. A test checks each handler file exists and exports the name.
 */
export interface FunctionSpec {
  /** SST component name. */
  component: string;
  handler: string;
  memory: `${number} MB`;
  timeout: `${number} seconds` | `${number} minutes`;
  description: string;
  /** Concurrent executions reserved for (and capping) the function. */
  reservedConcurrency?: number;
  /**
   * Whose IAM statements (infra/permissions.ts) the function runs with: the
   * services they name are the only SDK clients its bundle may hold (test/bundles.test.ts).
   */
  role: FunctionName | "remediator";
}

export const intakeFunction: FunctionSpec = {
  component: "Intake",
  handler: "functions/intake/handler.handler",
  role: "intake",
  memory: "256 MB",
  // Resolving targets and re-reading each one is a handful of API calls per event.
  timeout: "60 seconds",
  description: "driftwarden: turns EventBridge events into remediation workflows",
};

export const sweepFunction: FunctionSpec = {
  component: "Sweep",
  handler: "functions/sweep/handler.handler",
  role: "sweep",
  memory: "512 MB",
  // One page of one group per invocation (see workflows/sweep.ts): a few hundred reads at the service's rate.
  timeout: "5 minutes",
  description: "driftwarden: one step of the sweep state machine (plan, or one page of resources)",
};

export const approvalEndpointFunction: FunctionSpec = {
  component: "ApprovalEndpointFunction",
  handler: "functions/approvals/endpoint.handler",
  role: "approvalEndpoint",
  memory: "256 MB",
  timeout: "15 seconds",
  description: "driftwarden: on-call approval page (signed links, CSRF-checked POST decides)",
  // Its URL is open to the internet: a flood of requests can run at most 5 copies (each view is a
  // KMS VerifyMac and a DynamoDB read), so it cannot exhaust the account's concurrency or the KMS
  // request quota the workflow needs. A handful of people clicking an email never needs more;
  // the CLI decides even while the page is throttled.
  reservedConcurrency: 5,
};

export const reminderFunction: FunctionSpec = {
  component: "ApprovalReminders",
  handler: "functions/approvals/reminders.handler",
  role: "reminders",
  memory: "256 MB",
  timeout: "60 seconds",
  description:
    "driftwarden: reminds on-call of approvals with a quarter of their time left, drains the outbox of unrecorded outcomes, seals the audit ledger",
};

/**
 * How often pending approvals are checked for a due reminder: a reminder is at
 * most this late, at a cost of a short Lambda run (one index query) each time.
 */
export const reminderSchedule = "rate(15 minutes)";

/** Which role statements each step's function gets (`apply` runs as the remediator). */
export const stepPermissions: Record<Exclude<WorkflowStep, "apply">, FunctionName> = {
  evaluate: "evaluate",
  requestApproval: "requestApproval",
  verify: "verify",
  audit: "audit",
  notify: "notify",
};

const stepFiles: Record<WorkflowStep, string> = {
  evaluate: "evaluate",
  requestApproval: "request-approval",
  apply: "apply",
  verify: "verify",
  audit: "audit",
  notify: "notify",
};

const step = (
  name: WorkflowStep,
  component: string,
  timeout: FunctionSpec["timeout"],
  why: string,
): FunctionSpec => ({
  component,
  // One entry file per step, so each step's bundle holds only what that step calls.
  handler: `functions/workflow/steps/${stepFiles[name]}.handler`,
  role: name === "apply" ? "remediator" : stepPermissions[name],
  memory: "256 MB",
  timeout,
  description: `driftwarden workflow step: ${why}`,
});

export const stepFunctions: Record<WorkflowStep, FunctionSpec> = {
  // Reads the resource, exemptions and history, plans, and probes CloudFront origins' TLS handshakes.
  evaluate: step("evaluate", "WorkflowEvaluate", "60 seconds", "re-check, decide, plan and assess risk"),
  requestApproval: step("requestApproval", "WorkflowRequestApproval", "30 seconds", "ask on-call"),
  // CloudFront updates retry on a stale ETag; the SDK backs off when throttled.
  apply: step("apply", "WorkflowApply", "120 seconds", "apply the fix as the remediator role"),
  verify: step("verify", "WorkflowVerify", "60 seconds", "verify the fix holds"),
  audit: step("audit", "WorkflowAudit", "30 seconds", "append the audit record"),
  notify: step("notify", "WorkflowNotify", "30 seconds", "notify on-call"),
};

/** The linked resources a function reads; `resources()` sees the others as absent. */
export const linkNames = [
  "AuditTable",
  "ApprovalsTable",
  "FixHistoryTable",
  "EventsTable",
  "ExemptionsTable",
  "OutboxTable",
  "Alerts",
  "ApprovalEndpoint",
  "ApprovalLinkKey",
  "AuditSealKey",
] as const;
export type LinkName = (typeof linkNames)[number];

export const functionLinks: Record<FunctionName | "apply", readonly LinkName[]> = {
  intake: ["EventsTable"],
  sweep: ["EventsTable"],
  evaluate: ["ApprovalsTable", "FixHistoryTable", "EventsTable", "ExemptionsTable"],
  requestApproval: [
    "ApprovalsTable",
    "AuditTable",
    "EventsTable",
    "Alerts",
    "ApprovalEndpoint",
    "ApprovalLinkKey",
  ],
  // The journal lives in the EventsTable.
  apply: ["EventsTable"],
  verify: [],
  audit: ["AuditTable", "ApprovalsTable", "FixHistoryTable", "OutboxTable"],
  notify: ["Alerts", "EventsTable", "OutboxTable"],
  // The endpoint cannot link its own URL (a cycle); it builds links from the request's host instead.
  approvalEndpoint: ["ApprovalsTable", "ApprovalLinkKey"],
  // Reminders carry fresh signed approval links; the same run drains the outbox of unrecorded
  // outcomes and seals the audit ledger.
  reminders: [
    "ApprovalsTable",
    "Alerts",
    "ApprovalEndpoint",
    "ApprovalLinkKey",
    "OutboxTable",
    "AuditTable",
    "EventsTable",
    "AuditSealKey",
  ],
};

/**
 * Where esbuild looks in a package without `exports`: the ES module build
 * first. The AWS SDK's packages ship both; taken as CommonJS, a required
 * module comes whole (browser code too) and nothing unused can be dropped,
 * which about doubled every bundle. The stack's deploy and `npm run build` both use it.
 */
export const lambdaMainFields = ["module", "main"];

/** Every function the stack deploys, for whoever needs the whole list (the build, the tests). */
export const deployedFunctions: readonly FunctionSpec[] = [
  intakeFunction,
  sweepFunction,
  approvalEndpointFunction,
  reminderFunction,
  ...Object.values(stepFunctions),
];
