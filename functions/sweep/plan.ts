import { activeControls } from "../controls/registry.js";
import type { AnyControl, ControlMetadata } from "../controls/types.js";
import type { DriftwardenResources } from "../lib/resources.js";

/**
 * What one sweep covers: a group per (region, service), holding every active
 * control of that service, so one listing of a page of load balancers or
 * distributions serves all of them (a control in mode `off` is not swept).
 * Groups run in parallel in the sweep state machine; the pages of one group
 * run one after another, which keeps each service's calls within its rate.
 */

export type SweepService = ControlMetadata["service"];

/** Where a group's resources are listed from: the service's describe APIs, or AWS Config's recorded items. */
export type SweepSource = "describe" | "config";

export interface SweepGroup {
  region: string;
  service: SweepService;
  /** Control ids, in registry order. */
  controls: string[];
  source: SweepSource;
}

/** Global services live in us-east-1; regional ones in every watched region, or the home region. */
export function sweepRegions(
  control: AnyControl,
  resources: Pick<DriftwardenResources, "config" | "region">,
): string[] {
  if (control.metadata.triggers.cloudTrail.delivery === "us-east-1") return ["us-east-1"];
  const watched = resources.config.watchedRegions;
  return watched.length > 0 ? [...new Set(watched)] : [resources.region];
}

/** The groups of a sweep, all listed with describe APIs; see `withConfigSources` for AWS Config. */
export function sweepGroups(resources: Pick<DriftwardenResources, "config" | "region">): SweepGroup[] {
  const groups = new Map<string, SweepGroup>();
  for (const control of activeControls(resources.config)) {
    const { service, id } = control.metadata;
    for (const region of sweepRegions(control, resources)) {
      const key = `${region}/${service}`;
      const group = groups.get(key) ?? { region, service, controls: [], source: "describe" as const };
      group.controls.push(id);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}
