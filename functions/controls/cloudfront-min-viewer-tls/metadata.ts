import * as z from "../../lib/schema.js";
import {
  distributionFixActions,
  distributionReadActions,
  distributionTriggers,
} from "../cloudfront/triggers.js";
import type { ControlMetadata } from "../types.js";
import { minimumPolicies } from "./policies.js";

export const metadata: ControlMetadata = {
  id: "cloudfront-min-viewer-tls",
  title: "CloudFront viewers connect with TLS 1.2 or newer and modern ciphers",
  severity: "MEDIUM",
  securityHubIds: [],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  // CLOUDFRONT_SECURITY_POLICY_CHECK fails below TLSv1.2_2018; CLOUDFRONT_SSL_POLICY_CHECK checks a list
  // of policies an account chooses. Either failing is worth a re-check.
  triggers: distributionTriggers(["CLOUDFRONT_SECURITY_POLICY_CHECK", "CLOUDFRONT_SSL_POLICY_CHECK"]),
  readActions: distributionReadActions,
  fixActions: distributionFixActions,
  sourceFix: {
    cloudFormation: `The ViewerCertificate of the AWS::CloudFront::Distribution:
  ViewerCertificate:
    AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/...
    SslSupportMethod: sni-only
    MinimumProtocolVersion: TLSv1.2_2021`,
    terraform: `The viewer_certificate of the aws_cloudfront_distribution:
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }`,
    cdk: `The cloudfront.Distribution's minimumProtocolVersion (with a certificate and domainNames):
  new cloudfront.Distribution(this, "Distribution", {
    certificate,
    domainNames: ["www.example.com"],
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    defaultBehavior: { origin },
  });`,
    elasticBeanstalk:
      "Elastic Beanstalk does not create CloudFront distributions: an environment behind CloudFront is its origin, not its owner. Fix the stack or tool that created the distribution.",
  },
};

export const settings = z.strictObject({
  /** The oldest security policy a distribution with its own certificate may use. */
  minimumProtocolVersion: z._default(z.enum(minimumPolicies), "TLSv1.2_2021"),
});

export type Settings = z.output<typeof settings>;
