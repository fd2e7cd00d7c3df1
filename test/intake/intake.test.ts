import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { ExecutionAlreadyExists } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type IntakeDeps, type IntakeResult, intake } from "../../functions/intake/intake.js";
import { executionName } from "../../functions/intake/start.js";
import { clients } from "../../functions/lib/aws.js";
import { digest } from "../../functions/lib/digest.js";
import { logger } from "../../functions/lib/observability.js";
import type { WorkflowInput } from "../../functions/workflow/types.js";
import {
  albMetadata,
  cloudfrontMetadata,
  distributionArn,
  fakeAws,
  fixtureEvent,
  type Json,
  listenerArn,
  remediatorRoleArn,
  testControl,
  testResources,
  variant,
  type WorldEntry,
} from "./support.js";

const clock = new Date("2026-03-01T09:00:30Z");
const forwarding = { defaultAction: "forward" };
const secondListener =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/aaaaaaaaaaaaaaaa";

let aws: ReturnType<typeof fakeAws>;
let world: Map<string, WorldEntry>;

function deps(): IntakeDeps {
  return {
    controls: [testControl(albMetadata, world), testControl(cloudfrontMetadata, world)],
    resources: testResources(),
    clients,
    now: () => clock,
    remediatorRoleArn,
  };
}

const modifyListener = fixtureEvent("elbv2-modify-listener");

/** The same change delivered as a different event (another id). */
function redelivered(event: Json, id: string): Json {
  return { ...event, id };
}

// Errors are expected in some cases; the results are what is asserted.
beforeAll(() => logger.setLogLevel("SILENT"));

beforeEach(() => {
  aws = fakeAws();
  world = new Map<string, WorldEntry>([
    [listenerArn, { status: "non-compliant", owned: forwarding }],
    [distributionArn, { status: "non-compliant", owned: { origin: "http-only" } }],
  ]);
});

afterEach(() => aws.dispose());

describe("intake", () => {
  it("starts one workflow per drift, named after control, resource and drift", async () => {
    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    const name = executionName(albMetadata.id, listenerArn, digest(forwarding));
    expect(results).toEqual([
      {
        eventId: modifyListener.id,
        status: "started",
        execution: name,
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
    expect(name).toMatch(/^test-alb-redirect-[0-9a-f]{12}-[0-9a-f]{16}$/);
    const input: WorkflowInput = {
      control: albMetadata.id,
      resource: listenerArn,
      region: "us-west-2",
      account: "111122223333",
      trigger: "cloudtrail",
      actor: expect.objectContaining({
        arn: "arn:aws:iam::111122223333:user/deploy-bot",
        type: "IAMUser",
        userName: "deploy-bot",
      }) as WorkflowInput["actor"],
      eventId: String(modifyListener.id),
      eventTime: "2026-03-01T09:00:05Z",
      driftDigest: digest(forwarding),
    };
    expect(aws.executions.get(name)?.input).toEqual(input);
  });

  it("marks the event seen with a conditional put that expires after 7 days", async () => {
    // Act
    await intake(modifyListener, deps());

    // Assess
    const put = aws.calls.find((c) => c.command === "PutCommand" || c.command === "PutItemCommand");
    expect(put?.input).toMatchObject({
      TableName: "events",
      Item: { pk: `event#${modifyListener.id}`, expiresAt: clock.getTime() / 1000 + 7 * 24 * 3600 },
      ConditionExpression: "attribute_not_exists(pk)",
    });
  });

  it("ignores a redelivery of the same event as a duplicate", async () => {
    // Prepare
    await intake(modifyListener, deps());

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toEqual([
      {
        eventId: modifyListener.id,
        status: "ignored",
        reason: "duplicate",
        detail: expect.stringContaining("already"),
      },
    ]);
    expect(aws.calls.filter((c) => c.command === "StartExecutionCommand")).toHaveLength(1);
  });

  it("joins the running execution when another event reports the same drift", async () => {
    // Prepare
    const [first] = await intake(modifyListener, deps());

    // Act
    const results = await intake(redelivered(modifyListener, "second-event"), deps());

    // Assess
    expect(first?.status).toBe("started");
    expect(results).toEqual([
      {
        eventId: "second-event",
        status: "ignored",
        reason: "duplicate",
        detail: `joined running execution ${(first as { execution: string }).execution}`,
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
  });

  it.each([
    { closed: ["SUCCEEDED"], expected: "-2" },
    { closed: ["FAILED", "ABORTED"], expected: "-3" },
    { closed: ["TIMED_OUT", "SUCCEEDED", "SUCCEEDED"], expected: "-4" },
  ] as const)(
    "starts $expected when the same drift came back after $closed",
    async ({ closed, expected }) => {
      // Prepare
      const name = executionName(albMetadata.id, listenerArn, digest(forwarding));
      closed.forEach((status, index) => {
        const previous = index === 0 ? name : `${name}-${index + 1}`;
        aws.executions.set(previous, { name: previous, status, input: {} });
      });

      // Act
      const results = await intake(modifyListener, deps());

      // Assess
      expect(results).toMatchObject([{ status: "started", execution: `${name}${expected}` }]);
    },
  );

  it("starts a new workflow for a different drift of the same resource", async () => {
    // Prepare
    const [first] = await intake(modifyListener, deps());
    world.set(listenerArn, { status: "non-compliant", owned: { defaultAction: "fixed-response" } });

    // Act
    const [second] = await intake(redelivered(modifyListener, "later-event"), deps());

    // Assess
    expect(second).toMatchObject({ status: "started" });
    expect((second as { execution: string }).execution).not.toBe((first as { execution: string }).execution);
  });

  it("still starts a workflow for a compliant resource: the workflow re-checks and records it", async () => {
    // Prepare
    world.set(listenerArn, { status: "compliant", owned: { defaultAction: "redirect" } });

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([{ status: "started" }]);
  });

  it.each([
    { name: "the resource is gone", entry: undefined, reason: "resource-gone" },
    {
      name: "the control does not apply",
      entry: { status: "not-applicable", owned: {} },
      reason: "not-relevant",
    },
  ] as const)("ignores the target when $name", async ({ entry, reason }) => {
    // Prepare
    if (entry) world.set(listenerArn, entry);
    else world.delete(listenerArn);

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toEqual([
      {
        eventId: modifyListener.id,
        status: "ignored",
        reason,
        detail: expect.any(String),
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
    expect(aws.calls.some((c) => c.command === "StartExecutionCommand")).toBe(false);
  });

  it("does not let one failing target stop the others, and frees the event for a redelivery", async () => {
    // Prepare
    world.set(secondListener, new Error("Throttling: Rate exceeded"));
    const twoListeners = variant("elbv2-modify-listener", (e) => {
      (e.detail.responseElements as { listeners: Json[] }).listeners.push({ listenerArn: secondListener });
    });

    // Act
    const results = await intake(twoListeners, deps());

    // Assess
    expect(results).toEqual([
      expect.objectContaining({ status: "started", resource: listenerArn }),
      {
        eventId: twoListeners.id,
        status: "error",
        control: albMetadata.id,
        resource: secondListener,
        message: "Error: Throttling: Rate exceeded",
      },
    ]);
    expect(aws.seenMarkers.has(`event#${twoListeners.id}`)).toBe(false);
  });

  it("reports a concurrent start of the same execution as a duplicate", async () => {
    // Prepare
    aws.fail("StartExecutionCommand", new ExecutionAlreadyExists({ message: "exists", $metadata: {} }));

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([
      { status: "ignored", reason: "duplicate", detail: expect.stringContaining("concurrently") },
    ]);
  });

  it("records an AWS error starting the workflow as an error result", async () => {
    // Prepare
    const denied = Object.assign(new Error("not authorized to perform states:StartExecution"), {
      name: "AccessDeniedException",
    });
    aws.fail("StartExecutionCommand", denied);

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([
      { status: "error", message: expect.stringContaining("AccessDeniedException"), resource: listenerArn },
    ]);
  });

  it("records a failure to mark the event seen, and starts nothing", async () => {
    // Prepare
    const unavailable = new DynamoDBServiceException({
      name: "ServiceUnavailable",
      $fault: "server",
      message: "try again",
      $metadata: {},
    });
    aws.fail("PutCommand", unavailable);
    aws.fail("PutItemCommand", unavailable);

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([
      { status: "error", message: expect.stringContaining("ServiceUnavailable") },
    ]);
    expect(aws.calls.some((c) => c.command === "StartExecutionCommand")).toBe(false);
  });

  it("reads CloudFront in us-east-1", async () => {
    // Prepare
    const d = deps();
    const cloudfront = d.controls[1] as ReturnType<typeof testControl>;

    // Act
    const results = await intake(fixtureEvent("cloudfront-update-distribution"), d);

    // Assess
    expect(results).toMatchObject([
      { status: "started", control: cloudfrontMetadata.id, resource: distributionArn },
    ]);
    expect(cloudfront.seen).toContainEqual({
      call: "collect",
      region: "us-east-1",
      resource: distributionArn,
    });
    const started = [...aws.executions.values()][0];
    expect(started?.input).toMatchObject({ region: "us-east-1", trigger: "cloudtrail" });
  });

  it("starts from a Config item without an actor", async () => {
    // Act
    const results = await intake(fixtureEvent("config-item-change-listener"), deps());

    // Assess
    expect(results).toMatchObject([{ status: "started", resource: listenerArn }]);
    expect([...aws.executions.values()][0]?.input).toMatchObject({
      trigger: "config",
      actor: null,
      eventTime: "2026-03-01T09:03:10Z",
    });
  });

  it("says so when an event names no resource of the control", async () => {
    // Prepare
    const noArn = variant("elbv2-modify-listener", (e) => {
      e.detail.requestParameters = { listenerArn: "not-an-arn" };
      e.detail.responseElements = null;
    });

    // Act
    const results = await intake(noArn, deps());

    // Assess
    expect(results).toEqual([
      {
        eventId: noArn.id,
        status: "ignored",
        reason: "not-relevant",
        control: albMetadata.id,
        detail: expect.stringContaining("AWS::ElasticLoadBalancingV2::Listener"),
      },
    ]);
  });

  it.each<{ name: string; event: unknown; expected: Partial<IntakeResult> }>([
    {
      name: "a malformed event",
      event: { ...modifyListener, "detail-type": undefined },
      expected: { status: "malformed", eventId: String(modifyListener.id) },
    },
    {
      name: "a failed call",
      event: variant("elbv2-modify-listener", (e) => {
        e.detail.errorCode = "AccessDenied";
      }),
      expected: { status: "ignored", reason: "failed-call" } as Partial<IntakeResult>,
    },
  ])("answers $name with one result and no AWS call", async ({ event, expected }) => {
    // Act
    const results = await intake(event, deps());

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject(expected);
    expect(aws.calls).toEqual([]);
  });
});

describe("executionName", () => {
  it.each([
    { control: "alb-http-to-https-redirect" },
    { control: "a-control-with-a-very-long-identifier-that-goes-on-and-on-and-on-forever" },
    { control: "weird id/with:chars" },
  ])("fits Step Functions' rules with room for a suffix: $control", ({ control }) => {
    // Act
    const name = executionName(control, listenerArn, digest(forwarding));

    // Assess
    expect(`${name}-50`.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
