import {
  CloudFrontServiceException,
  CreateDistributionCommand,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type ViewerCertificate,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { cloudFrontState, DISTRIBUTION, failure, plugged, shopState } from "./helpers.js";

const cloudfront = () => clients.cloudfront();

const SHOP_CERT = "arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
const PENDING_CERT = "arn:aws:acm:us-east-1:111122223333:certificate/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const EU_CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-4697-8877-665544332211";
const OTHER_ACCOUNT_CERT =
  "arn:aws:acm:us-east-1:444455556666:certificate/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
const UNLISTED_CERT = "arn:aws:acm:us-east-1:111122223333:certificate/77777777-8888-4999-8aaa-bbbbbbbbbbbb";

const CERTIFICATES = {
  certificates: [
    {
      CertificateArn: SHOP_CERT,
      DomainName: "www.example.org",
      SubjectAlternativeNames: ["www.example.org", "example.org", "*.shop.example.org"],
      Status: "ISSUED",
    },
    { CertificateArn: PENDING_CERT, DomainName: "new.example.org", Status: "PENDING_VALIDATION" },
    { CertificateArn: EU_CERT, DomainName: "new.example.org", Status: "ISSUED" },
  ],
};

/** The storefront (alias www.example.org, the shop certificate with sni-only and TLSv1.2_2021), certificates described. */
function withCertificates() {
  return plugged({ state: cloudFrontState({}, { acm: CERTIFICATES }) });
}

async function current() {
  const { DistributionConfig, ETag } = await cloudfront().send(
    new GetDistributionConfigCommand({ Id: DISTRIBUTION }),
  );
  return { config: DistributionConfig as DistributionConfig, etag: ETag as string };
}

async function update(edit: (config: DistributionConfig) => void) {
  const { config, etag } = await current();
  edit(config);
  return cloudfront().send(
    new UpdateDistributionCommand({ Id: DISTRIBUTION, IfMatch: etag, DistributionConfig: config }),
  );
}

const addAlias = (alias: string) => (c: DistributionConfig) => {
  const items = [...(c.Aliases?.Items ?? []), alias];
  c.Aliases = { Quantity: items.length, Items: items };
};
const certificate = (viewer: ViewerCertificate) => (c: DistributionConfig) => {
  c.ViewerCertificate = viewer;
};
const acm = (arn: string, method = "sni-only", policy = "TLSv1.2_2021"): ViewerCertificate =>
  ({ ACMCertificateArn: arn, SSLSupportMethod: method, MinimumProtocolVersion: policy }) as ViewerCertificate;
const both =
  (...edits: ((c: DistributionConfig) => void)[]) =>
  (c: DistributionConfig) => {
    for (const edit of edits) edit(c);
  };

describe("a distribution's viewer certificate and aliases", () => {
  it.each([
    ["an alias the certificate names", addAlias("example.org")],
    ["an alias one label under the certificate's wildcard", addAlias("cart.shop.example.org")],
    ["the certificate's wildcard itself as an alias", addAlias("*.shop.example.org")],
    ["Legacy Clients Support (vip) with TLSv1", certificate(acm(SHOP_CERT, "vip", "TLSv1"))],
    ["Legacy Clients Support (vip) with SSLv3", certificate(acm(SHOP_CERT, "vip", "SSLv3"))],
  ])("accepts %s", async (_case, edit) => {
    // Prepare
    withCertificates();

    // Act
    const updated = await update(edit);

    // Assess
    expect(updated.ETag).toMatch(/^E[0-9A-Z]{13}$/);
  });

  it.each([
    "TLSv1",
    "TLSv1_2016",
    "TLSv1.1_2016",
    "TLSv1.2_2018",
    "TLSv1.2_2019",
    "TLSv1.2_2021",
    "TLSv1.2_2025",
    "TLSv1.3_2025",
  ])("accepts the security policy %s with SNI and reports it", async (policy) => {
    // Prepare
    withCertificates();

    // Act
    await update(certificate(acm(SHOP_CERT, "sni-only", policy)));

    // Assess
    expect((await current()).config.ViewerCertificate).toEqual({
      ACMCertificateArn: SHOP_CERT,
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: policy,
      CloudFrontDefaultCertificate: false,
      Certificate: SHOP_CERT,
      CertificateSource: "acm",
    });
  });

  it("reports the default certificate as CloudFront does: TLSv1 whatever was asked", async () => {
    // Prepare: the storefront keeps its alias (it already had it) but switches to the default certificate
    withCertificates();

    // Act
    await update(
      certificate({
        CloudFrontDefaultCertificate: true,
        MinimumProtocolVersion: "TLSv1.2_2021",
        SSLSupportMethod: "sni-only",
      }),
    );

    // Assess
    expect((await current()).config.ViewerCertificate).toEqual({
      CloudFrontDefaultCertificate: true,
      SSLSupportMethod: "vip",
      MinimumProtocolVersion: "TLSv1",
      CertificateSource: "cloudfront",
    });
  });

  it("reports an IAM certificate with the deprecated members filled in", async () => {
    // Prepare
    withCertificates();

    // Act
    await update(
      certificate({
        IAMCertificateId: "ASCACKCEVSQ6C2EXAMPLE",
        SSLSupportMethod: "sni-only",
        MinimumProtocolVersion: "TLSv1.2_2021",
      }),
    );

    // Assess
    expect((await current()).config.ViewerCertificate).toEqual({
      IAMCertificateId: "ASCACKCEVSQ6C2EXAMPLE",
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: "TLSv1.2_2021",
      CloudFrontDefaultCertificate: false,
      Certificate: "ASCACKCEVSQ6C2EXAMPLE",
      CertificateSource: "iam",
    });
  });

  it.each([
    [
      "an alias two labels under the certificate's wildcard",
      addAlias("a.b.shop.example.org"),
      "InvalidViewerCertificate",
      "doesn't cover the alternate domain name",
    ],
    [
      "the wildcard's parent domain as an alias",
      addAlias("shop.example.org"),
      "InvalidViewerCertificate",
      "(alias: shop.example.org)",
    ],
    [
      "an alias of another domain",
      addAlias("www.example.com"),
      "InvalidViewerCertificate",
      "(alias: www.example.com)",
    ],
    [
      "an alias added on the default certificate",
      both(addAlias("example.org"), certificate({ CloudFrontDefaultCertificate: true })),
      "InvalidViewerCertificate",
      "doesn't cover the alternate domain name",
    ],
    [
      "a certificate still pending validation",
      certificate(acm(PENDING_CERT)),
      "InvalidViewerCertificate",
      "doesn't exist, isn't in us-east-1 region, isn't valid",
    ],
    [
      "a certificate outside us-east-1",
      certificate(acm(EU_CERT)),
      "InvalidViewerCertificate",
      "isn't in us-east-1 region",
    ],
    [
      "a certificate ACM does not hold",
      certificate(acm(UNLISTED_CERT)),
      "InvalidViewerCertificate",
      "doesn't exist",
    ],
    [
      "both an ACM and an IAM certificate",
      certificate({ ...acm(SHOP_CERT), IAMCertificateId: "ASCACKCEVSQ6C2EXAMPLE" }),
      "InvalidViewerCertificate",
      "exactly one of",
    ],
    [
      "the default certificate and an ACM certificate",
      certificate({ ...acm(SHOP_CERT), CloudFrontDefaultCertificate: true }),
      "InvalidViewerCertificate",
      "exactly one of",
    ],
    [
      "a custom certificate without SSLSupportMethod",
      certificate({ ACMCertificateArn: SHOP_CERT, MinimumProtocolVersion: "TLSv1.2_2021" }),
      "InvalidViewerCertificate",
      "needs both SSLSupportMethod and MinimumProtocolVersion",
    ],
    [
      "a security policy CloudFront does not have",
      certificate(acm(SHOP_CERT, "sni-only", "TLSv1.2")),
      "MalformedXML",
      "Value 'TLSv1.2' at 'distributionConfig.viewerCertificate.minimumProtocolVersion' failed to satisfy constraint: Member must satisfy enum value set: [SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025]",
    ],
    [
      "SSLv3 with SNI",
      certificate(acm(SHOP_CERT, "sni-only", "SSLv3")),
      "InvalidMinimumProtocolVersion",
      "SSLv3 with sni-only",
    ],
    [
      "a TLS 1.2 policy with Legacy Clients Support",
      certificate(acm(SHOP_CERT, "vip", "TLSv1.2_2021")),
      "InvalidMinimumProtocolVersion",
      "TLSv1.2_2021 with vip",
    ],
    [
      "static IP addresses the account was not given",
      certificate(acm(SHOP_CERT, "static-ip")),
      "InvalidViewerCertificate",
      "static-ip",
    ],
    [
      "an SSLSupportMethod CloudFront does not have",
      certificate(acm(SHOP_CERT, "sni")),
      "MalformedXML",
      "'distributionConfig.viewerCertificate.sSLSupportMethod'",
    ],
    [
      "an alias in capitals",
      addAlias("Shop.example.org"),
      "InvalidArgument",
      "'Shop.example.org' is not a valid alternate domain name",
    ],
    [
      "a wildcard inside a label",
      addAlias("*shop.example.org"),
      "InvalidArgument",
      "'*shop.example.org' is not a valid alternate domain name",
    ],
    [
      "a wildcard below the leftmost label",
      addAlias("cart.*.example.org"),
      "InvalidArgument",
      "not a valid alternate domain name",
    ],
  ])("refuses %s with %s and changes nothing", async (_case, edit, name, message) => {
    // Prepare
    const sandbox = withCertificates();
    const before = sandbox.state();

    // Act
    const error = await failure(update(edit));

    // Assess
    expect(error).toBeInstanceOf(CloudFrontServiceException);
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain(message);
    expect(sandbox.state()).toEqual(before);
  });

  it("keeps serving an alias from before 2019 on the default certificate through a read-modify-write", async () => {
    // Prepare: a legacy distribution, as AWS still reports some
    const state = shopState() as {
      cloudfront: { distributions: { DistributionConfig: Record<string, unknown> }[] };
    };
    const legacy = state.cloudfront.distributions[0];
    if (legacy)
      legacy.DistributionConfig.ViewerCertificate = {
        CloudFrontDefaultCertificate: true,
        SSLSupportMethod: "vip",
        MinimumProtocolVersion: "TLSv1",
        CertificateSource: "cloudfront",
      };
    plugged({ state });

    // Act
    const updated = await update((c) => {
      c.Comment = "touched";
    });

    // Assess
    expect(updated.Distribution?.DistributionConfig?.Aliases?.Items).toEqual(["www.example.org"]);
  });

  it("without certificates in the scenario, takes a us-east-1 certificate of the account to cover its aliases", async () => {
    // Prepare: nothing describes the account's certificates
    plugged();

    // Act
    const updated = await update(addAlias("anything.example.net"));
    const elsewhere = await failure(update(certificate(acm(EU_CERT))));
    const foreign = await failure(update(certificate(acm(OTHER_ACCOUNT_CERT))));

    // Assess
    expect(updated.Distribution?.DistributionConfig?.Aliases?.Items).toContain("anything.example.net");
    expect(elsewhere.name).toBe("InvalidViewerCertificate");
    expect(foreign.name).toBe("InvalidViewerCertificate");
  });

  it("gives an alias to one distribution only: CNAMEAlreadyExists (409)", async () => {
    // Prepare: a second distribution takes example.org
    const sandbox = withCertificates();
    const { config } = await current();
    await cloudfront().send(
      new CreateDistributionCommand({
        DistributionConfig: {
          ...config,
          CallerReference: "apex",
          Aliases: { Quantity: 1, Items: ["example.org"] },
        },
      }),
    );
    const before = sandbox.state();

    // Act
    const error = await failure(update(addAlias("example.org")));

    // Assess
    expect(error).toMatchObject({ name: "CNAMEAlreadyExists", $metadata: { httpStatusCode: 409 } });
    expect(error.message).toContain("already associated with a different resource");
    expect(sandbox.state()).toEqual(before);
  });

  it("checks every alias of a new distribution against its certificate", async () => {
    // Prepare
    withCertificates();
    const { config } = await current();

    // Act
    const error = await failure(
      cloudfront().send(
        new CreateDistributionCommand({
          DistributionConfig: {
            ...config,
            CallerReference: "new",
            Aliases: { Quantity: 1, Items: ["new.example.org"] },
            ViewerCertificate: { CloudFrontDefaultCertificate: true },
          },
        }),
      ),
    );

    // Assess
    expect(error.name).toBe("InvalidViewerCertificate");
  });
});
