import { KMSClient } from "@aws-sdk/client-kms";
import { buildClient } from "./plugins.js";

/** MACs approval links and signs audit seals. */
export const kms = (region: string) => buildClient("kms", region, (c) => new KMSClient(c));
