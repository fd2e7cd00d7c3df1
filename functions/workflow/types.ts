import type { Actor } from "../controls/types.js";

export type TriggerSource = "cloudtrail" | "config" | "sweep";

/** The input of one remediation workflow execution, as intake (or the sweep) starts it. */
export interface WorkflowInput {
  control: string;
  /** ARN of the resource the control judges (listener ARN, distribution ARN). */
  resource: string;
  /** Region of the resource (us-east-1 for CloudFront). */
  region: string;
  account: string;
  trigger: TriggerSource;
  /** Who caused the drift; null when unknown (sweep, Config without CloudTrail). */
  actor: Actor | null;
  /** EventBridge envelope id of the triggering event; null for the sweep. */
  eventId: string | null;
  /** When the triggering change happened (CloudTrail eventTime, Config capture time, sweep time). */
  eventTime: string;
  /** Digest of the control's owned state when intake looked: one execution per drift. */
  driftDigest: string;
}

export const outcomes = [
  "fixed",
  "compliant",
  "awaiting-approval",
  "rejected",
  "approval-expired",
  "exempt",
  "reported",
  "blocked",
  "suspended",
  "failed",
] as const;
export type Outcome = (typeof outcomes)[number];
