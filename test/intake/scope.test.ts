import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { albDeletionProtection } from "../../functions/controls/alb-deletion-protection/index.js";
import { albDropInvalidHeaders } from "../../functions/controls/alb-drop-invalid-headers/index.js";
import { albHttpToHttpsRedirect } from "../../functions/controls/alb-http-to-https-redirect/index.js";
import { albTlsPolicy } from "../../functions/controls/alb-tls-policy/index.js";
import { albWafAttached } from "../../functions/controls/alb-waf-attached/index.js";
import { cloudfrontTlsToOrigin } from "../../functions/controls/cloudfront-tls-to-origin/index.js";
import type { AnyControl } from "../../functions/controls/types.js";
import { checkTarget } from "../../functions/intake/start.js";
import { clients, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { logger } from "../../functions/lib/observability.js";
import { eventsTable } from "../../functions/lib/tables.js";
import { sweepPage } from "../../functions/sweep/page.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { SandboxClock } from "../../local/sandbox/clock.js";
import {
  forward,
  httpListener,
  httpsListener,
  loadBalancer,
  REGION,
  SHOP,
  SHOP_HTTP,
  SHOP_HTTPS,
} from "../controls/elbv2/sandbox.js";
import { testResources } from "./support.js";

/**
 * scope.tags for every control: a resource without a matching tag is not
 * applicable, whether an event or the sweep finds it; one with the tag is
 * judged as usual. The tags are the resource's own (a listener's overlaid on
 * its load balancer's), as each control's `tags()` reads them.
 */
const cloudfrontScenario = JSON.parse(
  readFileSync(new URL("../scenarios/cloudfront-origin-back-to-https.json", import.meta.url), "utf8"),
) as { state: { cloudfront: { distributions: Record<string, unknown>[] } } };
const distribution = structuredClone(cloudfrontScenario.state.cloudfront.distributions[0]) as {
  ARN: string;
  Tags?: { Key: string; Value: string }[];
  DistributionConfig: { Origins: { Items: { CustomOriginConfig: { OriginProtocolPolicy: string } }[] } };
};
const DISTRIBUTION = distribution.ARN;

type Tags = { Key: string; Value: string }[];

/** Every resource drifted: the redirect forwards, the policy allows TLS 1.0, attributes off, no WAF, http-only origin. */
function driftedAccount(tags: Tags): SandboxAccount {
  const drifted = structuredClone(distribution);
  const origin = drifted.DistributionConfig.Origins.Items[0];
  if (origin) origin.CustomOriginConfig.OriginProtocolPolicy = "http-only";
  drifted.Tags = tags;
  const sandbox = new SandboxAccount({
    region: REGION,
    clock: new SandboxClock("2026-03-01T09:00:00Z"),
    state: {
      elbv2: {
        loadBalancers: [loadBalancer(SHOP)],
        listeners: [
          { ...httpListener(SHOP_HTTP, SHOP), DefaultActions: forward },
          httpsListener(SHOP_HTTPS, SHOP, "ELBSecurityPolicy-2016-08"),
        ],
        rules: [],
        attributes: [],
        tags: [{ ResourceArn: SHOP, Tags: tags }],
      },
      cloudfront: { distributions: [drifted] },
    },
  });
  // Intake keeps its per-target start markers in the events table (a real local DynamoDB).
  sandbox.forwardToEndpoint("dynamodb");
  // Starting a workflow is the in-scope answer; Step Functions is a stub that accepts it.
  sandbox.registerService("sfn", (action, input) => {
    if (action === "DescribeExecution") {
      throw Object.assign(new Error("Execution does not exist"), { name: "ExecutionDoesNotExist" });
    }
    return { executionArn: `${String(input.stateMachineArn)}:${String(input.name)}`, startDate: new Date() };
  });
  return sandbox;
}

const cases: [string, AnyControl, string][] = [
  ["alb-http-to-https-redirect", albHttpToHttpsRedirect, SHOP_HTTP],
  ["alb-tls-policy", albTlsPolicy, SHOP_HTTPS],
  ["alb-drop-invalid-headers", albDropInvalidHeaders, SHOP],
  ["alb-deletion-protection", albDeletionProtection, SHOP],
  ["alb-waf-attached", albWafAttached, SHOP],
  ["cloudfront-tls-to-origin", cloudfrontTlsToOrigin, DISTRIBUTION],
];

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const fn of unregister.splice(0)) fn();
});
let dynamo: LocalDynamo;
beforeAll(async () => {
  logger.setLogLevel("SILENT");
  dynamo = await startLocalDynamo([eventsTable], "us-west-2");
  useDynamoEndpoint(dynamo.clientConfig);
});
afterAll(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

function deps(id: string) {
  return {
    resources: testResources({
      watchedRegions: [REGION],
      controls: { [id]: { scope: { tags: { Environment: ["production"] } } } },
    }),
    clients,
    now: () => new Date("2026-03-01T09:00:00Z"),
  };
}

const production = [{ Key: "Environment", Value: "production" }];
const throwAway = [{ Key: "Environment", Value: "test" }];

describe.each(cases)("scope.tags of %s", (id, control, resource) => {
  it.each([
    {
      name: "no Environment tag",
      tags: [],
      says: 'it has no tag Environment (scope.tags requires "production")',
    },
    {
      name: "Environment=test",
      tags: throwAway,
      says: 'its tag Environment is not "production" (scope.tags)',
    },
  ])(
    "an event about a drifted resource with $name is not-relevant, naming the scope",
    async ({ tags, says }) => {
      // Prepare
      unregister.push(driftedAccount(tags).register());
      const origin = {
        source: "cloudtrail" as const,
        actor: null,
        eventId: "e-1",
        eventTime: "2026-03-01T09:00:00Z",
      };

      // Act
      const result = await checkTarget(
        control,
        resource,
        origin,
        { account: "111122223333", region: REGION },
        deps(id),
        { joinOpenWhenCompliant: true },
      );

      // Assess
      expect(result).toEqual({
        eventId: "e-1",
        control: id,
        resource,
        status: "ignored",
        reason: "not-relevant",
        detail: `out of scope: ${says}`,
      });
    },
  );

  it("an event about the same drift on a production resource starts its workflow", async () => {
    // Prepare
    unregister.push(driftedAccount(production).register());
    const origin = {
      source: "cloudtrail" as const,
      actor: null,
      eventId: "e-2",
      eventTime: "2026-03-01T09:00:00Z",
    };

    // Act
    const result = await checkTarget(
      control,
      resource,
      origin,
      { account: "111122223333", region: REGION },
      deps(id),
      { joinOpenWhenCompliant: true },
    );

    // Assess
    expect(result).toMatchObject({ status: "started", control: id, resource });
  });

  it.each([
    { name: "untagged", tags: [], started: [] },
    { name: "production", tags: production, started: [resource] },
  ])("the sweep starts workflows for in-scope resources only ($name)", async ({ tags, started }) => {
    // Prepare
    unregister.push(driftedAccount(tags).register());
    const { service } = control.metadata;
    const group = {
      region: service === "cloudfront" ? "us-east-1" : REGION,
      service,
      controls: [id],
      source: "describe" as const,
    };

    // Act
    const page = await sweepPage({ group, marker: null, startedAt: "2026-03-01T09:00:00Z" }, deps(id));

    // Assess: an out-of-scope resource is judged (and counted), and starts nothing
    expect(
      page.results.filter((r) => r.status === "started").map((r) => ("resource" in r ? r.resource : "")),
    ).toEqual(started);
    expect(page.counts).toEqual({
      resources: 1,
      started: started.length,
      ignored: 1 - started.length,
      errors: 0,
    });
  });
});
