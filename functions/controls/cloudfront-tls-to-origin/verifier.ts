import { ResourceGoneError } from "../../lib/errors.js";
import type { ControlContext, Finding } from "../types.js";
import { detect } from "./detector.js";
import { collect } from "./snapshot.js";

export async function verify(ctx: ControlContext, resource: string): Promise<Finding> {
  const snapshot = await collect(ctx, resource);
  if (!snapshot) throw new ResourceGoneError(`distribution ${resource} no longer exists`, resource);
  const finding = detect(snapshot);
  // The configuration is what the fix changed; edge locations pick it up over the next minutes.
  if (finding.status === "compliant" && snapshot.status === "InProgress") {
    return {
      ...finding,
      message: `${finding.message} (deployment InProgress: propagation takes a few minutes)`,
    };
  }
  return finding;
}
