import {
  type ConfigProblem,
  enumProblem,
  invalidAt,
  type Path,
  quantitiesProblem,
} from "./cloudfront-problems.js";
import { isRecord, type Json } from "./json.js";

/**
 * The checks CloudFront makes on a ResponseHeadersPolicyConfig (Create and,
 * for a scenario, the policies its state holds): required members, enum
 * values, Quantity/Items, and the documented limits
 * (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html,
 * .../cloudfront-limits.html).
 */
export const FRAME_OPTIONS = ["DENY", "SAMEORIGIN"] as const;
export const REFERRER_POLICIES = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;
export const CORS_METHODS = ["ALL", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"] as const;

const MAX_CSP_LENGTH = 1783;
const MAX_CUSTOM_HEADERS = 10;
const MAX_REMOVE_HEADERS = 10;
const MAX_HEADER_NAME_LENGTH = 256;
const MAX_HEADER_VALUE_LENGTH = 1783;
const MAX_INT32 = 2_147_483_647;
/** Headers a policy may not remove: CloudFront needs them to speak HTTP. */
const UNREMOVABLE = [
  "connection",
  "content-encoding",
  "content-length",
  "expect",
  "host",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
  "warning",
  "x-accel-buffering",
  "x-accel-charset",
  "x-accel-limit-rate",
  "x-accel-redirect",
  "x-amzn-auth",
];

type Check = () => ConfigProblem | undefined;

function first(...checks: Check[]): ConfigProblem | undefined {
  for (const check of checks) {
    const found = check();
    if (found) return found;
  }
  return undefined;
}

function boolean(value: unknown, path: Path, required = true): ConfigProblem | undefined {
  if (value === undefined && !required) return undefined;
  return typeof value === "boolean" ? undefined : invalidAt(path, "is required and must be true or false");
}

function wholeNumber(value: unknown, path: Path, required: boolean): ConfigProblem | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_INT32)
    return undefined;
  return invalidAt(path, `must be a whole number of seconds from 0 to ${MAX_INT32}`);
}

function structure(value: unknown, path: Path): ConfigProblem | undefined {
  return isRecord(value) ? undefined : invalidAt(path, "is required");
}

function items(list: unknown): unknown[] {
  return isRecord(list) && Array.isArray(list.Items) ? list.Items : [];
}

function strings(list: unknown, path: Path, required: boolean): ConfigProblem | undefined {
  if (list === undefined && !required) return undefined;
  if (!isRecord(list)) return invalidAt(path, "is required");
  for (const [i, item] of items(list).entries()) {
    if (typeof item !== "string" || item === "")
      return invalidAt([...path, "Items", i], "must be a header name");
  }
  return undefined;
}

/** `*`, or a wildcard only as the leftmost label of a domain (`*.example.org`, `https://*.example.org`). */
function originProblem(origin: unknown, path: Path): ConfigProblem | undefined {
  if (typeof origin !== "string" || origin === "") return invalidAt(path, "must be an origin or *");
  if (origin === "*" || !origin.includes("*")) return undefined;
  const host = origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const leftmost = host.startsWith("*.") && !host.slice(2).includes("*") && host.slice(2).includes(".");
  return leftmost
    ? undefined
    : invalidAt(
        path,
        `'${origin}': a wildcard is allowed only as the leftmost part of a domain (*.example.org)`,
      );
}

function corsProblem(cors: unknown, at: Path): ConfigProblem | undefined {
  if (cors === undefined) return undefined;
  if (!isRecord(cors)) return invalidAt(at, "must be a structure");
  return first(
    () => structure(cors.AccessControlAllowOrigins, [...at, "AccessControlAllowOrigins"]),
    () => {
      const origins = items(cors.AccessControlAllowOrigins);
      if (origins.length === 0)
        return invalidAt([...at, "AccessControlAllowOrigins"], "must list at least one origin");
      for (const [i, origin] of origins.entries()) {
        const found = originProblem(origin, [...at, "AccessControlAllowOrigins", "Items", i]);
        if (found) return found;
      }
      return undefined;
    },
    () => strings(cors.AccessControlAllowHeaders, [...at, "AccessControlAllowHeaders"], true),
    () => structure(cors.AccessControlAllowMethods, [...at, "AccessControlAllowMethods"]),
    () => {
      const methods = items(cors.AccessControlAllowMethods);
      if (methods.length === 0)
        return invalidAt([...at, "AccessControlAllowMethods"], "must list at least one method");
      for (const [i, method] of methods.entries()) {
        const found = enumProblem(method, CORS_METHODS, [...at, "AccessControlAllowMethods", "Items", i]);
        if (found) return found;
      }
      return undefined;
    },
    () => boolean(cors.AccessControlAllowCredentials, [...at, "AccessControlAllowCredentials"]),
    () => strings(cors.AccessControlExposeHeaders, [...at, "AccessControlExposeHeaders"], false),
    () => wholeNumber(cors.AccessControlMaxAgeSec, [...at, "AccessControlMaxAgeSec"], false),
    () => boolean(cors.OriginOverride, [...at, "OriginOverride"]),
  );
}

function securityProblem(security: unknown, at: Path): ConfigProblem | undefined {
  if (security === undefined) return undefined;
  if (!isRecord(security)) return invalidAt(at, "must be a structure");
  const member = (name: string, check: (header: Json, path: Path) => ConfigProblem | undefined): Check => {
    return () => {
      const header = security[name];
      const path = [...at, name];
      if (header === undefined) return undefined;
      if (!isRecord(header)) return invalidAt(path, "must be a structure");
      return boolean(header.Override, [...path, "Override"]) ?? check(header, path);
    };
  };
  return first(
    member("XSSProtection", (xss, path) =>
      first(
        () => boolean(xss.Protection, [...path, "Protection"]),
        () => boolean(xss.ModeBlock, [...path, "ModeBlock"], false),
        () =>
          xss.ReportUri !== undefined && typeof xss.ReportUri !== "string"
            ? invalidAt([...path, "ReportUri"], "must be a URI")
            : undefined,
        () =>
          xss.ModeBlock === true && typeof xss.ReportUri === "string" && xss.ReportUri !== ""
            ? invalidAt([...path, "ReportUri"], "cannot be set together with ModeBlock true")
            : undefined,
      ),
    ),
    member("FrameOptions", (frame, path) =>
      enumProblem(frame.FrameOption, FRAME_OPTIONS, [...path, "FrameOption"]),
    ),
    member("ReferrerPolicy", (referrer, path) =>
      enumProblem(referrer.ReferrerPolicy, REFERRER_POLICIES, [...path, "ReferrerPolicy"]),
    ),
    member("ContentSecurityPolicy", (csp, path) => {
      const value = csp.ContentSecurityPolicy;
      const at = [...path, "ContentSecurityPolicy"];
      if (typeof value !== "string" || value === "") return invalidAt(at, "is required");
      if (value.length > MAX_CSP_LENGTH)
        return {
          kind: "csp-too-long",
          path: at,
          message: `is ${value.length} characters, at most ${MAX_CSP_LENGTH}`,
        };
      return undefined;
    }),
    member("ContentTypeOptions", () => undefined),
    member("StrictTransportSecurity", (hsts, path) =>
      first(
        () => wholeNumber(hsts.AccessControlMaxAgeSec, [...path, "AccessControlMaxAgeSec"], true),
        () => boolean(hsts.IncludeSubdomains, [...path, "IncludeSubdomains"], false),
        () => boolean(hsts.Preload, [...path, "Preload"], false),
      ),
    ),
  );
}

function serverTimingProblem(timing: unknown, at: Path): ConfigProblem | undefined {
  if (timing === undefined) return undefined;
  if (!isRecord(timing)) return invalidAt(at, "must be a structure");
  return first(
    () => boolean(timing.Enabled, [...at, "Enabled"]),
    () => {
      const rate = timing.SamplingRate;
      if (rate === undefined || (typeof rate === "number" && rate >= 0 && rate <= 100)) return undefined;
      return invalidAt([...at, "SamplingRate"], "must be a percentage from 0 to 100");
    },
  );
}

function customHeadersProblem(custom: unknown, at: Path): ConfigProblem | undefined {
  if (custom === undefined) return undefined;
  if (!isRecord(custom)) return invalidAt(at, "must be a structure");
  const headers = items(custom);
  if (headers.length > MAX_CUSTOM_HEADERS) {
    return {
      kind: "too-many-custom-headers",
      path: [...at, "Items"],
      message: `has ${headers.length}, at most ${MAX_CUSTOM_HEADERS}`,
    };
  }
  for (const [i, header] of headers.entries()) {
    const path = [...at, "Items", i];
    if (!isRecord(header)) return invalidAt(path, "must be a header");
    if (
      typeof header.Header !== "string" ||
      header.Header === "" ||
      header.Header.length > MAX_HEADER_NAME_LENGTH
    )
      return invalidAt(
        [...path, "Header"],
        `must be a header name of 1 to ${MAX_HEADER_NAME_LENGTH} characters`,
      );
    if (typeof header.Value !== "string" || header.Value.length > MAX_HEADER_VALUE_LENGTH)
      return invalidAt(
        [...path, "Value"],
        `must be a value of at most ${MAX_HEADER_VALUE_LENGTH} characters`,
      );
    const override = boolean(header.Override, [...path, "Override"]);
    if (override) return override;
  }
  return undefined;
}

function removeHeadersProblem(remove: unknown, at: Path): ConfigProblem | undefined {
  if (remove === undefined) return undefined;
  if (!isRecord(remove)) return invalidAt(at, "must be a structure");
  const headers = items(remove);
  if (headers.length > MAX_REMOVE_HEADERS) {
    return {
      kind: "too-many-remove-headers",
      path: [...at, "Items"],
      message: `has ${headers.length}, at most ${MAX_REMOVE_HEADERS}`,
    };
  }
  for (const [i, header] of headers.entries()) {
    const name = isRecord(header) ? header.Header : undefined;
    const path = [...at, "Items", i, "Header"];
    if (typeof name !== "string" || name === "") return invalidAt(path, "must be a header name");
    const lower = name.toLowerCase();
    if (UNREMOVABLE.includes(lower) || lower.startsWith("x-amz-cf-"))
      return invalidAt(path, `'${name}' cannot be removed by a response headers policy`);
  }
  return undefined;
}

export function responseHeadersPolicyConfigProblem(config: unknown): ConfigProblem | undefined {
  if (!isRecord(config)) return invalidAt([], "is required");
  return first(
    () => quantitiesProblem(config),
    () =>
      typeof config.Name === "string" && config.Name !== "" ? undefined : invalidAt(["Name"], "is required"),
    () =>
      config.Comment === undefined || typeof config.Comment === "string"
        ? undefined
        : invalidAt(["Comment"], "must be text"),
    () => corsProblem(config.CorsConfig, ["CorsConfig"]),
    () => securityProblem(config.SecurityHeadersConfig, ["SecurityHeadersConfig"]),
    () => serverTimingProblem(config.ServerTimingHeadersConfig, ["ServerTimingHeadersConfig"]),
    () => customHeadersProblem(config.CustomHeadersConfig, ["CustomHeadersConfig"]),
    () => removeHeadersProblem(config.RemoveHeadersConfig, ["RemoveHeadersConfig"]),
  );
}
