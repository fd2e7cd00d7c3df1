import type { DistributionConfig, VpcOriginEndpointConfig } from "@aws-sdk/client-cloudfront";
import type { Change } from "../types.js";
import { type OriginFieldEdits, offendingOrigins } from "./detector.js";
import type { Snapshot } from "./snapshot.js";

export interface PlannedOrigin {
  originId: string;
  domainName: string;
  httpsPort: number;
  set: OriginFieldEdits;
}

/** One VPC origin to change: its own resource, possibly used by several origins of the distribution. */
export interface PlannedVpcOrigin {
  vpcOriginId: string;
  /** The private load balancer or instance it fronts, as on-call approved it. */
  endpointArn: string;
  httpsPort: number;
  /** The distribution's origins that use it. */
  origins: string[];
  set: OriginFieldEdits;
}

/** The custom-origin edits that make a configuration compliant: offending origins only, the two owned fields only. */
export function planOrigins(config: DistributionConfig): PlannedOrigin[] {
  // Custom origins are judged from the configuration alone; VPC origins are planned apart.
  return offendingOrigins({ config, vpcOrigins: {} })
    .filter((verdict) => verdict.kind === "custom")
    .map(({ originId, domainName, httpsPort, set }) => ({ originId, domainName, httpsPort, set }));
}

/** The VPC origins to change, one entry per VPC origin with the union of what its uses need. */
export function planVpcOrigins(snapshot: Pick<Snapshot, "config" | "vpcOrigins">): PlannedVpcOrigin[] {
  const byId = new Map<string, PlannedVpcOrigin>();
  for (const verdict of offendingOrigins(snapshot)) {
    if (verdict.kind !== "vpc" || !verdict.vpcOriginId || Object.keys(verdict.set).length === 0) continue;
    const planned = byId.get(verdict.vpcOriginId) ?? {
      vpcOriginId: verdict.vpcOriginId,
      endpointArn: verdict.endpointArn ?? "",
      httpsPort: verdict.httpsPort,
      origins: [],
      set: {},
    };
    planned.origins.push(verdict.originId);
    planned.set = { ...planned.set, ...verdict.set };
    byId.set(verdict.vpcOriginId, planned);
  }
  return [...byId.values()];
}

/**
 * The calls of the fix: one UpdateDistribution for the custom origins, then one
 * UpdateVpcOrigin per VPC origin (its protocol lives on the VPC origin, not in
 * the distribution), each in its readable form.
 */
export function plan(snapshot: Snapshot): Change[] {
  const origins = planOrigins(snapshot.config);
  return [
    ...(origins.length === 0 ? [] : [updateChange(snapshot.id, origins)]),
    ...planVpcOrigins(snapshot).map((planned) => vpcOriginChange(snapshot.id, planned)),
  ];
}

/** The origins a planned (or made) UpdateDistribution edits. */
export function plannedOrigins(change: Change): PlannedOrigin[] {
  if (change.action !== "UpdateDistribution") return [];
  const edits = change.input.changes;
  return Array.isArray(edits) ? (edits as PlannedOrigin[]) : [];
}

/** The VPC origin a planned (or made) UpdateVpcOrigin edits. */
export function plannedVpcOrigin(change: Change): PlannedVpcOrigin | undefined {
  if (change.action !== "UpdateVpcOrigin" || typeof change.input.Id !== "string") return undefined;
  const input = change.input as Record<string, unknown>;
  return {
    vpcOriginId: change.input.Id,
    endpointArn: String(input.endpointArn ?? ""),
    httpsPort: Number(input.httpsPort ?? 443),
    origins: Array.isArray(input.origins) ? (input.origins as string[]) : [],
    set: (input.set ?? {}) as OriginFieldEdits,
  };
}

function applyFields(
  target: { OriginProtocolPolicy?: string; OriginSslProtocols?: { Quantity: number; Items: string[] } },
  set: OriginFieldEdits,
): void {
  if (set.OriginProtocolPolicy) target.OriginProtocolPolicy = set.OriginProtocolPolicy;
  if (set.OriginSslProtocols) {
    target.OriginSslProtocols = {
      Quantity: set.OriginSslProtocols.length,
      Items: [...set.OriginSslProtocols],
    };
  }
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
    if (custom) applyFields(custom as Parameters<typeof applyFields>[0], planned.set);
  }
  return updated;
}

/** A copy of a VPC origin's endpoint configuration with only the planned fields set. */
export function applyVpcEdits(
  endpoint: VpcOriginEndpointConfig,
  set: OriginFieldEdits,
): VpcOriginEndpointConfig {
  const updated = structuredClone(endpoint);
  applyFields(updated as Parameters<typeof applyFields>[0], set);
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

/** The readable form of one UpdateVpcOrigin: the VPC origin, what it fronts, and the fields set. */
export function vpcOriginChange(distributionId: string, planned: PlannedVpcOrigin, ifMatch?: string): Change {
  return {
    service: "cloudfront",
    action: "UpdateVpcOrigin",
    input: {
      Id: planned.vpcOriginId,
      ...(ifMatch ? { IfMatch: ifMatch } : {}),
      distribution: distributionId,
      origins: [...planned.origins],
      endpointArn: planned.endpointArn,
      httpsPort: planned.httpsPort,
      set: { ...planned.set },
    },
  };
}
