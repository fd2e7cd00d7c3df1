import { lambda } from "../../lib/middleware.js";
import { evaluate } from "../evaluate.js";

/**
 * WorkflowEvaluate: re-reads the resource, its exemptions and fix history,
 * then decides, plans and assesses risk (functions/workflow/evaluate.ts).
 */
export const handler = lambda(evaluate);
