import { describe, expect, it } from "vitest";
import { detect, ownedState } from "../../../functions/controls/cloudfront-viewer-https/detector.js";
import { behavior, configWith, snapshotOf } from "../cloudfront/helpers.js";

describe("cloudfront-viewer-https detector", () => {
  it.each([
    {
      name: "the default behavior redirects, no ordered behaviors",
      config: configWith({ defaults: { ViewerProtocolPolicy: "redirect-to-https" } }),
      status: "compliant",
      message: /^distribution E1QSDF4EXAMPLE: all 1 cache behavior\(s\) require HTTPS/,
    },
    {
      name: "https-only everywhere",
      config: configWith({
        defaults: { ViewerProtocolPolicy: "https-only" },
        behaviors: [behavior("/api/*", { ViewerProtocolPolicy: "https-only" })],
      }),
      status: "compliant",
      message: /all 2 cache behavior\(s\) require HTTPS/,
    },
    {
      name: "the default behavior allows plain HTTP",
      config: configWith({ defaults: { ViewerProtocolPolicy: "allow-all" } }),
      status: "non-compliant",
      message: /^cache behaviors let viewers use plain HTTP: default \(allow-all\)$/,
    },
    {
      name: "one ordered behavior allows plain HTTP among secure ones",
      config: configWith({
        behaviors: [
          behavior("/api/*", { ViewerProtocolPolicy: "https-only" }),
          behavior("/img/*", { ViewerProtocolPolicy: "allow-all" }),
        ],
      }),
      status: "non-compliant",
      message: /^cache behaviors let viewers use plain HTTP: "\/img\/\*" \(allow-all\)$/,
    },
    {
      name: "the default and an ordered behavior both allow plain HTTP",
      config: configWith({
        defaults: { ViewerProtocolPolicy: "allow-all" },
        behaviors: [behavior("/legacy/*", { ViewerProtocolPolicy: "allow-all" })],
      }),
      status: "non-compliant",
      message: /default \(allow-all\), "\/legacy\/\*" \(allow-all\)$/,
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

  it("gives the same owned state whatever the behavior order, and another for other drift", () => {
    // Prepare
    const api = behavior("/api/*", { ViewerProtocolPolicy: "https-only" });
    const img = behavior("/img/*", { ViewerProtocolPolicy: "allow-all" });
    const states = [
      ownedState(snapshotOf(configWith({ behaviors: [api, img] }))),
      ownedState(snapshotOf(configWith({ behaviors: [img, api] }))),
      ownedState(
        snapshotOf(configWith({ behaviors: [api, { ...img, ViewerProtocolPolicy: "https-only" }] })),
      ),
    ];

    // Assess
    expect(states[0]).toEqual(states[1]);
    expect(states[0]).not.toEqual(states[2]);
  });
});
