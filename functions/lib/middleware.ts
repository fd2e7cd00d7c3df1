import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { logger, metrics } from "./observability.js";

/**
 * Every driftwarden Lambda: Powertools context logging and metrics first,
 * the plain business function last.
 */
export function lambda<TEvent, TResult>(
  fn: (event: TEvent) => Promise<TResult>,
  options: { metrics?: boolean } = {},
) {
  const handler = middy<TEvent, TResult, Error, Context>().use(
    injectLambdaContext(logger, { clearState: true }),
  );
  // Only functions that emit metrics flush them; the others would log "no metrics" on every call.
  if (options.metrics) handler.use(logMetrics(metrics));
  return handler.handler(async (event) => fn(event));
}
