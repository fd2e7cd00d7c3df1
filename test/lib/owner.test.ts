import { describe, expect, it } from "vitest";
import { metadata as albMetadata } from "../../functions/controls/alb-http-to-https-redirect/metadata.js";
import { metadata as cloudfrontMetadata } from "../../functions/controls/cloudfront-tls-to-origin/metadata.js";
import { describeOwner, identifyOwner, type OwnerClues, sourceFixFor } from "../../functions/lib/owner.js";

const terraform =
  "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.84.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.8 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/elasticloadbalancingv2#1.43.4";

/** Who owns a drifted resource, from its tags and the CloudTrail actor, for each kind of owner. */
describe("where a drift comes from", () => {
  it.each<[string, OwnerClues, ReturnType<typeof identifyOwner>]>([
    [
      "an Elastic Beanstalk environment (also a CloudFormation stack)",
      {
        tags: {
          "elasticbeanstalk:environment-name": "shop-prod",
          "aws:cloudformation:stack-name": "awseb-e-abc123-stack",
        },
      },
      { kind: "elastic-beanstalk", name: "shop-prod", evidence: "tag elasticbeanstalk:environment-name" },
    ],
    [
      "a CDK app by its construct path tag",
      {
        tags: {
          "aws:cdk:path": "ShopStack/Alb/Listener80/Resource",
          "aws:cloudformation:stack-name": "ShopStack",
        },
      },
      { kind: "cdk", name: "ShopStack", evidence: "tag aws:cdk:path" },
    ],
    [
      "a CloudFormation stack",
      { tags: { "aws:cloudformation:stack-name": "orders-api", team: "orders" } },
      { kind: "cloudformation", name: "orders-api", evidence: "tag aws:cloudformation:stack-name" },
    ],
    [
      "Terraform, by its user agent",
      { actor: { userAgent: terraform } },
      { kind: "terraform", evidence: "a Terraform user agent" },
    ],
    [
      "Pulumi, whose provider is built on Terraform's",
      {
        actor: {
          userAgent:
            "APN/1.0 Pulumi/1.0 Pulumi-Aws/6.56.0 (+https://www.pulumi.com) aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.2",
        },
      },
      { kind: "pulumi", evidence: "a Pulumi user agent" },
    ],
    [
      "the CDK CLI, by its user agent",
      {
        actor: {
          userAgent: "aws-sdk-js/3.699.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#22.11.0 aws-cdk/2.171.1",
        },
      },
      { kind: "cdk", evidence: "an AWS CDK user agent" },
    ],
    [
      "CloudFormation deploying for CDK (its bootstrap role)",
      {
        actor: {
          userAgent: "cloudformation.amazonaws.com",
          sourceIp: "cloudformation.amazonaws.com",
          sessionIssuerArn:
            "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-2",
        },
      },
      { kind: "cdk", evidence: "CloudFormation deploying with a CDK bootstrap role" },
    ],
    [
      "CloudFormation, calling as its service",
      {
        actor: {
          userAgent: "cloudformation.amazonaws.com",
          sessionIssuerArn: "arn:aws:iam::111122223333:role/stack-deployer",
        },
      },
      { kind: "cloudformation", evidence: "a call made by CloudFormation" },
    ],
    [
      "Elastic Beanstalk, calling as its service",
      { actor: { userAgent: "elasticbeanstalk.amazonaws.com", sourceIp: "elasticbeanstalk.amazonaws.com" } },
      { kind: "elastic-beanstalk", evidence: "a call made by Elastic Beanstalk" },
    ],
    [
      "the tags first: a Terraform call to a stack's resource is the stack's",
      { tags: { "aws:cloudformation:stack-name": "orders-api" }, actor: { userAgent: terraform } },
      { kind: "cloudformation", name: "orders-api", evidence: "tag aws:cloudformation:stack-name" },
    ],
    [
      "nobody: a person at the console",
      { actor: { userAgent: "AWS Internal", sourceIp: "203.0.113.24" } },
      undefined,
    ],
    ["nobody: no clue at all", { tags: { team: "shop" }, actor: null }, undefined],
  ])("%s", (_label, clues, expected) => {
    // Act
    const owner = identifyOwner(clues);

    // Assess
    expect(owner).toEqual(expected);
  });

  it("cleans and bounds a name taken from a tag", () => {
    // Prepare
    const tags = {
      "elasticbeanstalk:environment-name": `shop\nApprove: https://evil.example/${"x".repeat(300)}`,
    };

    // Act
    const owner = identifyOwner({ tags });

    // Assess
    expect(owner?.name).toMatch(
      /^shop Approve: hxxps:\/\/evil\[\.\]example\/x+\.\.\. \(cut, \d+ characters\)$/,
    );
    expect(describeOwner(owner as NonNullable<typeof owner>)).toMatch(
      /^Elastic Beanstalk environment "shop /,
    );
  });

  it.each([
    ["elastic-beanstalk", albMetadata, "AWSEBV2LoadBalancerListener"],
    ["cdk", albMetadata, "addRedirect"],
    ["cloudformation", albMetadata, "AWS::ElasticLoadBalancingV2::Listener"],
    ["terraform", albMetadata, 'resource "aws_lb_listener"'],
    ["pulumi", albMetadata, "Pulumi's AWS provider takes Terraform's arguments"],
    ["cloudformation", cloudfrontMetadata, "OriginSSLProtocols: [TLSv1.2]"],
    ["terraform", cloudfrontMetadata, 'origin_protocol_policy = "https-only"'],
    ["cdk", cloudfrontMetadata, "OriginProtocolPolicy.HTTPS_ONLY"],
    ["elastic-beanstalk", cloudfrontMetadata, "does not create CloudFront distributions"],
  ] as const)("gives a %s owner of %s the fix in its own terms", (kind, metadata, text) => {
    // Act
    const fix = sourceFixFor({ kind, evidence: "test" }, metadata.sourceFix);

    // Assess
    expect(fix).toContain(text);
  });
});
