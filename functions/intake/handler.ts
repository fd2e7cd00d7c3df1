import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { activeControls } from "../controls/registry.js";
import { controlClients } from "../lib/clients/controls.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { sfn } from "../lib/clients/sfn.js";
import { now } from "../lib/clock.js";
import { remediatorRoleArn } from "../lib/config.js";
import { flushMetrics, metrics } from "../lib/metrics.js";
import { lambda } from "../lib/middleware.js";
import { logger } from "../lib/observability.js";
import { resources } from "../lib/resources.js";
import { type IntakeResult, intake } from "./intake.js";
import type { IntakeClients } from "./start.js";

const clients: IntakeClients = { ...controlClients, dynamo, sfn };

const metricNames: Record<IntakeResult["status"], string> = {
  started: "WorkflowsStarted",
  ignored: "EventsIgnored",
  malformed: "EventsMalformed",
  error: "IntakeErrors",
};

/**
 * EventBridge target, invoked asynchronously. A malformed or irrelevant event
 * is logged with its reason and answered (retrying cannot fix it); an event
 * that could not be fully handled throws, so Lambda retries it and finally
 * hands it to the on-failure destination (see infra/intake-delivery.ts).
 */
export const handler = lambda(
  async (event: unknown): Promise<IntakeResult[]> => {
    const deployment = resources();
    const account = deployment.account || envelopeAccount(event);
    const results = await intake(event, {
      controls: activeControls(deployment.config),
      resources: deployment,
      clients,
      now,
      remediatorRoleArn: remediatorRoleArn(deployment.config, account),
    });
    report(results);
    return results;
  },
  { use: [flushMetrics()] },
);

function report(results: IntakeResult[]): void {
  for (const result of results) {
    metrics.addMetric(metricNames[result.status], MetricUnit.Count, 1);
    switch (result.status) {
      case "malformed":
        logger.warn("malformed event", { ...result });
        break;
      case "error":
        logger.error("intake failed for a target", { ...result });
        break;
      default:
        logger.info(`intake ${result.status}`, { ...result });
    }
  }
}

function envelopeAccount(event: unknown): string {
  const account =
    typeof event === "object" && event !== null ? (event as { account?: unknown }).account : undefined;
  return typeof account === "string" ? account : "";
}
