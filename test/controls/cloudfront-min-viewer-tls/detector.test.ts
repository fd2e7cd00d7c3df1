import { describe, expect, it } from "vitest";
import { detect } from "../../../functions/controls/cloudfront-min-viewer-tls/detector.js";
import { settings } from "../../../functions/controls/cloudfront-min-viewer-tls/metadata.js";
import { acmCertificate, configWith, defaultCertificate, snapshotOf } from "../cloudfront/helpers.js";

const defaults = settings.parse({});

describe("cloudfront-min-viewer-tls detector", () => {
  it.each([
    {
      name: "ACM certificate, sni-only, TLSv1.2_2021",
      certificate: acmCertificate("TLSv1.2_2021"),
      status: "compliant",
      message: /security policy TLSv1\.2_2021 \(sni-only\) is TLSv1\.2_2021 or newer$/,
    },
    {
      name: "ACM certificate, sni-only, TLSv1.3_2025 (newer than required)",
      certificate: acmCertificate("TLSv1.3_2025"),
      status: "compliant",
      message: /TLSv1\.3_2025/,
    },
    {
      name: "IAM certificate, sni-only, TLSv1.2_2025",
      certificate: {
        CloudFrontDefaultCertificate: false,
        IAMCertificateId: "ASCAJXF5XUDJD6EXAMPLE",
        SSLSupportMethod: "sni-only" as const,
        MinimumProtocolVersion: "TLSv1.2_2025" as const,
        Certificate: "ASCAJXF5XUDJD6EXAMPLE",
        CertificateSource: "iam" as const,
      },
      status: "compliant",
      message: /TLSv1\.2_2025/,
    },
    {
      name: "ACM certificate, sni-only, TLSv1 (the console's old default)",
      certificate: acmCertificate("TLSv1"),
      status: "non-compliant",
      message:
        /^viewer certificate: MinimumProtocolVersion is TLSv1, older than TLSv1\.2_2021 \(controls\.cloudfront-min-viewer-tls\.minimumProtocolVersion\)$/,
    },
    {
      name: "ACM certificate, sni-only, TLSv1.2_2019 (TLS 1.2 with CBC ciphers)",
      certificate: acmCertificate("TLSv1.2_2019"),
      status: "non-compliant",
      message: /MinimumProtocolVersion is TLSv1\.2_2019, older than TLSv1\.2_2021/,
    },
    {
      name: "dedicated IP (vip) with TLSv1",
      certificate: acmCertificate("TLSv1", "vip"),
      status: "non-compliant",
      message: /MinimumProtocolVersion is TLSv1,/,
    },
    {
      name: "static-ip with a modern policy",
      certificate: acmCertificate("TLSv1.2_2021", "static-ip"),
      status: "non-compliant",
      message: /^viewer certificate: SSLSupportMethod is static-ip, not sni-only or vip$/,
    },
    {
      name: "CloudFront's default certificate",
      certificate: defaultCertificate,
      status: "not-applicable",
      message: /serves CloudFront's default certificate \(\*\.cloudfront\.net\)/,
    },
    {
      name: "a security policy newer than driftwarden knows",
      certificate: acmCertificate("TLSv1.3_2030"),
      status: "not-applicable",
      message: /uses security policy TLSv1\.3_2030, which driftwarden does not know/,
    },
  ])("$name -> $status", ({ certificate, status, message }) => {
    // Prepare
    const snapshot = snapshotOf(configWith({ viewerCertificate: certificate }));

    // Act
    const finding = detect(snapshot, defaults);

    // Assess
    expect(finding.status).toBe(status);
    expect(finding.message).toMatch(message);
  });

  it.each([
    ["TLSv1.2_2019", "TLSv1.2_2018", "compliant"],
    ["TLSv1.2_2021", "TLSv1.2_2025", "non-compliant"],
    ["TLSv1.2_2025", "TLSv1.3_2025", "non-compliant"],
  ])("with %s live and %s required: %s", (live, required, status) => {
    // Prepare
    const snapshot = snapshotOf(configWith({ viewerCertificate: acmCertificate(live) }));

    // Act
    const finding = detect(snapshot, settings.parse({ minimumProtocolVersion: required }));

    // Assess
    expect(finding.status).toBe(status);
  });

  it("refuses a setting that is not a TLS 1.2 or newer policy", () => {
    // Act
    const parsed = settings.safeParse({ minimumProtocolVersion: "TLSv1.1_2016" });

    // Assess
    expect(parsed.success).toBe(false);
  });
});
