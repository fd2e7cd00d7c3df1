import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { buildClient } from "./plugins.js";

/** AWS Config: recorded resources and rule compliance. */
export const config = (region: string) => buildClient("config", region, (c) => new ConfigServiceClient(c));
