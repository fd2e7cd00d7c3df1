import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../functions/lib/errors.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { parseSandboxState } from "../../local/sandbox/state.js";
import {
  DISTRIBUTION,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  LB,
  plugged,
  redirectToHttps,
  scenario,
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
