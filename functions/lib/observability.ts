import { Logger } from "@aws-lambda-powertools/logger";

/** One logger for every function, as Powertools recommends; metrics live in metrics.ts, for the functions that emit them. */
export const logger = new Logger({ serviceName: "driftwarden" });
