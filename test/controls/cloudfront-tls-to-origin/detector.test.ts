import { describe, expect, it } from "vitest";
import { detect, ownedState } from "../../../functions/controls/cloudfront-tls-to-origin/detector.js";
import {
  baseConfig,
  behavior,
  configWith,
  customOrigin,
  originGroup,
  s3Origin,
  snapshotOf,
} from "./helpers.js";

describe("cloudfront-tls-to-origin detector", () => {
  it.each([
    {
      name: "https-only with TLSv1.2 only",
      config: configWith({ origins: [customOrigin("api", "api.example.org", "https-only")] }),
      status: "compliant",
      message: /all 1 custom origin\(s\) use HTTPS with TLSv1.2 only/,
    },
    {
      name: "http-only",
      config: configWith({ origins: [customOrigin("api", "api-origin.example.org", "http-only")] }),
      status: "non-compliant",
      message: /^origin "api" \(api-origin\.example\.org\): OriginProtocolPolicy is http-only$/,
    },
    {
      name: "http-only and old protocols (the message names both fields and their values)",
      config: configWith({
        origins: [
          customOrigin("api", "api-origin.example.org", "http-only", ["TLSv1", "TLSv1.1", "TLSv1.2"]),
        ],
      }),
      status: "non-compliant",
      message:
        /^origin "api" \(api-origin\.example\.org\): OriginProtocolPolicy is http-only; OriginSslProtocols allows TLSv1, TLSv1\.1$/,
    },
    {
      name: "match-viewer where every behavior redirects or requires HTTPS",
      config: configWith({
        origins: [customOrigin("app", "app.example.org", "match-viewer")],
        defaultBehavior: { target: "app", viewer: "redirect-to-https" },
        behaviors: [behavior("/api/*", "app", "https-only")],
      }),
      status: "compliant",
      message: /use HTTPS/,
    },
    {
      name: "match-viewer with an allow-all behavior",
      config: configWith({
        origins: [customOrigin("app", "app.example.org", "match-viewer")],
        defaultBehavior: { target: "app", viewer: "redirect-to-https" },
        behaviors: [behavior("/img/*", "app", "allow-all")],
      }),
      status: "non-compliant",
      message:
        /^origin "app" \(app\.example\.org\): OriginProtocolPolicy is match-viewer and cache behaviors let HTTP viewers through: "\/img\/\*" \(allow-all\)$/,
    },
    {
      name: "match-viewer reached through an origin group by an allow-all default behavior",
      config: configWith({
        origins: [
          customOrigin("primary", "primary.example.org", "https-only"),
          customOrigin("backup", "backup.example.org", "match-viewer"),
        ],
        groups: [originGroup("failover", ["primary", "backup"])],
        defaultBehavior: { target: "failover", viewer: "allow-all" },
      }),
      status: "non-compliant",
      message: /^origin "backup" \(backup\.example\.org\): .*match-viewer.*default \(allow-all\)$/,
    },
    {
      name: "match-viewer in an origin group whose behaviors are all HTTPS",
      config: configWith({
        origins: [
          customOrigin("primary", "primary.example.org", "https-only"),
          customOrigin("backup", "backup.example.org", "match-viewer"),
        ],
        groups: [originGroup("failover", ["primary", "backup"])],
        defaultBehavior: { target: "failover", viewer: "https-only" },
        behaviors: [behavior("/legacy/*", "primary", "allow-all")],
      }),
      status: "compliant",
      message: /all 2 custom origin/,
    },
    {
      name: "TLSv1 next to TLSv1.2",
      config: configWith({
        origins: [customOrigin("api", "api.example.org", "https-only", ["TLSv1", "TLSv1.2"])],
      }),
      status: "non-compliant",
      message: /^origin "api" \(api\.example\.org\): OriginSslProtocols allows TLSv1$/,
    },
    {
      name: "S3 REST origin only",
      config: configWith({ origins: [s3Origin("assets", "assets-bucket")] }),
      status: "compliant",
      message: /has no custom or VPC origin \(S3 REST origins always use HTTPS\)/,
    },
    {
      name: "one bad origin among several",
      config: configWith({
        origins: [
          s3Origin("assets", "assets-bucket"),
          customOrigin("api", "api.example.org", "https-only"),
          customOrigin("legacy", "legacy.example.org", "https-only", ["SSLv3", "TLSv1.2"]),
          customOrigin("shop", "shop.example.org", "match-viewer"),
        ],
        defaultBehavior: { target: "api", viewer: "allow-all" },
        behaviors: [
          behavior("/shop/*", "shop", "redirect-to-https"),
          behavior("/legacy/*", "legacy", "allow-all"),
        ],
      }),
      status: "non-compliant",
      message: /^origin "legacy" \(legacy\.example\.org\): OriginSslProtocols allows SSLv3$/,
    },
  ])("$name -> $status", ({ config, status, message }) => {
    // Prepare
    const snapshot = snapshotOf(config);

    // Act
    const finding = detect(snapshot);

    // Assess
    expect(finding.status).toBe(status);
    expect(finding.message).toMatch(message);
  });

  it("names every offending origin, and only those, when several offend", () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({
        origins: [
          customOrigin("a", "a.example.org", "http-only"),
          customOrigin("ok", "ok.example.org", "https-only"),
          customOrigin("b", "b.example.org", "https-only", ["TLSv1.1"]),
        ],
      }),
    );

    // Act
    const finding = detect(snapshot);

    // Assess
    expect(finding.message).toBe(
      'origin "a" (a.example.org): OriginProtocolPolicy is http-only | origin "b" (b.example.org): OriginSslProtocols allows TLSv1.1',
    );
  });

  it("judges the shared scenario's distribution compliant", () => {
    // Prepare
    const snapshot = snapshotOf(baseConfig());

    // Act
    const finding = detect(snapshot);

    // Assess
    expect(finding.status).toBe("compliant");
  });

  it("gives the same owned state for the same drift whatever the origin order, and a different one for other drift", () => {
    // Prepare
    const a = customOrigin("a", "a.example.org", "http-only", ["TLSv1.2", "TLSv1.1"]);
    const b = customOrigin("b", "b.example.org", "match-viewer");
    const one = snapshotOf(
      configWith({ origins: [a, b], defaultBehavior: { target: "b", viewer: "allow-all" } }),
    );
    const reordered = snapshotOf(
      configWith({ origins: [b, a], defaultBehavior: { target: "b", viewer: "allow-all" } }),
      { etag: "EOTHER", status: "InProgress" },
    );
    const otherDrift = snapshotOf(
      configWith({ origins: [a, b], defaultBehavior: { target: "b", viewer: "redirect-to-https" } }),
    );

    // Act
    const states = [ownedState(one), ownedState(reordered), ownedState(otherDrift)];

    // Assess
    expect(states[0]).toEqual(states[1]);
    expect(states[0]).not.toEqual(states[2]);
    expect(states[0]).toEqual([
      {
        Id: "a",
        OriginProtocolPolicy: "http-only",
        OriginSslProtocols: ["TLSv1.1", "TLSv1.2"],
        ViewerProtocolPolicies: [],
      },
      {
        Id: "b",
        OriginProtocolPolicy: "match-viewer",
        OriginSslProtocols: ["TLSv1.2"],
        ViewerProtocolPolicies: ["default=allow-all"],
      },
    ]);
  });
});
