import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { Change } from "../types.js";
import { type OriginFieldEdits, offendingOrigins } from "./detector.js";
import type { Snapshot } from "./snapshot.js";

export interface PlannedOrigin {
  originId: string;
  domainName: string;
  httpsPort: number;
  set: OriginFieldEdits;
}

/** The edits that make a configuration compliant: offending origins only, the two owned fields only. */
export function planOrigins(config: DistributionConfig): PlannedOrigin[] {
  return offendingOrigins(config).map(({ originId, domainName, httpsPort, set }) => ({
    originId,
    domainName,
    httpsPort,
    set,
  }));
}

/** The one UpdateDistribution of the fix, in its readable form: the per-origin edits, not the whole configuration. */
export function plan(snapshot: Snapshot): Change[] {
  const origins = planOrigins(snapshot.config);
  return origins.length === 0 ? [] : [updateChange(snapshot.id, origins)];
}

/** The origins a planned (or made) UpdateDistribution edits. */
export function plannedOrigins(change: Change): PlannedOrigin[] {
  const edits = change.input.changes;
  return Array.isArray(edits) ? (edits as PlannedOrigin[]) : [];
}

/**
 * A copy of `config` with the edits applied and nothing else changed: the whole
 * configuration goes back to UpdateDistribution, so every other field must be
 * exactly what was read.
 */
export function applyEdits(config: DistributionConfig, origins: PlannedOrigin[]): DistributionConfig {
  const updated = structuredClone(config);
  for (const planned of origins) {
    const custom = updated.Origins?.Items?.find(
      (origin) => origin.Id === planned.originId,
    )?.CustomOriginConfig;
    if (!custom) continue;
    if (planned.set.OriginProtocolPolicy) custom.OriginProtocolPolicy = planned.set.OriginProtocolPolicy;
    if (planned.set.OriginSslProtocols) {
      custom.OriginSslProtocols = {
        Quantity: planned.set.OriginSslProtocols.length,
        Items: [...planned.set.OriginSslProtocols],
      };
    }
  }
  return updated;
}

/** The readable form of one UpdateDistribution: the per-origin edits, not the whole configuration. */
export function updateChange(distributionId: string, origins: PlannedOrigin[], ifMatch?: string): Change {
  return {
    service: "cloudfront",
    action: "UpdateDistribution",
    input: {
      Id: distributionId,
      ...(ifMatch ? { IfMatch: ifMatch } : {}),
      changes: origins.map(({ originId, domainName, httpsPort, set }) => ({
        originId,
        domainName,
        httpsPort,
        set: { ...set },
      })),
    },
  };
}
