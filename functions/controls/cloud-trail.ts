import type { CloudTrailTrigger, ControlMetadata } from "./types.js";

/** Every CloudTrail trigger of a control: its resource's own service first, then the others. */
export function cloudTrailTriggers(metadata: Pick<ControlMetadata, "triggers">): CloudTrailTrigger[] {
  return [metadata.triggers.cloudTrail, ...(metadata.triggers.otherCloudTrail ?? [])];
}
