import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";

/**
 * One metrics instance for the functions that emit metrics (intake, sweep,
 * audit); the others do not bundle Powertools metrics at all.
 */
export const metrics = new Metrics({ namespace: "Driftwarden", serviceName: "driftwarden" });

/** Flushes what a handler added when it returns; a function emitting only single metrics needs none. */
export const flushMetrics = () => logMetrics(metrics);
