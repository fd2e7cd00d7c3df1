import { SFNClient } from "@aws-sdk/client-sfn";
import { buildClient } from "./plugins.js";

/** Starts workflows and answers their task tokens. */
export const sfn = (region: string) => buildClient("sfn", region, (c) => new SFNClient(c));
