import type { ControlContext, Finding } from "../types.js";
import { detect } from "./detector.js";
import { collect } from "./snapshot.js";

/** Re-reads live state: only what AWS now says counts as fixed. */
export async function verify(ctx: ControlContext, resource: string): Promise<Finding> {
  const snapshot = await collect(ctx, resource);
  if (!snapshot) {
    return {
      status: "non-compliant",
      message: `listener ${resource} no longer exists, so the redirect to HTTPS could not be verified`,
    };
  }
  return detect(snapshot);
}
