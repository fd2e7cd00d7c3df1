import { SNSClient } from "@aws-sdk/client-sns";
import { buildClient } from "./plugins.js";

/** The on-call topic's service. */
export const sns = (region: string) => buildClient("sns", region, (c) => new SNSClient(c));
