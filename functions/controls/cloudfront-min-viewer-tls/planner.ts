import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { DistributionSnapshot } from "../cloudfront/distribution.js";
import type { Change } from "../types.js";
import { customCertificate, judge } from "./detector.js";
import type { Settings } from "./metadata.js";
import { rank } from "./policies.js";

export interface PlannedPolicy {
  /** The policy when planned: what viewers could use until now. */
  was: string;
  set: { MinimumProtocolVersion: Settings["minimumProtocolVersion"] };
}

/**
 * One UpdateDistribution that raises MinimumProtocolVersion to the setting,
 * in its readable form; nothing when the policy is already high enough (an
 * SSLSupportMethod this control cannot fix is reported, not planned).
 */
export function plan(snapshot: DistributionSnapshot, settings: Settings): Change[] {
  const verdict = judge(snapshot, settings);
  if (!verdict.raise || !verdict.policy) return [];
  return [
    updateChange(snapshot.id, {
      was: verdict.policy,
      set: { MinimumProtocolVersion: settings.minimumProtocolVersion },
    }),
  ];
}

export function updateChange(id: string, planned: PlannedPolicy, ifMatch?: string): Change {
  return {
    service: "cloudfront",
    action: "UpdateDistribution",
    input: { Id: id, ...(ifMatch ? { IfMatch: ifMatch } : {}), was: planned.was, set: { ...planned.set } },
  };
}

export function plannedPolicy(change: Change): PlannedPolicy | undefined {
  const set = change.input.set as PlannedPolicy["set"] | undefined;
  if (!set || typeof set.MinimumProtocolVersion !== "string") return undefined;
  return { was: String(change.input.was ?? ""), set };
}

/** Whether `config` still needs the planned policy: a custom certificate whose policy is older. */
export function stillBelow(config: DistributionConfig, planned: PlannedPolicy): boolean {
  const certificate = customCertificate(config.ViewerCertificate);
  if (!certificate) return false;
  const current = rank(certificate.MinimumProtocolVersion);
  return current >= 0 && current < rank(planned.set.MinimumProtocolVersion);
}
