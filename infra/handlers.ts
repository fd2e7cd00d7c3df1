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
}

export const intakeFunction: FunctionSpec = {
  component: "Intake",
  handler: "functions/intake/handler.handler",
  memory: "256 MB",
  // Resolving targets and re-reading each one is a handful of API calls per event.
  timeout: "60 seconds",
  description: "driftwarden: turns EventBridge events into remediation workflows",
};

export const sweepFunction: FunctionSpec = {
  component: "Sweep",
  handler: "functions/intake/handler.sweepHandler",
  memory: "512 MB",
  // Lists and re-reads every resource of every control in every watched region, one after another.
  timeout: "10 minutes",
  description: "driftwarden: scheduled backstop sweep over every control's resources",
};

export const approvalEndpointFunction: FunctionSpec = {
  component: "ApprovalEndpointFunction",
  handler: "functions/approvals/endpoint.handler",
  memory: "256 MB",
  timeout: "15 seconds",
  description: "driftwarden: on-call approval page (signed links, CSRF-checked POST decides)",
};

export const reminderFunction: FunctionSpec = {
  component: "ApprovalReminders",
  handler: "functions/approvals/reminders.handler",
  memory: "256 MB",
  timeout: "60 seconds",
  description: "driftwarden: reminds on-call of approvals with a quarter of their time left",
};

/**
 * How often pending approvals are checked for a due reminder: a reminder is at
 * most this late, at a cost of a short Lambda run (one index query) each time.
 */
export const reminderSchedule = "rate(15 minutes)";

const step = (
  name: WorkflowStep,
  component: string,
  timeout: FunctionSpec["timeout"],
  why: string,
): FunctionSpec => ({
  component,
  handler: `functions/workflow/handlers.${name}`,
  memory: "256 MB",
  timeout,
  description: `driftwarden workflow step: ${why}`,
});

export const stepFunctions: Record<WorkflowStep, FunctionSpec> = {
  check: step("check", "WorkflowCheck", "30 seconds", "re-read live state and detect"),
  mode: step("mode", "WorkflowMode", "30 seconds", "mode, exemptions and flapping"),
  // The CloudFront risk assessment probes the origin's TLS handshake.
  assess: step("assess", "WorkflowAssess", "60 seconds", "plan the fix and assess its risk"),
  requestApproval: step("requestApproval", "WorkflowRequestApproval", "30 seconds", "ask on-call"),
  // CloudFront updates retry on a stale ETag and back off when throttled.
  apply: step("apply", "WorkflowApply", "120 seconds", "apply the fix as the remediator role"),
  verify: step("verify", "WorkflowVerify", "60 seconds", "verify the fix holds"),
  audit: step("audit", "WorkflowAudit", "30 seconds", "write the audit record"),
  notify: step("notify", "WorkflowNotify", "30 seconds", "notify on-call"),
};

/** Which role statements each step's function gets (`apply` runs as the remediator). */
export const stepPermissions: Record<Exclude<WorkflowStep, "apply">, FunctionName> = {
  check: "check",
  mode: "mode",
  assess: "assess",
  requestApproval: "requestApproval",
  verify: "verify",
  audit: "audit",
  notify: "notify",
};

/** The linked resources a function reads; `resources()` sees the others as absent. */
export const linkNames = [
  "AuditTable",
  "ApprovalsTable",
  "FixHistoryTable",
  "EventsTable",
  "Alerts",
  "ApprovalEndpoint",
  "ApprovalSigningKey",
] as const;
export type LinkName = (typeof linkNames)[number];

export const functionLinks: Record<FunctionName | "apply", readonly LinkName[]> = {
  intake: ["EventsTable"],
  sweep: ["EventsTable"],
  check: [],
  mode: ["FixHistoryTable"],
  assess: [],
  requestApproval: ["ApprovalsTable", "AuditTable", "Alerts", "ApprovalEndpoint", "ApprovalSigningKey"],
  apply: [],
  verify: [],
  audit: ["AuditTable", "ApprovalsTable", "FixHistoryTable"],
  notify: ["Alerts"],
  // The endpoint cannot link its own URL (a cycle); it builds links from the request's host instead.
  approvalEndpoint: ["ApprovalsTable", "ApprovalSigningKey"],
  // Reminders carry fresh signed approval links.
  reminders: ["ApprovalsTable", "Alerts", "ApprovalEndpoint", "ApprovalSigningKey"],
};

/** Every function the stack deploys, for whoever needs the whole list (the build, the tests). */
export const deployedFunctions: readonly FunctionSpec[] = [
  intakeFunction,
  sweepFunction,
  approvalEndpointFunction,
  reminderFunction,
  ...Object.values(stepFunctions),
];
