import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { config } from "../lib/clients/config.js";
import { controlClients } from "../lib/clients/controls.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { sfn } from "../lib/clients/sfn.js";
import { now } from "../lib/clock.js";
import { MalformedInputError } from "../lib/errors.js";
import { flushMetrics, metrics } from "../lib/metrics.js";
import { lambda } from "../lib/middleware.js";
import { logger } from "../lib/observability.js";
import { resources } from "../lib/resources.js";
import { type PageRequest, type PageResult, type SweepClients, sweepPage } from "./page.js";
import { type SweepGroup, sweepGroups } from "./plan.js";
import { withConfigSources } from "./sources.js";

/**
 * The Lambda behind the sweep state machine's steps: `plan` names the
 * groups (region x service, with their active controls and where they are
 * listed from), `page` sweeps one page of one group.
 */
const clients: SweepClients = { ...controlClients, dynamo, sfn, config };

export type SweepEvent = { mode: "plan" } | ({ mode: "page" } & PageRequest);

export const handler = lambda(
  async (event: SweepEvent): Promise<{ groups: SweepGroup[] } | PageResult> => {
    const deployment = resources();
    if (event.mode === "plan") {
      const groups = await withConfigSources(sweepGroups(deployment), { clients });
      metrics.addMetric("SweepGroups", MetricUnit.Count, groups.length);
      logger.info("sweep planned", { groups });
      return { groups };
    }
    if (event.mode !== "page") {
      throw new MalformedInputError(
        `sweep step: unknown mode ${JSON.stringify((event as { mode?: unknown }).mode)}`,
        "sweep",
      );
    }
    const result = await sweepPage(event, { resources: deployment, clients, now });
    metrics.addMetric("SweepResources", MetricUnit.Count, result.counts.resources);
    metrics.addMetric("WorkflowsStarted", MetricUnit.Count, result.counts.started);
    metrics.addMetric("IntakeErrors", MetricUnit.Count, result.counts.errors);
    for (const item of result.results) {
      if (item.status === "error") logger.error("sweep could not check a resource", { ...item });
      else logger.info(`sweep ${item.status}`, { ...item });
    }
    return result;
  },
  { use: [flushMetrics()] },
);
