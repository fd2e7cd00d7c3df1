import { lambda } from "../lib/middleware.js";
import * as steps from "./steps.js";

/** One Lambda per workflow step; infra points each step's function at one of these. */
export const evaluate = lambda(steps.evaluate);
export const requestApproval = lambda(steps.requestApproval);
export const apply = lambda(steps.apply);
export const verify = lambda(steps.verify);
export const audit = lambda(steps.audit);
export const notify = lambda(steps.notify);

/** Every step's handler by step name, for whoever maps the definition's tasks to functions. */
export const stepHandlers = { evaluate, requestApproval, apply, verify, audit, notify } as const;
