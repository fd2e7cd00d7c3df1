import { cloudfront } from "./clients/cloudfront.js";
import { config } from "./clients/config.js";
import { dynamo } from "./clients/dynamo.js";
import { elbv2 } from "./clients/elbv2.js";
import { kms } from "./clients/kms.js";
import { sfn } from "./clients/sfn.js";
import { sns } from "./clients/sns.js";
import { sts } from "./clients/sts.js";
import { wafv2 } from "./clients/wafv2.js";

/**
 * Every AWS client at once, for the CLI, the local runtime and tests. Deployed
 * functions import the per-service modules in ./clients/ instead, so each
 * bundles only the SDK clients of the services it calls; the plugins of
 * `useClientPlugin` reach clients made either way.
 */
export {
  type ClientPluginRegistration,
  type ClientTarget,
  maxAttempts,
  type ServiceName,
  useClientPlugin,
  useDynamoEndpoint,
} from "./clients/plugins.js";

export const clients = { elbv2, cloudfront, sns, sts, sfn, kms, wafv2, config, dynamo };

export type Clients = typeof clients;
