import { WAFV2Client } from "@aws-sdk/client-wafv2";
import { buildClient } from "./plugins.js";

/** Web ACLs of CloudFront scope are managed through us-east-1; regional ones in their region. */
export const wafv2 = (region: string) => buildClient("wafv2", region, (c) => new WAFV2Client(c));
