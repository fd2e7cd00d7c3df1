import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { buildClient } from "./plugins.js";

/** CloudFront is global; its API lives in us-east-1. */
export const cloudfront = () => buildClient("cloudfront", "us-east-1", (c) => new CloudFrontClient(c));
