import { judgeById } from "../../controls/judges.js";
import type { Finding } from "../../controls/types.js";
import { controlConfig } from "../../lib/config.js";
import { lambda } from "../../lib/middleware.js";
import { resources } from "../../lib/resources.js";
import { controlContext } from "../context.js";
import type { StepPayload } from "../outcome.js";

/**
 * WorkflowVerify: after a fix, the control judges the resource's live state
 * again; only what AWS now says counts as fixed.
 */
export async function verify(payload: StepPayload): Promise<Finding> {
  const control = judgeById(payload.input.control);
  const { settings } = controlConfig(resources().config, control.metadata.id);
  const snapshot = await control.collect(controlContext(payload.input), payload.input.resource);
  if (snapshot === null) {
    return {
      status: "non-compliant",
      message: `${payload.input.resource} no longer exists, so the fix could not be verified`,
    };
  }
  return control.detect(snapshot, settings);
}

/** The Lambda: Powertools context logging, then the step. */
export const handler = lambda(verify);
