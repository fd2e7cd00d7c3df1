import { describe, expect, it } from "vitest";
import { plan } from "../../../functions/controls/cloudfront-viewer-https/planner.js";
import { assessRisk } from "../../../functions/controls/cloudfront-viewer-https/risk.js";
import { acmCertificate, configWith, defaultCertificate, snapshotOf } from "../cloudfront/helpers.js";

describe("cloudfront-viewer-https risk", () => {
  it.each([
    {
      name: "aliases on the account's own certificate",
      shape: { aliases: ["www.example.org"], viewerCertificate: acmCertificate("TLSv1.2_2021") },
      level: "automatic",
    },
    {
      name: "no aliases on CloudFront's default certificate (viewers use *.cloudfront.net)",
      shape: { aliases: [], viewerCertificate: defaultCertificate },
      level: "automatic",
    },
    {
      name: "aliases on CloudFront's default certificate",
      shape: { aliases: ["shop.example.com", "www.example.com"], viewerCertificate: defaultCertificate },
      level: "approval",
    },
  ])("$name -> $level", ({ shape, level }) => {
    // Prepare
    const snapshot = snapshotOf(configWith({ ...shape, defaults: { ViewerProtocolPolicy: "allow-all" } }));

    // Act
    const [risk] = assessRisk(snapshot, plan(snapshot));

    // Assess
    expect(risk?.level).toBe(level);
    expect(risk?.reasons.length === 0).toBe(level === "automatic");
  });

  it("tells on-call what the redirect does to viewers of the aliases and to HTTP-only clients", () => {
    // Prepare
    const snapshot = snapshotOf(
      configWith({
        aliases: ["shop.example.com"],
        viewerCertificate: defaultCertificate,
        defaults: { ViewerProtocolPolicy: "allow-all" },
      }),
    );

    // Act
    const [risk] = assessRisk(snapshot, plan(snapshot));

    // Assess
    expect(risk?.reasons).toEqual([
      expect.stringMatching(/shop\.example\.com with CloudFront's default certificate.*certificate error/),
      expect.stringMatching(/301 to the https:\/\/ URL.*do not follow redirects.*stop working/),
    ]);
  });
});
