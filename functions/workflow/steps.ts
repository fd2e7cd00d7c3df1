/**
 * The business logic of every workflow step, as plain functions of their
 * Step Functions payload. Each step is its own module (and its own Lambda
 * entry) under ./steps/, so a step's bundle holds only what it calls.
 */
export { evaluate } from "./evaluate.js";
export type { StepPayload, WorkflowState } from "./outcome.js";
export { apply } from "./steps/apply.js";
export { audit } from "./steps/audit.js";
export { notify } from "./steps/notify.js";
export { requestApproval } from "./steps/request-approval.js";
export { verify } from "./steps/verify.js";
