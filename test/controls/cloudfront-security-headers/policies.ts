import type { ResponseHeadersPolicyConfig } from "@aws-sdk/client-cloudfront";
import type { PolicyState } from "../../../functions/controls/cloudfront-security-headers/snapshot.js";
import { managedCorsWithPreflight, managedSecurityHeaders } from "../cloudfront/helpers.js";

/** Response headers policies as GetResponseHeadersPolicy reports them. */
export const customPolicyId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** AWS's Managed-SecurityHeadersPolicy, as the CloudFront guide lists its headers. */
export function securityHeadersPolicy(): PolicyState {
  return {
    id: managedSecurityHeaders,
    config: {
      Name: "Managed-SecurityHeadersPolicy",
      Comment: "Adds a set of security headers to every response",
      SecurityHeadersConfig: {
        XSSProtection: { Override: false, Protection: true, ModeBlock: true },
        FrameOptions: { Override: false, FrameOption: "SAMEORIGIN" },
        ReferrerPolicy: { Override: false, ReferrerPolicy: "strict-origin-when-cross-origin" },
        ContentTypeOptions: { Override: true },
        StrictTransportSecurity: {
          Override: false,
          IncludeSubdomains: false,
          Preload: false,
          AccessControlMaxAgeSec: 31_536_000,
        },
      },
    },
  };
}

/** A CORS-only managed policy: no security headers at all. */
export function corsPolicy(): PolicyState {
  return {
    id: managedCorsWithPreflight,
    config: {
      Name: "Managed-CORS-With-Preflight",
      CorsConfig: {
        AccessControlAllowOrigins: { Quantity: 1, Items: ["*"] },
        AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
        AccessControlAllowMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
        AccessControlAllowCredentials: false,
        OriginOverride: false,
      },
    },
  };
}

/** A team's own policy: HSTS for five minutes, a CSP and a custom header, no frame options. */
export function shortCustomPolicy(
  security: ResponseHeadersPolicyConfig["SecurityHeadersConfig"] = {
    StrictTransportSecurity: {
      Override: true,
      IncludeSubdomains: false,
      Preload: false,
      AccessControlMaxAgeSec: 300,
    },
    ContentTypeOptions: { Override: true },
    ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: "default-src 'self'" },
  },
): PolicyState {
  return {
    id: customPolicyId,
    config: {
      Name: "shop-headers",
      Comment: "what the shop team set up",
      SecurityHeadersConfig: security,
      CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Shop-Region", Value: "eu", Override: true }] },
    },
  };
}
