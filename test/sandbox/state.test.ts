import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../functions/lib/errors.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { parseSandboxState } from "../../local/sandbox/state.js";
import {
  CUSTOM_POLICY_ID,
  cloudFrontState,
  customPolicy,
  DISTRIBUTION,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  LB,
  plugged,
  redirectToHttps,
  scenario,
  shopState,
  VPC_ORIGIN_ID,
  vpcOrigin,
} from "./helpers.js";

describe("sandbox state", () => {
  it.each(["alb-redirect-restored", "alb-no-https-listener-approved", "cloudfront-origin-back-to-https"])(
    "round-trips the state of %s",
    (name) => {
      // Prepare
      const { state } = scenario(name);

      // Act
      const sandbox = new SandboxAccount({ state });

      // Assess: the same resources come back, with only the documented defaults added
      const out = sandbox.state();
      expect(out).toEqual(parseSandboxState(state));
      expect(out).toMatchObject(state);
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    },
  );

  it("reports changes in the scenario shape: rules with ListenerArn, distributions with current ETag and Status", async () => {
    // Prepare
    const sandbox = plugged();
    const remediator = sandbox.remediator();
    const { ETag } = await sandbox.call(
      "cloudfront",
      "GetDistributionConfig",
      { Id: DISTRIBUTION },
      remediator,
    );
    const { DistributionConfig } = await sandbox.call(
      "cloudfront",
      "GetDistributionConfig",
      { Id: DISTRIBUTION },
      remediator,
    );

    // Act
    const { Rules } = await sandbox.call(
      "elbv2",
      "CreateRule",
      {
        ListenerArn: HTTP_LISTENER,
        Priority: 7,
        Conditions: [{ Field: "path-pattern", Values: ["/.well-known/acme-challenge/*"] }],
        Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
      },
      remediator,
    );
    const updated = await sandbox.call(
      "cloudfront",
      "UpdateDistribution",
      {
        Id: DISTRIBUTION,
        IfMatch: ETag,
        DistributionConfig: { ...(DistributionConfig as object), Comment: "fixed" },
      },
      remediator,
    );

    // Assess
    const state = sandbox.state();
    const ruleArn = (Rules as { RuleArn: string }[])[0]?.RuleArn;
    expect(state.elbv2.rules).toEqual([
      {
        RuleArn: ruleArn,
        Priority: "7",
        Conditions: [{ Field: "path-pattern", Values: ["/.well-known/acme-challenge/*"] }],
        Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
        IsDefault: false,
        ListenerArn: HTTP_LISTENER,
      },
    ]);
    expect(state.elbv2.listeners.map((l) => l.ListenerArn)).toEqual([HTTP_LISTENER, HTTPS_LISTENER]);
    expect(state.cloudfront.distributions[0]).toMatchObject({
      Id: DISTRIBUTION,
      ETag: updated.ETag,
      Status: "InProgress",
      DistributionConfig: { Comment: "fixed" },
    });
    expect(parseSandboxState(state)).toEqual(state);
  });

  it.each([
    [
      { elbv2: { loadBalancers: [{ LoadBalancerArn: "arn:aws:elb:nope" }] } },
      "state.elbv2.loadBalancers.0.LoadBalancerArn",
    ],
    [
      {
        elbv2: {
          loadBalancers: [{ LoadBalancerArn: LB }],
          listeners: [
            {
              ListenerArn: HTTP_LISTENER,
              LoadBalancerArn: LB,
              Port: "80",
              DefaultActions: [redirectToHttps],
            },
          ],
        },
      },
      "state.elbv2.listeners.0.Port",
    ],
    [
      {
        elbv2: {
          rules: [
            {
              RuleArn: `${HTTP_LISTENER.replace(":listener/", ":listener-rule/")}/0123456789abcdef`,
              ListenerArn: HTTP_LISTENER,
              Priority: "1",
              Actions: [redirectToHttps],
            },
          ],
        },
      },
      "state.elbv2.rules.0.ListenerArn",
    ],
    [
      {
        elbv2: {
          loadBalancers: [{ LoadBalancerArn: LB }],
          listeners: [
            {
              ListenerArn: HTTP_LISTENER,
              LoadBalancerArn: LB,
              Port: 80,
              Protocol: "HTTP",
              DefaultActions: [redirectToHttps],
            },
            {
              ListenerArn: HTTPS_LISTENER,
              LoadBalancerArn: LB,
              Port: 80,
              Protocol: "HTTP",
              DefaultActions: [redirectToHttps],
            },
          ],
        },
      },
      "state.elbv2.listeners.1.Port",
    ],
    [{ origins: { "app.example.com": "fine" } }, "state.origins.app.example.com"],
  ])("rejects an invalid state, naming the field (%#)", (state, field) => {
    // Prepare / Act
    const attempt = () => new SandboxAccount({ state });

    // Assess
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(field);
  });

  it.each([
    [{ Key: "driftwarden:exempt", Value: "2026-12-31 ok; approved" }, "Tags.0.Value"],
    [{ Key: "note\napproved", Value: "yes" }, "Tags.0.Key"],
  ])("refuses a distribution tag CloudFront could never hold (%j)", (tag, field) => {
    // Prepare
    const { state } = scenario("cloudfront-origin-back-to-https");
    const tagged = structuredClone(state) as { cloudfront: { distributions: { Tags: unknown[] }[] } };
    const first = tagged.cloudfront.distributions[0];
    if (first) first.Tags = [tag];

    // Act
    const attempt = () => parseSandboxState(tagged);

    // Assess
    expect(attempt).toThrow(
      `state.cloudfront.distributions.0.${field}: holds a character CloudFront refuses`,
    );
  });

  it("names the inconsistent Quantity of a distribution in the state", () => {
    // Prepare
    const { state } = scenario("cloudfront-origin-back-to-https");
    const broken = structuredClone(state) as {
      cloudfront: { distributions: { DistributionConfig: { Aliases: { Quantity: number } } }[] };
    };
    const first = broken.cloudfront.distributions[0];
    if (first) first.DistributionConfig.Aliases.Quantity = 3;

    // Act
    const attempt = () => parseSandboxState(broken);

    // Assess
    expect(attempt).toThrow(
      "state.cloudfront.distributions.0.DistributionConfig.Aliases.Quantity: is 3 but Items has 1 entry",
    );
  });
});

describe("sandbox state: CloudFront policies, VPC origins and certificates", () => {
  const certificates = {
    certificates: [
      {
        CertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        DomainName: "www.example.org",
        SubjectAlternativeNames: ["www.example.org"],
        Status: "ISSUED",
      },
    ],
  };

  /** The storefront's default behavior attaches the custom policy; a second origin is the VPC origin. */
  function linkedState(): Record<string, unknown> {
    const state = cloudFrontState(
      { responseHeadersPolicies: [customPolicy()], vpcOrigins: [vpcOrigin()] },
      { acm: certificates },
    ) as { cloudfront: { distributions: { DistributionConfig: Record<string, Record<string, unknown>> }[] } };
    const config = state.cloudfront.distributions[0]?.DistributionConfig;
    if (config?.DefaultCacheBehavior && config.Origins) {
      config.DefaultCacheBehavior.ResponseHeadersPolicyId = CUSTOM_POLICY_ID;
      config.Origins = {
        Quantity: 2,
        Items: [
          ...(config.Origins.Items as unknown[]),
          {
            Id: "internal",
            DomainName: "internal.example.org",
            VpcOriginConfig: { VpcOriginId: VPC_ORIGIN_ID },
          },
        ],
      };
    }
    return state;
  }

  it("round-trips custom policies, VPC origins and ACM certificates, and leaves AWS's managed policies out", () => {
    // Prepare
    const state = linkedState();

    // Act
    const out = new SandboxAccount({ state }).state();

    // Assess
    expect(out).toEqual(parseSandboxState(state));
    expect(out).toMatchObject(state);
    expect(out.cloudfront.responseHeadersPolicies.map((p) => p.Id)).toEqual([CUSTOM_POLICY_ID]);
    expect(out.acm).toEqual(certificates);
  });

  it.each([
    ["only at the top", (p: { ResponseHeadersPolicy: { Id?: string } }) => delete p.ResponseHeadersPolicy.Id],
    ["only inside", (p: { Id?: string }) => delete p.Id],
  ])("takes a policy's id given %s, and carries it in both places", (_case, drop) => {
    // Prepare
    const policy = customPolicy();
    drop(policy as never);

    // Act
    const parsed = parseSandboxState(cloudFrontState({ responseHeadersPolicies: [policy] }));

    // Assess
    expect(parsed.cloudfront.responseHeadersPolicies[0]).toMatchObject({
      Id: CUSTOM_POLICY_ID,
      ResponseHeadersPolicy: { Id: CUSTOM_POLICY_ID },
    });
  });

  const policyWith = (edit: (p: Record<string, Record<string, Record<string, unknown>>>) => void) => {
    const policy = customPolicy() as Record<string, Record<string, Record<string, unknown>>>;
    edit(policy);
    return cloudFrontState({ responseHeadersPolicies: [policy] });
  };
  const vpcWith = (edit: (o: Record<string, Record<string, Record<string, unknown>>>) => void) => {
    const origin = vpcOrigin() as Record<string, Record<string, Record<string, unknown>>>;
    edit(origin);
    return cloudFrontState({ vpcOrigins: [origin] });
  };
  const policyPath = "state.cloudfront.responseHeadersPolicies.0";

  it.each([
    [
      "a frame option browsers do not know",
      policyWith((p) => {
        const config = p.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig as Record<
          string,
          Record<string, unknown>
        >;
        if (config.SecurityHeadersConfig)
          config.SecurityHeadersConfig.FrameOptions = { Override: true, FrameOption: "ALLOW" };
      }),
      `${policyPath}.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions.FrameOption: 'ALLOW' is not one of DENY, SAMEORIGIN`,
    ],
    [
      "a managed policy listed as custom",
      policyWith((p) => {
        p.Id = "67f7725c-6f97-4210-82d7-5512b31e9d03" as never;
        delete p.ResponseHeadersPolicy?.Id;
      }),
      `${policyPath}.Id: is an AWS managed policy`,
    ],
    [
      "a policy without an id",
      policyWith((p) => {
        delete p.Id;
        delete p.ResponseHeadersPolicy?.Id;
      }),
      `${policyPath}.Id: is required`,
    ],
    [
      "two ids that disagree",
      policyWith((p) => {
        if (p.ResponseHeadersPolicy)
          p.ResponseHeadersPolicy.Id = "99999999-9999-4999-8999-999999999999" as never;
      }),
      `${policyPath}.ResponseHeadersPolicy.Id: contradicts Id`,
    ],
    [
      "a managed policy's name",
      policyWith((p) => {
        const config = p.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig;
        if (config) config.Name = "Managed-SimpleCORS";
      }),
      `${policyPath}.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name: is taken`,
    ],
    [
      "a behavior naming a policy the account lacks",
      (() => {
        const state = shopState() as {
          cloudfront: { distributions: { DistributionConfig: Record<string, Record<string, unknown>> }[] };
        };
        const behavior = state.cloudfront.distributions[0]?.DistributionConfig.DefaultCacheBehavior;
        if (behavior) behavior.ResponseHeadersPolicyId = CUSTOM_POLICY_ID;
        return state;
      })(),
      "state.cloudfront.distributions.0.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId: names no managed policy",
    ],
    [
      "a VPC origin id of another shape",
      vpcWith((o) => {
        if (o.VpcOrigin) o.VpcOrigin.Id = "E2VPC" as never;
      }),
      "state.cloudfront.vpcOrigins.0.VpcOrigin.Id: must be a VPC origin id",
    ],
    [
      "a VPC origin ARN of another id",
      vpcWith((o) => {
        if (o.VpcOrigin) o.VpcOrigin.Arn = "arn:aws:cloudfront::111122223333:vpcorigin/vo_other" as never;
      }),
      "state.cloudfront.vpcOrigins.0.VpcOrigin.Arn: does not end with the Id",
    ],
    [
      "a VPC origin on a port CloudFront cannot use",
      vpcWith((o) => {
        const config = o.VpcOrigin?.VpcOriginEndpointConfig as Record<string, unknown>;
        config.HTTPSPort = 22;
      }),
      "state.cloudfront.vpcOrigins.0.VpcOrigin.VpcOriginEndpointConfig.HTTPSPort: must be a port number",
    ],
    [
      "an origin naming a VPC origin the account lacks",
      (() => {
        const state = shopState() as {
          cloudfront: { distributions: { DistributionConfig: Record<string, Record<string, unknown>> }[] };
        };
        const config = state.cloudfront.distributions[0]?.DistributionConfig;
        if (config?.Origins) {
          config.Origins = {
            Quantity: 2,
            Items: [
              ...(config.Origins.Items as unknown[]),
              {
                Id: "internal",
                DomainName: "internal.example.org",
                VpcOriginConfig: { VpcOriginId: VPC_ORIGIN_ID },
              },
            ],
          };
        }
        return state;
      })(),
      "state.cloudfront.distributions.0.DistributionConfig.Origins.Items.1.VpcOriginConfig.VpcOriginId: names no VPC origin",
    ],
    [
      "a certificate ARN of another service",
      cloudFrontState(
        {},
        {
          acm: {
            certificates: [
              {
                CertificateArn: "arn:aws:iam::111122223333:server-certificate/x",
                DomainName: "x.example.org",
              },
            ],
          },
        },
      ),
      "state.acm.certificates.0.CertificateArn: must be an ACM certificate ARN",
    ],
    [
      "a certificate status ACM does not have",
      cloudFrontState({}, { acm: { certificates: [{ ...certificates.certificates[0], Status: "VALID" }] } }),
      "state.acm.certificates.0.Status",
    ],
  ])("rejects %s, naming the field", (_case, state, message) => {
    // Prepare / Act
    const attempt = () => new SandboxAccount({ state });

    // Assess
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(message);
  });
});
