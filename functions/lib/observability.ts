import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/** One logger and one metrics instance for every function, as Powertools recommends. */
export const logger = new Logger({ serviceName: "driftwarden" });
export const metrics = new Metrics({ namespace: "Driftwarden", serviceName: "driftwarden" });
