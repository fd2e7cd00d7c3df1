import type { ResponseHeadersPolicyConfig } from "@aws-sdk/client-cloudfront";

/** HSTS for at least a year, what browsers' preload lists and most baselines ask for. */
export const minimumHstsSeconds = 31_536_000;

export interface HeaderRequirements {
  requireIncludeSubdomains: boolean;
}

/** What a policy lacks of the three headers, one phrase each; empty when it sends them all. */
export function shortfalls(config: ResponseHeadersPolicyConfig, required: HeaderRequirements): string[] {
  const security = config.SecurityHeadersConfig;
  const missing: string[] = [];
  const hsts = security?.StrictTransportSecurity;
  if (!hsts) missing.push("no Strict-Transport-Security");
  else {
    const maxAge = hsts.AccessControlMaxAgeSec ?? 0;
    if (maxAge < minimumHstsSeconds) {
      missing.push(`Strict-Transport-Security max-age ${maxAge} s, under ${minimumHstsSeconds} (one year)`);
    }
    if (required.requireIncludeSubdomains && hsts.IncludeSubdomains !== true) {
      missing.push("Strict-Transport-Security without includeSubDomains");
    }
  }
  if (!security?.ContentTypeOptions) missing.push("no X-Content-Type-Options");
  if (!security?.FrameOptions) missing.push("no X-Frame-Options");
  return missing;
}

/** What a policy sends besides the three security headers: what a viewer loses when it is replaced. */
export function otherHeaders(config: ResponseHeadersPolicyConfig): string[] {
  const security = config.SecurityHeadersConfig;
  const other: string[] = [];
  if (config.CorsConfig) other.push("CORS headers (Access-Control-Allow-*)");
  if (security?.ContentSecurityPolicy) other.push("Content-Security-Policy");
  if (security?.ReferrerPolicy) other.push("Referrer-Policy");
  if (security?.XSSProtection) other.push("X-XSS-Protection");
  for (const header of config.CustomHeadersConfig?.Items ?? []) other.push(`custom header ${header.Header}`);
  for (const header of config.RemoveHeadersConfig?.Items ?? []) other.push(`removal of ${header.Header}`);
  if (config.ServerTimingHeadersConfig?.Enabled) other.push("Server-Timing");
  return other;
}

/**
 * What each of the three headers does to the viewers of `hosts`, from the
 * values the policy sends: the reasons on-call weighs before attaching it.
 */
export function viewerEffects(config: ResponseHeadersPolicyConfig, hosts: string[]): string[] {
  const security = config.SecurityHeadersConfig;
  const effects: string[] = [];
  const names = hosts.join(", ");
  const hsts = security?.StrictTransportSecurity;
  if (hsts) {
    const value = [
      `max-age=${hsts.AccessControlMaxAgeSec ?? 0}`,
      ...(hsts.IncludeSubdomains ? ["includeSubDomains"] : []),
      ...(hsts.Preload ? ["preload"] : []),
    ].join("; ");
    effects.push(
      `Strict-Transport-Security ${value}: a browser that has seen it refuses plain HTTP to ${names}` +
        `${hsts.IncludeSubdomains ? " and every subdomain" : ""} until max-age runs out, so http:// links and ` +
        "subdomains without a valid certificate stop loading for it, and removing the header later does not undo that",
    );
  }
  const frame = security?.FrameOptions?.FrameOption;
  if (frame) {
    effects.push(
      frame === "DENY"
        ? "X-Frame-Options DENY: no page, not even the site's own, can show these pages in a frame (embeds and iframes break)"
        : "X-Frame-Options SAMEORIGIN: other sites can no longer show these pages in a frame (embeds in partner sites, portals or widgets break)",
    );
  }
  if (security?.ContentTypeOptions) {
    effects.push(
      "X-Content-Type-Options nosniff: browsers stop guessing content types, so a script or stylesheet served " +
        "with a wrong Content-Type is refused",
    );
  }
  const kept = [
    hsts && hsts.Override === false ? "Strict-Transport-Security" : undefined,
    security?.FrameOptions?.Override === false ? "X-Frame-Options" : undefined,
    security?.ContentTypeOptions?.Override === false ? "X-Content-Type-Options" : undefined,
  ].filter((header): header is string => header !== undefined);
  if (kept.length > 0) {
    effects.push(
      `where the origin sends its own ${kept.join(" or ")}, its value is kept (the policy does not override it)`,
    );
  }
  return effects;
}
