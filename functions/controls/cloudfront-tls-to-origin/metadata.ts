import * as z from "../../lib/schema.js";
import type { ControlMetadata } from "../types.js";

export const metadata: ControlMetadata = {
  id: "cloudfront-tls-to-origin",
  title: "CloudFront reaches custom and VPC origins over HTTPS with TLS 1.2 only",
  severity: "HIGH",
  securityHubIds: ["CloudFront.9", "CloudFront.10"],
  resourceType: "AWS::CloudFront::Distribution",
  service: "cloudfront",
  triggers: {
    cloudTrail: {
      source: "aws.cloudfront",
      eventSource: "cloudfront.amazonaws.com",
      eventNames: [
        "CreateDistribution",
        "CreateDistributionWithTags",
        "UpdateDistribution",
        "CopyDistribution",
        "UpdateDistributionWithStagingConfig",
        // A VPC origin's protocol lives on the VPC origin resource, not in the distribution.
        "UpdateVpcOrigin",
      ],
      // Old SDKs call dated API versions, which CloudTrail records as e.g. UpdateDistribution2019_03_26.
      datedEventNames: true,
      // CloudFront is a global service: its management events are delivered to EventBridge in us-east-1 only.
      delivery: "us-east-1",
    },
    config: {
      resourceTypes: ["AWS::CloudFront::Distribution"],
      // The rules behind CloudFront.9/.10 are periodic, so CloudTrail catches a change first; their
      // NON_COMPLIANT results still re-check the distribution, a backstop for a missed event.
      managedRules: ["CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED", "CLOUDFRONT_NO_DEPRECATED_SSL_PROTOCOLS"],
    },
  },
  readActions: [
    "cloudfront:GetDistribution",
    "cloudfront:GetVpcOrigin",
    "cloudfront:ListDistributions",
    "cloudfront:ListTagsForResource",
  ],
  // No cloudfront:UpdateVpcOrigin: CloudFront refuses to change a VPC origin a distribution uses
  // (CannotUpdateEntityWhileInUse), so a drifted VPC origin is blocked and told, never fixed in place.
  fixActions: ["cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"],
  sourceFix: {
    cloudFormation: `Each custom origin of the AWS::CloudFront::Distribution (DistributionConfig.Origins[].CustomOriginConfig):
  CustomOriginConfig:
    OriginProtocolPolicy: https-only
    OriginSSLProtocols: [TLSv1.2]
A VPC origin (AWS::CloudFront::VpcOrigin) keeps them in VpcOriginEndpointConfig:
  VpcOriginEndpointConfig:
    OriginProtocolPolicy: https-only
    OriginSSLProtocols: [TLSv1.2]`,
    terraform: `Each origin of the aws_cloudfront_distribution:
  origin {
    custom_origin_config {
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      http_port              = 80
      https_port             = 443
    }
  }
A VPC origin (aws_cloudfront_vpc_origin):
  vpc_origin_endpoint_config {
    origin_protocol_policy = "https-only"
    origin_ssl_protocols {
      items    = ["TLSv1.2"]
      quantity = 1
    }
  }`,
    cdk: `Each HTTP origin (aws-cdk-lib/aws-cloudfront-origins; LoadBalancerV2Origin takes the same props):
  new origins.HttpOrigin("app.example.com", {
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
  });
A VPC origin takes the same two props:
  origins.VpcOrigin.withApplicationLoadBalancer(alb, {
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
  });`,
    elasticBeanstalk:
      "Elastic Beanstalk does not create CloudFront distributions: an environment behind CloudFront is its origin, not its owner. Fix the stack or tool that created the distribution.",
  },
};

/** The control has no settings beside mode and scope. */
export const settings = z.strictObject({});
