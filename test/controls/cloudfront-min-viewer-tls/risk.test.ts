import { describe, expect, it } from "vitest";
import { settings } from "../../../functions/controls/cloudfront-min-viewer-tls/metadata.js";
import { plan } from "../../../functions/controls/cloudfront-min-viewer-tls/planner.js";
import { assessRisk } from "../../../functions/controls/cloudfront-min-viewer-tls/risk.js";
import { acmCertificate, configWith, snapshotOf } from "../cloudfront/helpers.js";

function risk(live: string, target: string, method = "sni-only") {
  const snapshot = snapshotOf(configWith({ viewerCertificate: acmCertificate(live, method) }));
  const [assessment] = assessRisk(
    snapshot,
    plan(snapshot, settings.parse({ minimumProtocolVersion: target })),
  );
  return assessment;
}

describe("cloudfront-min-viewer-tls risk: who loses access", () => {
  it.each([
    {
      from: "TLSv1",
      to: "TLSv1.2_2021",
      says: [
        /TLSv1 still lets viewers connect with TLS 1\.0/,
        /Android 4\.3 and older, Internet Explorer 10 and older/,
        /Java 6 and Java 7/,
        /Internet Explorer 11 on Windows 7 and 8\.1/,
      ],
    },
    {
      from: "TLSv1.1_2016",
      to: "TLSv1.2_2018",
      says: [/with TLS 1\.1; TLSv1\.2_2018 requires TLS 1\.2 or newer/],
    },
    {
      from: "TLSv1.2_2019",
      to: "TLSv1.2_2021",
      says: [/only with ECDHE key exchange and AES-GCM or ChaCha20/],
    },
    {
      from: "TLSv1.2_2021",
      to: "TLSv1.3_2025",
      says: [/refuses TLS 1\.2 entirely/, /Java 8 before 8u261/],
    },
    {
      from: "TLSv1.2_2021",
      to: "TLSv1.2_2025",
      says: [/removes the ChaCha20 ciphers/],
    },
  ])("$from -> $to asks on-call, naming the clients", ({ from, to, says }) => {
    // Act
    const assessment = risk(from, to);

    // Assess
    expect(assessment?.level).toBe("approval");
    expect(assessment?.reasons[0]).toBe(
      `raising the minimum from ${from} to ${to} cuts off the viewers only the old policy let in`,
    );
    for (const pattern of says) expect(assessment?.reasons.join("\n")).toMatch(pattern);
  });

  it("does not blame TLS 1.0 for a move between TLS 1.2 policies", () => {
    // Act
    const assessment = risk("TLSv1.2_2019", "TLSv1.2_2021");

    // Assess
    expect(assessment?.reasons.join("\n")).not.toMatch(/Android 4\.3/);
  });

  it.each(["vip", "static-ip"])(
    "blocks a %s certificate, which CloudFront limits to SSLv3 or TLSv1",
    (method) => {
      // Act
      const assessment = risk("TLSv1", "TLSv1.2_2021", method);

      // Assess
      expect(assessment).toEqual({
        level: "blocked",
        reasons: [
          expect.stringMatching(
            new RegExp(`SSLSupportMethod ${method}.*only SSLv3 or TLSv1.*sni-only.*AWS Support`),
          ),
        ],
      });
    },
  );
});
