import {
  type ConfigurationRecorder,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
} from "@aws-sdk/client-config-service";
import type { Clients } from "../lib/aws.js";
import { errorName } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import type { SweepGroup, SweepService } from "./plan.js";

/**
 * Where AWS Config already records a group's resource types, its advanced
 * query (SelectResourceConfig) lists a hundred resources with their
 * configuration per call, against several describe calls per resource: the
 * sweep uses it there, and the describe APIs everywhere else.
 */

/** The Config resource types a group's snapshots are built from. */
export const configResourceTypes: Record<SweepService, string[]> = {
  elbv2: ["AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::Listener"],
  cloudfront: ["AWS::CloudFront::Distribution"],
};

/** How often a recorder records a type: its override for the type, else its default (continuous when unset). */
function frequencyOf(recorder: ConfigurationRecorder, type: string): string {
  const mode = recorder.recordingMode;
  const override = mode?.recordingModeOverrides?.find((o) => (o.resourceTypes ?? []).includes(type as never));
  return override?.recordingFrequency ?? mode?.recordingFrequency ?? "CONTINUOUS";
}

/**
 * Whether a recorder keeps a type's items current enough for a sweep to judge
 * from them: the account's own recorder (a service-linked one records for its
 * service, not for advanced query), recording the type continuously (a daily
 * item can be a day behind a drift), in its recording group (all supported, a
 * list, or all but a list).
 */
export function records(recorder: ConfigurationRecorder, type: string): boolean {
  if (recorder.servicePrincipal || recorder.recordingScope === "INTERNAL") return false;
  if (frequencyOf(recorder, type) !== "CONTINUOUS") return false;
  const group = recorder.recordingGroup;
  if (!group) return false;
  const strategy = group.recordingStrategy?.useOnly;
  if (strategy === "EXCLUSION_BY_RESOURCE_TYPES") {
    return !(group.exclusionByResourceTypes?.resourceTypes ?? []).includes(type as never);
  }
  if (group.allSupported) return true;
  return (group.resourceTypes ?? []).includes(type as never);
}

/** The types the region's recording recorder records; none when there is no recorder or it is stopped. */
async function recordedTypes(
  clients: Pick<Clients, "config">,
  region: string,
): Promise<(type: string) => boolean> {
  const config = clients.config(region);
  try {
    // One after the other: two calls, and a run with injected faults stays repeatable.
    const recorders = await config.send(new DescribeConfigurationRecordersCommand({}));
    const statuses = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
    const recording = new Set(
      (statuses.ConfigurationRecordersStatus ?? []).filter((s) => s.recording).map((s) => s.name),
    );
    const active = (recorders.ConfigurationRecorders ?? []).filter((r) => recording.has(r.name));
    return (type) => active.some((recorder) => records(recorder, type));
  } catch (error) {
    // No permission or no Config in the region: describe APIs work everywhere.
    logger.warn("AWS Config recorders could not be read; sweeping with describe APIs", {
      region,
      error: errorName(error),
    });
    return () => false;
  }
}

export async function withConfigSources(
  groups: SweepGroup[],
  deps: { clients: Pick<Clients, "config"> },
): Promise<SweepGroup[]> {
  const regions = [...new Set(groups.map((group) => group.region))];
  const recorded = new Map<string, (type: string) => boolean>();
  for (const region of regions) recorded.set(region, await recordedTypes(deps.clients, region));
  return groups.map((group) => {
    const covers = recorded.get(group.region);
    const all = configResourceTypes[group.service].every((type) => covers?.(type) ?? false);
    return { ...group, source: all ? "config" : "describe" };
  });
}
