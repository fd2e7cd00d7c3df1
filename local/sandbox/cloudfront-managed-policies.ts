import type { Json } from "./json.js";

/**
 * AWS's managed response headers policies: they exist in every account, under
 * the same ids, and cannot be changed. Ids and header values are those of
 * CloudFront's "Use managed response headers policies" page
 * (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html).
 * The page does not list the preflight members of the simple-CORS policies,
 * which the API requires: they hold wildcards here (a simple CORS response
 * never carries them, so nothing a viewer sees depends on them).
 */
export interface ManagedPolicy {
  Id: string;
  ETag: string;
  LastModifiedTime: Date;
  ResponseHeadersPolicyConfig: Json;
}

/** When CloudFront released response headers policies (and these managed ones). */
const RELEASED = new Date("2021-11-02T00:00:00Z");

/** SecurityHeadersPolicy: the origin's own header wins everywhere except X-Content-Type-Options. */
const securityHeaders = (): Json => ({
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
});

const simpleCors = (): Json => ({
  AccessControlAllowOrigins: { Quantity: 1, Items: ["*"] },
  AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
  AccessControlAllowMethods: { Quantity: 1, Items: ["ALL"] },
  AccessControlAllowCredentials: false,
  OriginOverride: false,
});

const preflightCors = (): Json => ({
  AccessControlAllowOrigins: { Quantity: 1, Items: ["*"] },
  AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
  AccessControlAllowMethods: {
    Quantity: 7,
    Items: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
  },
  AccessControlAllowCredentials: false,
  AccessControlExposeHeaders: { Quantity: 1, Items: ["*"] },
  OriginOverride: false,
});

function managed(id: string, etag: string, name: string, comment: string, config: Json): ManagedPolicy {
  return {
    Id: id,
    ETag: etag,
    LastModifiedTime: RELEASED,
    ResponseHeadersPolicyConfig: { Comment: comment, Name: name, ...config },
  };
}

export const MANAGED_SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** A fresh copy each time, so nothing a caller does to one can change AWS's policies. */
export function managedPolicies(): ManagedPolicy[] {
  return [
    managed(
      "60669652-455b-4ae9-85a4-c4c02393f86c",
      "E23ZP02F085DFQ",
      "Managed-SimpleCORS",
      "Allows all origins for simple CORS requests",
      { CorsConfig: simpleCors() },
    ),
    managed(
      "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
      "E1R7FMDXN2QFX4",
      "Managed-CORS-With-Preflight",
      "Allows all origins for CORS requests, including preflight requests",
      { CorsConfig: preflightCors() },
    ),
    managed(
      MANAGED_SECURITY_HEADERS_POLICY_ID,
      "E2QYUNCHN5AE1B",
      "Managed-SecurityHeadersPolicy",
      "Adds a set of security headers to every response",
      { SecurityHeadersConfig: securityHeaders() },
    ),
    managed(
      "e61eb60c-9c35-4d20-a928-2b84e02af89c",
      "E3HN1NQ4JN5ZTP",
      "Managed-CORS-and-SecurityHeadersPolicy",
      "Allows all origins for simple CORS requests, and adds a set of security headers to every response",
      { CorsConfig: simpleCors(), SecurityHeadersConfig: securityHeaders() },
    ),
    managed(
      "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
      "E1WGUJQ1X1F5DC",
      "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
      "Allows all origins for CORS requests, including preflight requests, and adds a set of security headers to every response",
      { CorsConfig: preflightCors(), SecurityHeadersConfig: securityHeaders() },
    ),
  ];
}

export const MANAGED_POLICY_IDS: ReadonlySet<string> = new Set(managedPolicies().map((p) => p.Id));
export const MANAGED_POLICY_NAMES: ReadonlySet<string> = new Set(
  managedPolicies().map((p) => String(p.ResponseHeadersPolicyConfig.Name)),
);
