import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/lib/config.js";
import { logger } from "../../functions/lib/observability.js";
import { demoAccount, demoState, shop } from "../../local/demo-account.js";
import { LocalRuntime, type RoutedEvent } from "../../local/runtime.js";

/**
 * Whatever EventBridge (or a scenario) delivers, the router and intake of the
 * deployed pipeline neither throw nor change the account, and account for
 * every event: it started or joined a workflow, or it is ignored with a
 * reason, or it is in errors. Well-formed CloudTrail, Config item and Config
 * compliance envelopes with random names, regions and identities, with halves
 * missing, and plain garbage; the account holds only compliant resources, so
 * nothing an event says can rightly lead to a change.
 */

const account = demoAccount.account;
const remediatorRole = `arn:aws:iam::${account}:role/driftwarden-remediator`;
const realArns = [shop.httpListener, shop.httpsListener, shop.loadBalancer, `${shop.httpListener}-gone`];
const text = fc.string({ maxLength: 40 });
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
const often = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 9 }, { arbitrary: rare, weight: 1 });

// Mostly where the deployment has rules (eu-west-1 home, us-west-2 watched, us-east-1 for CloudFront).
const region = often(
  fc.constantFrom("eu-west-1", "us-west-2", "us-east-1"),
  fc.constantFrom("ap-south-1", "mars-north-1", "", "EU-WEST-1"),
);
const owner = often(fc.constant(account), fc.constantFrom("444455556666", ""));
const time = fc
  .date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
  .map((d) => d.toISOString());

const listenerArn = fc.oneof(
  fc.constantFrom(...realArns),
  fc
    .tuple(region, owner, fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), hex(16), hex(16))
    .map(([r, o, name, lb, id]) => `arn:aws:elasticloadbalancing:${r}:${o}:listener/app/${name}/${lb}/${id}`),
);
const distributionArn = fc
  .tuple(owner, fc.stringMatching(/^E[0-9A-Z]{12}$/))
  .map(([o, id]) => `arn:aws:cloudfront::${o}:distribution/${id}`);
const arn = often(fc.oneof(listenerArn, distributionArn), text);

const identity = often(
  fc.oneof(
    fc.record({
      type: fc.constant("IAMUser"),
      principalId: text,
      arn: text.map((name) => `arn:aws:iam::${account}:user/${name}`),
      accountId: owner,
      userName: text,
    }),
    fc.record({
      type: fc.constant("AssumedRole"),
      principalId: text,
      arn: fc.oneof(fc.constant(`arn:aws:sts::${account}:assumed-role/driftwarden-remediator/fix`), text),
      accountId: owner,
      sessionContext: fc.record({
        sessionIssuer: fc.record({
          type: fc.constant("Role"),
          arn: fc.oneof(
            fc.constant(remediatorRole),
            text.map((name) => `arn:aws:iam::${account}:role/${name}`),
          ),
          userName: text,
        }),
      }),
    }),
    fc.record({
      type: fc.constant("Root"),
      principalId: text,
      arn: fc.constant(`arn:aws:iam::${account}:root`),
      accountId: owner,
    }),
    fc.record({
      type: fc.constant("AWSService"),
      invokedBy: fc.oneof(fc.constant("cloudformation.amazonaws.com"), text),
    }),
  ),
  fc.jsonValue(),
);

/** A whole envelope, or (one time in five) one that lost a field, top-level or in its detail. */
function envelope(
  detailType: string,
  source: fc.Arbitrary<string>,
  detail: fc.Arbitrary<Record<string, unknown>>,
) {
  const whole = fc.record({
    version: fc.constant("0"),
    id: fc.uuid(),
    "detail-type": often(fc.constant(detailType), text),
    source,
    account: owner,
    time,
    region,
    resources: fc.array(arn, { maxLength: 2 }),
    detail,
  });
  return fc.tuple(whole, fc.nat(9), fc.nat(20)).map(([event, damage, which]) => {
    const copy: Record<string, unknown> = { ...event, detail: { ...event.detail } };
    const target = damage === 0 ? copy : damage === 1 ? (copy.detail as Record<string, unknown>) : undefined;
    if (target) {
      const keys = Object.keys(target);
      delete target[keys[which % keys.length] as string];
    }
    return copy;
  });
}

/** What a service's CloudTrail events look like: where they come from and what they are called. */
const services = {
  elbv2: {
    source: "aws.elasticloadbalancing",
    eventSource: "elasticloadbalancing.amazonaws.com",
    names: [
      "ModifyListener",
      "CreateListener",
      "CreateRule",
      "ModifyRule",
      "DeleteRule",
      "SetRulePriorities",
    ],
    region,
  },
  cloudfront: {
    source: "aws.cloudfront",
    eventSource: "cloudfront.amazonaws.com",
    names: ["UpdateDistribution", "UpdateDistribution2019_03_26", "CreateDistribution", "CopyDistribution"],
    region: often(fc.constant("us-east-1"), region),
  },
};

const cloudTrail = fc.constantFrom(services.elbv2, services.cloudfront).chain((service) =>
  envelope(
    "AWS API Call via CloudTrail",
    often(fc.constant(service.source), fc.constantFrom("aws.s3", "aws.elasticloadbalancing", "")),
    fc
      .record({
        eventVersion: fc.constantFrom("1.08", "1.11"),
        userIdentity: identity,
        eventTime: time,
        eventSource: often(
          fc.constant(service.eventSource),
          fc.constantFrom("s3.amazonaws.com", "cloudfront.amazonaws.com"),
        ),
        eventName: often(
          fc.constantFrom(...service.names),
          fc.constantFrom("DescribeListeners", "GetDistributionConfig", "PutObject", ""),
        ),
        awsRegion: service.region,
        // Most recorded calls succeeded and changed something.
        errorCode: fc.oneof(
          { arbitrary: fc.constant(null), weight: 9 },
          { arbitrary: fc.constantFrom("AccessDenied", "Throttling", "ValidationError"), weight: 1 },
        ),
        readOnly: often(fc.constant(false), fc.constant(true)),
        requestParameters: often(
          fc.record(
            {
              listenerArn: arn,
              ruleArn: arn,
              loadBalancerArn: arn,
              id: fc.stringMatching(/^E[0-9A-Z]{12}$/),
              rulePriorities: fc.array(fc.record({ ruleArn: arn }), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
          fc.constant(null),
        ),
        responseElements: often(
          fc.record({ listeners: fc.array(fc.record({ listenerArn: arn }), { maxLength: 2 }) }),
          fc.oneof(fc.constant(null), fc.jsonValue()),
        ),
        recipientAccountId: owner,
      })
      .map(({ errorCode, ...detail }) => (errorCode === null ? detail : { ...detail, errorCode })),
  ),
);

const configItem = envelope(
  "Config Configuration Item Change",
  often(fc.constant("aws.config"), fc.constant("aws.elasticloadbalancing")),
  fc
    .tuple(
      often(
        fc.constant("ConfigurationItemChangeNotification"),
        fc.constantFrom("OversizedConfigurationItemChangeNotification", "Other"),
      ),
      fc.record({
        resourceType: often(
          fc.constantFrom("AWS::ElasticLoadBalancingV2::Listener", "AWS::CloudFront::Distribution"),
          fc.constant("AWS::EC2::Instance"),
        ),
        resourceId: arn,
        ARN: arn,
        awsRegion: region,
        awsAccountId: owner,
        configurationItemStatus: often(
          fc.constantFrom("OK", "ResourceDiscovered"),
          fc.constantFrom("ResourceDeleted", "Bogus"),
        ),
        configurationItemCaptureTime: time,
        configuration: often(fc.dictionary(text, fc.jsonValue()), fc.jsonValue()),
      }),
      time,
    )
    .map(([messageType, item, created]) =>
      messageType === "OversizedConfigurationItemChangeNotification"
        ? {
            messageType,
            configurationItemSummary: item,
            notificationCreationTime: created,
            recordVersion: "1.0",
          }
        : { messageType, configurationItem: item, notificationCreationTime: created, recordVersion: "1.3" },
    ),
);

const compliance = envelope(
  "Config Rules Compliance Change",
  often(fc.constant("aws.config"), text),
  fc.record({
    messageType: often(fc.constant("ComplianceChangeNotification"), text),
    configRuleName: often(
      fc.constantFrom(
        "securityhub-alb-http-to-https-redirection-check-a1b2c3",
        "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
        "securityhub-cloudfront-traffic-to-origin-encrypted-9f8e7d",
      ),
      text,
    ),
    resourceId: arn,
    resourceType: fc.constantFrom(
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "AWS::CloudFront::Distribution",
    ),
    awsRegion: region,
    awsAccountId: owner,
    notificationCreationTime: time,
    newEvaluationResult: fc.record({
      complianceType: often(fc.constant("NON_COMPLIANT"), fc.constantFrom("COMPLIANT", "NOT_APPLICABLE")),
      resultRecordedTime: time,
    }),
  }),
);

const garbage = fc.oneof(fc.anything(), fc.jsonValue(), fc.dictionary(text, fc.jsonValue()));

const anyEnvelope: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: cloudTrail, weight: 5 },
  { arbitrary: configItem, weight: 2 },
  { arbitrary: compliance, weight: 2 },
  { arbitrary: garbage, weight: 1 },
);

const idOf = (envelope: unknown): string | undefined => {
  const id = (envelope as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
};

let runtime: LocalRuntime;
const routed: RoutedEvent[] = [];

beforeAll(async () => {
  // Every bad envelope is logged; the results are what is asserted.
  logger.setLogLevel("SILENT");
  runtime = await LocalRuntime.start({
    ...demoAccount,
    config: parseConfig({ homeRegion: demoAccount.region, watchedRegions: ["eu-west-1", "us-west-2"] }),
    state: structuredClone(demoState) as never,
    onEvent: (event) => routed.push(event),
  });
});

afterAll(async () => {
  await runtime?.close();
});

describe("router and intake, fed anything", () => {
  it("never throw, never change the account, and account for every one of 10,000 envelopes", async () => {
    let delivered = 0;
    const reached = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(anyEnvelope, { minLength: 100, maxLength: 100 }), async (envelopes) => {
        // Prepare
        routed.length = 0;
        const [ignoredBefore, errorsBefore] = [runtime.ignored.length, runtime.errors.length];

        // Act
        for (const envelope of envelopes) runtime.deliver(envelope, 1);
        await runtime.settle();
        delivered += envelopes.length;
        for (const event of routed) {
          const routedKey = event.matchedRules.length > 0 ? "reached intake" : "dropped by the rules";
          reached.set(routedKey, (reached.get(routedKey) ?? 0) + 1);
          for (const result of event.results) {
            const key = result.status === "ignored" ? `ignored ${result.reason}` : result.status;
            reached.set(key, (reached.get(key) ?? 0) + 1);
          }
        }

        // Assess
        expect(runtime.sandbox.mutations).toEqual([]);
        expect(routed).toHaveLength(envelopes.length);
        const ignored = runtime.ignored.slice(ignoredBefore);
        const errors = runtime.errors.slice(errorsBefore);
        for (const event of routed) {
          const id = idOf(event.envelope) ?? "(no id)";
          const answered = event.results.length > 0 && event.results.every((r) => r.status !== "error");
          const accounted =
            answered ||
            ignored.some((entry) => entry.event === id && entry.reason !== undefined) ||
            errors.some((error) => error.message.includes(id));
          if (!accounted)
            expect.fail(`event ${id} is not accounted for: ${JSON.stringify(event.envelope)?.slice(0, 300)}`);
        }
        expect(runtime.sfn.executions.size, "no workflow starts for a compliant or absent resource").toBe(0);
      }),
      { numRuns: 100, seed: 20_260_301, endOnFailure: true },
    );
    expect(delivered).toBeGreaterThanOrEqual(10_000);
    // The generators reach every part of intake, not just the rules' front door.
    expect(reached.get("reached intake")).toBeGreaterThan(1_000);
    for (const outcome of [
      "malformed",
      "ignored resource-gone",
      "ignored compliant",
      "ignored not-relevant",
    ]) {
      expect(reached.get(outcome), outcome).toBeGreaterThan(0);
    }
  }, 600_000);
});
