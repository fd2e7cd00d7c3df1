import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { Context } from "aws-lambda";
import { logger } from "./observability.js";

/**
 * Every driftwarden Lambda: Powertools context logging first, then the
 * function's own middleware (a metrics flush, where it emits metrics), the
 * plain business function last.
 */
export function lambda<TEvent, TResult>(
  fn: (event: TEvent) => Promise<TResult>,
  options: { use?: MiddlewareObj<TEvent, TResult, Error, Context>[] } = {},
) {
  const handler = middy<TEvent, TResult, Error, Context>().use(
    injectLambdaContext(logger, { clearState: true }),
  );
  for (const middleware of options.use ?? []) handler.use(middleware);
  return handler.handler(async (event) => fn(event));
}
