import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/cloudfront-tls-to-origin/planner.js";
import {
  assessRisk,
  isS3WebsiteEndpoint,
} from "../../../functions/controls/cloudfront-tls-to-origin/risk.js";
import type { OriginProbe, ProbeResult } from "../../../functions/controls/types.js";
import { configWith, context, customOrigin, snapshotOf } from "./helpers.js";

function probeSeeing(results: Record<string, ProbeResult>): OriginProbe & { calls: string[] } {
  const calls: string[] = [];
  const probe = async ({ host, port }: { host: string; port: number }) => {
    calls.push(`${host}:${port}`);
    return results[host] ?? { status: "unreachable" as const, detail: "not in the test table" };
  };
  return Object.assign(probe, { calls });
}

const ok: ProbeResult = { status: "ok", protocol: "TLSv1.3", detail: "TLSv1.3; certificate CN=origin" };

describe("cloudfront-tls-to-origin risk", () => {
  it.each([
    "my-bucket.s3-website-eu-west-1.amazonaws.com",
    "my-bucket.s3-website.eu-central-1.amazonaws.com",
    "www.example.org.s3-website-us-east-1.amazonaws.com",
  ])("blocks the fix for the S3 website endpoint %s without probing", async (domainName) => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({
        origins: [
          customOrigin("site", domainName, "http-only"),
          customOrigin("api", "api.example.org", "http-only"),
        ],
      }),
    );
    const probe = probeSeeing({ "api.example.org": ok });

    // Act
    const [risk = { level: "none", reasons: [] }] = await assessRisk(
      snapshot,
      plan(snapshot),
      context(probe),
    );

    // Assess
    expect(risk.level).toBe("blocked");
    expect(risk.reasons).toHaveLength(1);
    expect(risk.reasons[0]).toContain(`origin "site" (${domainName}) is an S3 website endpoint`);
    expect(risk.reasons[0]).toContain("cannot serve HTTPS");
    expect(probe.calls).toEqual([]);
  });

  it.each([
    ["my-bucket.s3.eu-west-1.amazonaws.com", false],
    ["my-bucket.s3-website-eu-west-1.amazonaws.com", true],
    ["my-bucket.s3-website.ap-southeast-2.amazonaws.com", true],
    ["s3-website.example.org", false],
    ["api.example.org", false],
  ])("recognises %s as S3 website endpoint: %s", (domainName, expected) => {
    // Prepare / Act
    const result = isS3WebsiteEndpoint(domainName);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    {
      seen: { status: "invalid-certificate", detail: "expired certificate (CERT_HAS_EXPIRED)" },
      reason:
        'origin "api" (api.example.org:443): certificate problem - expired certificate (CERT_HAS_EXPIRED)',
    },
    {
      seen: { status: "tls-too-old", detail: "refused TLS 1.2+" },
      reason: 'origin "api" (api.example.org:443): protocol too old - refused TLS 1.2+',
    },
    {
      seen: { status: "no-https", detail: "plain HTTP on 443" },
      reason: 'origin "api" (api.example.org:443): no TLS - plain HTTP on 443',
    },
    {
      seen: { status: "unreachable", detail: "ECONNREFUSED" },
      reason: 'origin "api" (api.example.org:443): unreachable - ECONNREFUSED',
    },
  ] as Array<{ seen: ProbeResult; reason: string }>)(
    "asks on-call when the probe sees $seen.status",
    async ({ seen, reason }) => {
      // Prepare
      const snapshot = snapshotOf(
        configWith({
          origins: [
            customOrigin("api", "api.example.org", "http-only"),
            customOrigin("web", "web.example.org", "https-only", ["TLSv1", "TLSv1.2"], 8443),
          ],
        }),
      );
      const probe = probeSeeing({ "api.example.org": seen, "web.example.org": ok });

      // Act
      const [risk = { level: "none", reasons: [] }] = await assessRisk(
        snapshot,
        plan(snapshot),
        context(probe),
      );

      // Assess
      expect(risk).toEqual({ level: "approval", reasons: [reason] });
      expect(probe.calls.sort()).toEqual(["api.example.org:443", "web.example.org:8443"]);
    },
  );

  it("fixes automatically when every offending origin passes the probe, and probes only offending ones", async () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({
        origins: [
          customOrigin("api", "api.example.org", "http-only"),
          customOrigin("fine", "fine.example.org", "https-only"),
        ],
      }),
    );
    const probe = probeSeeing({ "api.example.org": ok });

    // Act
    const [risk = { level: "none", reasons: [] }] = await assessRisk(
      snapshot,
      plan(snapshot),
      context(probe),
    );

    // Assess
    expect(risk).toEqual({ level: "automatic", reasons: [] });
    expect(probe.calls).toEqual(["api.example.org:443"]);
  });

  it("asks on-call when there is no probe", async () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({ origins: [customOrigin("api", "api.example.org", "http-only")] }),
    );

    // Act
    const [risk = { level: "none", reasons: [] }] = await assessRisk(snapshot, plan(snapshot), context());

    // Assess
    expect(risk.level).toBe("approval");
    expect(risk.reasons).toEqual([expect.stringContaining("origin could not be probed")]);
  });

  it("asks on-call when the probe itself fails", async () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({ origins: [customOrigin("api", "api.example.org", "http-only")] }),
    );
    const probe: OriginProbe = async () => {
      throw new Error("probe crashed");
    };

    // Act
    const [risk = { level: "none", reasons: [] }] = await assessRisk(
      snapshot,
      plan(snapshot),
      context(probe),
    );

    // Assess
    expect(risk).toEqual({
      level: "approval",
      reasons: ['origin "api" (api.example.org:443): origin could not be probed: probe crashed'],
    });
  });
});
