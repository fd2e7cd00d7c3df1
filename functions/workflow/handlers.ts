import { handler as apply } from "./steps/apply.js";
import { handler as audit } from "./steps/audit.js";
import { handler as evaluate } from "./steps/evaluate.js";
import { handler as notify } from "./steps/notify.js";
import { handler as requestApproval } from "./steps/request-approval.js";
import { handler as verify } from "./steps/verify.js";

/**
 * Every step's Lambda handler by step name, for whoever maps the definition's
 * tasks to functions (the local runtime). Deployed, each step is its own entry
 * under ./steps/ (infra/handlers.ts), bundled on its own.
 */
export const stepHandlers = { evaluate, requestApproval, apply, verify, audit, notify } as const;
export { apply, audit, evaluate, notify, requestApproval, verify };
