import { describe, expect, it } from "vitest";
import { eventRules, ruleNameWildcards } from "../../functions/events/patterns.js";
import { classify } from "../../functions/intake/classify.js";
import { routingPlan } from "../../infra/routing-plan.js";
import { compilePattern } from "../../local/router/match.js";
import { routeEvent, unmatchedReason } from "../../local/router/router.js";
import {
  albMetadata,
  cloudfrontMetadata,
  complianceEvent,
  distributionArn,
  fixtureEvent,
  type Json,
  oversizedConfigItemEvent,
  remediatorRoleArn,
  testControl,
  variant,
} from "../intake/support.js";

const controls = [testControl(albMetadata, new Map()), testControl(cloudfrontMetadata, new Map())];
const rules = eventRules({ controls, remediatorRoleArn });
/** Deployed from us-west-2, watching it alone (the fixtures' region); CloudFront's rules are in us-east-1 regardless. */
const plan = routingPlan({ rules, homeRegion: "us-west-2", regions: ["us-west-2"], stage: "test" });
const rule = (name: string) => {
  const found = rules.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
};

const remediatorSession = (e: Json & { detail: Json }) => {
  e.detail.userIdentity = {
    type: "AssumedRole",
    principalId: "AROAREMEDIATOR:fix",
    arn: "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/fix",
    accountId: "111122223333",
    sessionContext: {
      sessionIssuer: { type: "Role", arn: remediatorRoleArn, userName: "driftwarden-remediator" },
    },
  };
};

describe("eventRules", () => {
  it("derives one rule per delivery and Config path, each a valid pattern", () => {
    // Act
    const summary = rules.map(({ name, placement }) => ({ name, placement }));

    // Assess
    expect(summary).toEqual([
      { name: "driftwarden-cloudtrail-regional", placement: "watched-regions" },
      { name: "driftwarden-cloudtrail-us-east-1", placement: "us-east-1" },
      { name: "driftwarden-config-items-regional", placement: "watched-regions" },
      { name: "driftwarden-config-items-us-east-1", placement: "us-east-1" },
      { name: "driftwarden-config-compliance-regional", placement: "watched-regions" },
      { name: "driftwarden-config-compliance-us-east-1", placement: "us-east-1" },
    ]);
    for (const r of rules) expect(() => compilePattern(r.pattern)).not.toThrow();
    for (const r of rules) expect(r.description).not.toBe("");
  });

  it("excludes failed calls and the remediator, and does not filter on readOnly", () => {
    // Act
    const { pattern } = rule("driftwarden-cloudtrail-regional");

    // Assess
    expect(pattern).toEqual({
      source: ["aws.elasticloadbalancing"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["elasticloadbalancing.amazonaws.com"],
        eventName: [...albMetadata.triggers.cloudTrail.eventNames].sort(),
        errorCode: [{ exists: false }],
        userIdentity: {
          $or: [
            { sessionContext: { sessionIssuer: { arn: [{ "anything-but": remediatorRoleArn }] } } },
            { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } },
          ],
        },
      },
    });
  });

  it("takes only NON_COMPLIANT results of rules named after the managed rules", () => {
    // Act
    const { pattern } = rule("driftwarden-config-compliance-regional");

    // Assess
    expect(pattern).toMatchObject({
      source: ["aws.config"],
      detail: {
        newEvaluationResult: { complianceType: ["NON_COMPLIANT"] },
        configRuleName: expect.arrayContaining([
          { wildcard: "*alb-http-to-https-redirection-check*" },
          { wildcard: "*ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK*" },
        ]),
      },
    });
  });

  it("is plain JSON, as infra deploys it", () => {
    // Act
    const roundTripped = JSON.parse(JSON.stringify(rules));

    // Assess
    expect(roundTripped).toEqual(rules);
  });

  it("keeps each service's event names to that service when several share a delivery", () => {
    // Prepare
    const regionalCloudFront = { ...cloudfrontMetadata, triggers: { ...cloudfrontMetadata.triggers } };
    regionalCloudFront.triggers.cloudTrail = {
      ...cloudfrontMetadata.triggers.cloudTrail,
      delivery: "regional",
    };
    const both = eventRules({
      controls: [testControl(albMetadata, new Map()), testControl(regionalCloudFront, new Map())],
      remediatorRoleArn,
    });
    const crossed = variant("elbv2-modify-listener", (e) => {
      e.detail.eventName = "UpdateDistribution";
    });

    const bothPlan = routingPlan({
      rules: both,
      homeRegion: "us-west-2",
      regions: ["us-west-2", "us-east-1"],
      stage: "test",
    });

    // Act
    const matched = routeEvent(crossed, bothPlan).matched;

    // Assess
    expect(both.map((r) => r.name)).not.toContain("driftwarden-cloudtrail-us-east-1");
    expect(matched).toEqual([]);
    expect(routeEvent(fixtureEvent("cloudfront-update-distribution"), bothPlan).matched).toEqual([
      "driftwarden-cloudtrail-regional",
    ]);
  });

  it("has no rule for a path no control uses", () => {
    // Prepare
    const noConfig = {
      ...albMetadata,
      triggers: { ...albMetadata.triggers, config: { resourceTypes: [], managedRules: [] } },
    };

    // Act
    const names = eventRules({ controls: [testControl(noConfig, new Map())], remediatorRoleArn }).map(
      (r) => r.name,
    );

    // Assess
    expect(names).toEqual(["driftwarden-cloudtrail-regional"]);
  });

  it.each([
    {
      managedRule: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
      name: "securityhub-alb-http-to-https-redirection-check-a1b2c3",
    },
    { managedRule: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", name: "alb_http_to_https_redirection_check" },
    {
      managedRule: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
      name: "Pack-ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK-x",
    },
    { managedRule: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", name: "ALB-HTTP-TO-HTTPS-REDIRECTION-CHECK" },
  ])("rule name wildcards of $managedRule match $name", ({ managedRule, name }) => {
    // Act
    const matched = compilePattern({ n: ruleNameWildcards(managedRule) })({ n: name });

    // Assess
    expect(matched).toBe(true);
  });
});

/** A CloudFront distribution's Config item change, as AWS Config sends it from `region`. */
function cloudFrontConfigItem(region: string): Json {
  return variant("config-item-change-listener", (e) => {
    e.region = region;
    const item = e.detail.configurationItem as Json;
    item.resourceType = "AWS::CloudFront::Distribution";
    item.resourceId = "E1QSDF4EXAMPLE";
    item.ARN = distributionArn;
    item.awsRegion = "global";
  });
}

/** `elsewhere`: AWS would deliver the event, but not to a bus where the deployment has a rule for it. */
const cases: Array<{ name: string; event: Json; rule: string | null; region?: string; elsewhere?: true }> = [
  // the regional CloudTrail rule
  {
    name: "ModifyListener by an IAM user (no sessionContext)",
    event: fixtureEvent("elbv2-modify-listener"),
    rule: "driftwarden-cloudtrail-regional",
  },
  {
    name: "CreateListener by an assumed role",
    event: fixtureEvent("elbv2-create-listener"),
    rule: "driftwarden-cloudtrail-regional",
  },
  ...albMetadata.triggers.cloudTrail.eventNames.map((eventName) => ({
    name: `${eventName}`,
    event: variant("elbv2-create-listener", (e) => {
      e.detail.eventName = eventName;
    }),
    rule: "driftwarden-cloudtrail-regional",
  })),
  {
    name: "an event without readOnly",
    event: variant("elbv2-modify-listener", (e) => {
      delete e.detail.readOnly;
    }),
    rule: "driftwarden-cloudtrail-regional",
  },
  {
    name: "a root user change",
    event: variant("elbv2-modify-listener", (e) => {
      e.detail.userIdentity = {
        type: "Root",
        principalId: "111122223333",
        arn: "arn:aws:iam::111122223333:root",
      };
    }),
    rule: "driftwarden-cloudtrail-regional",
  },
  {
    name: "a read-only call",
    event: variant("elbv2-modify-listener", (e) => {
      e.detail.eventName = "DescribeListeners";
      e.detail.readOnly = true;
    }),
    rule: null,
  },
  {
    name: "a failed call",
    event: variant("elbv2-modify-listener", (e) => {
      e.detail.errorCode = "ValidationError";
    }),
    rule: null,
  },
  {
    name: "another service",
    event: variant("elbv2-modify-listener", (e) => {
      e.source = "aws.ec2";
      e.detail.eventSource = "ec2.amazonaws.com";
      e.detail.eventName = "ModifyInstanceAttribute";
    }),
    rule: null,
  },
  {
    name: "another event name",
    event: variant("elbv2-modify-listener", (e) => {
      e.detail.eventName = "AddTags";
    }),
    rule: null,
  },
  {
    name: "the remediator's own ModifyListener",
    event: variant("elbv2-modify-listener", remediatorSession),
    rule: null,
  },
  {
    name: "another role's change",
    event: variant("elbv2-modify-listener", (e) => {
      remediatorSession(e);
      const identity = e.detail.userIdentity as Json;
      identity.arn = "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator-old/fix";
      ((identity.sessionContext as Json).sessionIssuer as Json).arn =
        "arn:aws:iam::111122223333:role/driftwarden-remediator-old";
    }),
    rule: "driftwarden-cloudtrail-regional",
  },
  // the us-east-1 CloudTrail rule
  {
    name: "UpdateDistribution in us-east-1",
    event: fixtureEvent("cloudfront-update-distribution"),
    rule: "driftwarden-cloudtrail-us-east-1",
  },
  {
    name: "UpdateDistribution on a bus outside us-east-1",
    event: fixtureEvent("cloudfront-update-distribution"),
    region: "eu-west-1",
    rule: null,
  },
  {
    name: "the remediator's UpdateDistribution",
    event: variant("cloudfront-update-distribution", remediatorSession),
    rule: null,
  },
  {
    name: "GetDistributionConfig",
    event: variant("cloudfront-update-distribution", (e) => {
      e.detail.eventName = "GetDistributionConfig";
    }),
    rule: null,
  },
  {
    name: "UpdateDistribution recorded under a dated API version",
    event: variant("cloudfront-update-distribution", (e) => {
      e.detail.eventName = "UpdateDistribution2019_03_26";
    }),
    rule: "driftwarden-cloudtrail-us-east-1",
  },
  {
    name: "a dated read-only call (GetDistributionConfig2019_03_26)",
    event: variant("cloudfront-update-distribution", (e) => {
      e.detail.eventName = "GetDistributionConfig2019_03_26";
    }),
    rule: null,
  },
  {
    name: "a call whose name only starts like a watched one (UpdateDistributionTenant)",
    event: variant("cloudfront-update-distribution", (e) => {
      e.detail.eventName = "UpdateDistributionTenant";
    }),
    rule: null,
  },
  // the Config item rule
  {
    name: "a Config item change",
    event: fixtureEvent("config-item-change-listener"),
    rule: "driftwarden-config-items-regional",
  },
  {
    name: "an oversized Config item",
    event: oversizedConfigItemEvent(),
    rule: "driftwarden-config-items-regional",
  },
  {
    name: "a deleted Config item (intake reports it as resource-gone)",
    event: oversizedConfigItemEvent("ResourceDeleted"),
    rule: "driftwarden-config-items-regional",
  },
  {
    name: "a Config item of another type",
    event: variant("config-item-change-listener", (e) => {
      (e.detail.configurationItem as Json).resourceType = "AWS::EC2::Instance";
    }),
    rule: null,
  },
  {
    name: "a CloudFront Config item, recorded in us-east-1",
    event: cloudFrontConfigItem("us-east-1"),
    rule: "driftwarden-config-items-us-east-1",
  },
  {
    name: "a CloudFront Config item on a bus where only regional rules are deployed",
    event: cloudFrontConfigItem("us-west-2"),
    rule: null,
    elsewhere: true,
  },
  {
    name: "a listener's Config item in a region the deployment does not watch",
    event: variant("config-item-change-listener", (e) => {
      e.region = "eu-central-1";
    }),
    rule: null,
    elsewhere: true,
  },
  // the compliance rule
  {
    name: "Security Hub's rule NON_COMPLIANT",
    event: complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3"),
    rule: "driftwarden-config-compliance-regional",
  },
  {
    name: "CloudFront's origin TLS rule NON_COMPLIANT, in us-east-1",
    event: {
      ...complianceEvent("securityhub-cloudfront-custom-origin-tls-check-9f8e7d"),
      region: "us-east-1",
    },
    rule: "driftwarden-config-compliance-us-east-1",
  },
  {
    name: "a compliance change to COMPLIANT",
    event: complianceEvent("securityhub-alb-http-to-https-redirection-check-a1b2c3", "COMPLIANT"),
    rule: null,
  },
  {
    name: "another rule NON_COMPLIANT",
    event: complianceEvent("securityhub-s3-bucket-logging-enabled-x"),
    rule: null,
  },
];

describe("routeEvent over the deployed routing plan", () => {
  const homeElsewhere = routingPlan({
    rules,
    homeRegion: "eu-west-1",
    regions: ["eu-west-1", "us-west-2"],
    stage: "test",
  });

  it.each([
    {
      name: "a listener change in a watched region, forwarded home",
      event: fixtureEvent("elbv2-modify-listener"),
      matched: ["driftwarden-cloudtrail-regional"],
      deployed: true,
    },
    {
      name: "a CloudFront change in us-east-1, forwarded home",
      event: fixtureEvent("cloudfront-update-distribution"),
      matched: ["driftwarden-cloudtrail-us-east-1"],
      deployed: true,
    },
    {
      name: "a listener change in a region nobody watches",
      event: variant("elbv2-modify-listener", (e) => {
        e.region = "ap-south-1";
      }),
      matched: [],
      deployed: false,
    },
    {
      name: "a listener change in us-east-1, where only CloudFront's rules are",
      event: variant("elbv2-modify-listener", (e) => {
        e.region = "us-east-1";
      }),
      matched: [],
      deployed: true,
    },
  ])("$name", ({ event, matched, deployed }) => {
    // Act
    const routed = routeEvent(event, homeElsewhere);

    // Assess
    expect(routed).toEqual({ matched, deployed, region: event.region });
  });
});

describe("routeEvent with the derived rules", () => {
  it.each(cases)("$name -> $rule", ({ event, rule: expected, region }) => {
    // Act
    const { matched } = routeEvent(event, plan, region ? { region } : {});

    // Assess
    expect(matched).toEqual(expected ? [expected] : []);
  });

  it.each(cases.filter((c) => c.rule !== null && !c.region))(
    "intake takes what the rules let through: $name",
    ({ event }) => {
      // Act
      const classification = classify(event, { controls, remediatorRoleArn });

      // Assess
      expect(["trigger", "ignored"]).toContain(classification.kind);
      if (classification.kind === "ignored") expect(classification.reason).toBe("resource-gone");
    },
  );

  it.each(cases.filter((c) => c.rule === null && !c.region && !c.elsewhere))(
    "the rules drop what intake would ignore, for the same reason: $name",
    ({ event }) => {
      // Act
      const classification = classify(event, { controls, remediatorRoleArn });
      const reason = unmatchedReason(event, remediatorRoleArn);

      // Assess
      expect(classification).toMatchObject({ kind: "ignored", reason });
    },
  );
});

describe("unmatchedReason", () => {
  it.each([
    {
      name: "a failed call",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.errorCode = "AccessDenied";
      }),
      reason: "failed-call",
    },
    {
      name: "the remediator's change",
      event: variant("elbv2-modify-listener", remediatorSession),
      reason: "own-change",
    },
    {
      name: "a read-only call",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = "ListTagsForResource";
      }),
      reason: "not-relevant",
    },
    { name: "a Config item", event: fixtureEvent("config-item-change-listener"), reason: "not-relevant" },
    { name: "something that is not an event", event: "nonsense", reason: "malformed" },
    {
      name: "a CloudTrail event whose detail does not parse",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.eventName = 1;
      }),
      reason: "malformed",
    },
    {
      name: "an envelope without detail-type",
      event: variant("elbv2-modify-listener", (e) => {
        delete (e as Record<string, unknown>)["detail-type"];
      }),
      reason: "malformed",
    },
    {
      name: "a detail that is a JSON string, not an object",
      event: variant("elbv2-modify-listener", (e) => {
        (e as Record<string, unknown>).detail = JSON.stringify(e.detail);
      }),
      reason: "malformed",
    },
  ])("$name -> $reason", ({ event, reason }) => {
    // Act
    const result = unmatchedReason(event, remediatorRoleArn);

    // Assess
    expect(result).toBe(reason);
  });
});
