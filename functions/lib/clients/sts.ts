import { STSClient } from "@aws-sdk/client-sts";
import { buildClient } from "./plugins.js";

/** Who the caller is: only the CLI asks. */
export const sts = (region: string) => buildClient("sts", region, (c) => new STSClient(c));
