import { type DistributionSummary, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { DescribeLoadBalancersCommand, type LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import { findControl } from "../controls/registry.js";
import type { AnyControl, ControlContext } from "../controls/types.js";
import {
  checkTarget,
  type IntakeClients,
  type IntakeResult,
  type StartDeps,
  type TriggerOrigin,
} from "../intake/start.js";
import type { Clients } from "../lib/aws.js";
import { controlConfig } from "../lib/config.js";
import { errorMessage } from "../lib/errors.js";
import { logger } from "../lib/observability.js";
import { configDistributionPage, configLoadBalancerPage } from "./config-listing.js";
import { pageClients } from "./page-reads.js";
import type { SweepGroup } from "./plan.js";

/**
 * One page of one sweep group, well inside one Lambda invocation: list a page
 * of load balancers or distributions, let every control of the group judge
 * the page's resources from what was listed (see page-reads.ts), and start
 * (or join) the workflow of each drift. The next page is the state machine's
 * next step.
 */

/** Load balancers per DescribeLoadBalancers page (AWS allows 400): about 4 reads each, well within a minute. */
export const ELBV2_PAGE_SIZE = 100;
/** Distributions per ListDistributions page (the API's default and maximum of 100). */
export const CLOUDFRONT_PAGE_SIZE = 100;

export interface PageRequest {
  group: SweepGroup;
  /** Null for the first page. */
  marker: string | null;
  /** When the sweep started: every page's workflows carry the same trigger time. */
  startedAt: string;
}

export interface PageResult {
  /** Marker of the next page; null after the last. */
  next: string | null;
  /** Started, joined, and failed resources; compliant and out-of-scope ones are only counted. */
  results: IntakeResult[];
  counts: { resources: number; started: number; ignored: number; errors: number };
}

interface Listed {
  next: string | null;
  page: Parameters<typeof pageClients>[1];
}

async function listPage(request: PageRequest, deps: SweepDeps, tagsNeeded: boolean): Promise<Listed> {
  const { region, service, source } = request.group;
  const Marker = request.marker ?? undefined;
  if (source === "config" && service === "elbv2") {
    const page = await configLoadBalancerPage(deps.clients, region, request.marker);
    return {
      next: page.next,
      page: {
        elbv2: {
          region,
          loadBalancers: page.loadBalancers,
          listeners: page.listeners,
          recordedTags: page.tags,
          tagsNeeded,
        },
      },
    };
  }
  if (source === "config") {
    const page = await configDistributionPage(deps.clients, request.marker);
    return {
      next: page.next,
      page: { cloudfront: { distributions: page.distributions, recordedTags: page.tags, tagsNeeded } },
    };
  }
  if (service === "elbv2") {
    const out = await deps.clients
      .elbv2(region)
      .send(new DescribeLoadBalancersCommand({ Marker, PageSize: ELBV2_PAGE_SIZE }));
    const loadBalancers: LoadBalancer[] = out.LoadBalancers ?? [];
    return { next: out.NextMarker ?? null, page: { elbv2: { region, loadBalancers, tagsNeeded } } };
  }
  const out = await deps.clients
    .cloudfront()
    .send(new ListDistributionsCommand({ Marker, MaxItems: CLOUDFRONT_PAGE_SIZE }));
  const list = out.DistributionList;
  const distributions: DistributionSummary[] = list?.Items ?? [];
  return {
    next: list?.IsTruncated && list.NextMarker ? list.NextMarker : null,
    page: { cloudfront: { distributions, tagsNeeded } },
  };
}

/** What a sweep page calls: intake's clients, and AWS Config where the group is listed from it. */
export type SweepClients = IntakeClients & Pick<Clients, "config">;
export type SweepDeps = Omit<StartDeps, "clients"> & { clients: SweepClients };

export async function sweepPage(request: PageRequest, deps: SweepDeps): Promise<PageResult> {
  const { group } = request;
  const config = deps.resources.config;
  const controls = group.controls
    .map((id) => findControl(id))
    .filter((control): control is AnyControl => control !== undefined);
  const tagsNeeded = controls.some(
    (control) => Object.keys(controlConfig(config, control.metadata.id).scope.tags ?? {}).length > 0,
  );
  // A listing that fails fails the page: the state machine retries it, the pages before it are done.
  const listed = await listPage(request, deps, tagsNeeded);
  const pageDeps: StartDeps = { ...deps, clients: pageClients(deps.clients, listed.page) };
  const { account } = deps.resources;
  const origin: TriggerOrigin = { source: "sweep", actor: null, eventId: null, eventTime: request.startedAt };
  const results: IntakeResult[] = [];
  const counts = { resources: 0, started: 0, ignored: 0, errors: 0 };
  for (const control of controls) {
    const controlId = control.metadata.id;
    const ctx: ControlContext = { account, region: group.region, clients: pageDeps.clients, now: deps.now };
    const resources = [...new Set(await control.listResources(ctx))];
    for (const resource of resources) {
      counts.resources += 1;
      let result: IntakeResult;
      try {
        result = await checkTarget(control, resource, origin, { account, region: group.region }, pageDeps, {
          joinOpenWhenCompliant: false,
        });
      } catch (error) {
        // The next sweep tries again; one resource must not stop the rest of the page.
        logger.error("checking a resource failed", { control: controlId, resource, error });
        result = {
          eventId: null,
          status: "error",
          control: controlId,
          resource,
          message: errorMessage(error),
        };
      }
      if (result.status === "started") counts.started += 1;
      else if (result.status === "error") counts.errors += 1;
      else counts.ignored += 1;
      if (result.status !== "ignored" || result.reason === "duplicate") results.push(result);
    }
  }
  return { next: listed.next, results, counts };
}
