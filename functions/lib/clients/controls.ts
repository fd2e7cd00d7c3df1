import { cloudfront } from "./cloudfront.js";
import { elbv2 } from "./elbv2.js";
import { wafv2 } from "./wafv2.js";

/**
 * The clients controls call through `ControlContext.clients`: the services
 * their read and fix actions belong to, and nothing a function that runs no
 * control would have to bundle.
 */
export const controlClients = { elbv2, cloudfront, wafv2 };

export type ControlClients = typeof controlClients;
