import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type IntakeDeps, type IntakeResult, intake } from "../../functions/intake/intake.js";
import { executionName } from "../../functions/intake/start.js";
import { clients } from "../../functions/lib/aws.js";
import { digest } from "../../functions/lib/digest.js";
import { IntakeFailedError } from "../../functions/lib/errors.js";
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
  type TestControl,
  testControl,
  testResources,
  variant,
  type WorldEntry,
} from "./support.js";

const clock = new Date("2026-03-01T09:00:30Z");
const forwarding = { defaultAction: "forward" };
const secondListener =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/aaaaaaaaaaaaaaaa";

let aws: Awaited<ReturnType<typeof fakeAws>>;
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
const firstName = executionName(albMetadata.id, listenerArn, digest(forwarding));

/** The same change delivered as a different event (another id). */
function redelivered(event: Json, id: string): Json {
  return { ...event, id };
}

const unavailable = () =>
  new DynamoDBServiceException({
    name: "ServiceUnavailable",
    $fault: "server",
    message: "try again",
    $metadata: {},
  });

/** The intake failure of a call, for asserting on its class and message. */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected intake to fail, but it returned");
}

// Errors are expected in some cases; the results and failures are what is asserted.
beforeAll(() => logger.setLogLevel("SILENT"));

beforeEach(async () => {
  aws = await fakeAws();
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
    expect(results).toEqual([
      {
        eventId: modifyListener.id,
        status: "started",
        execution: firstName,
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
    expect(firstName).toMatch(/^test-alb-redirect-[0-9a-f]{12}-[0-9a-f]{16}$/);
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
    expect(aws.executions.get(firstName)?.input).toEqual(input);
  });

  it.each([
    [
      "a CloudTrail call",
      variant("elbv2-modify-listener", (event) => {
        event.account = "444455556666";
        event.detail.recipientAccountId = "444455556666";
      }),
    ],
    [
      "a Config item change",
      variant("config-item-change-listener", (event) => {
        event.account = "444455556666";
        (event.detail.configurationItem as Json).awsAccountId = "444455556666";
      }),
    ],
  ])("ignores %s of another account without reading it or marking it seen", async (_, event) => {
    // Prepare
    const d = deps();

    // Act
    const results = await intake(event, d);

    // Assess
    expect(results).toEqual([
      {
        eventId: event.id,
        status: "ignored",
        reason: "not-relevant",
        detail: expect.stringContaining("account 444455556666, not 111122223333"),
      },
    ]);
    expect(aws.calls).toEqual([]);
    expect(d.controls.flatMap((control) => (control as TestControl).seen)).toEqual([]);
  });

  it("marks the event seen, for 7 days, only after its workflow started", async () => {
    // Act
    await intake(modifyListener, deps());

    // Assess
    const commands = aws.calls.map((c) => c.command);
    expect(commands.lastIndexOf("PutItemCommand")).toBeGreaterThan(commands.indexOf("StartExecutionCommand"));
    expect(await aws.item(`event#${modifyListener.id}`)).toMatchObject({
      eventId: modifyListener.id,
      expiresAt: clock.getTime() / 1000 + 7 * 24 * 3600,
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
    await intake(modifyListener, deps());

    // Act
    const results = await intake(redelivered(modifyListener, "second-event"), deps());

    // Assess
    expect(results).toEqual([
      {
        eventId: "second-event",
        status: "ignored",
        reason: "duplicate",
        detail: `joined running execution ${firstName}`,
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
  });

  it("handles a drift that keeps coming back, every time, in the same few calls per event", async () => {
    // Prepare
    const recurrences = 65;
    const started: string[] = [];
    const callsPerEvent: number[] = [];

    // Act: each time, the previous workflow has ended and the same drift is reported again
    for (let i = 1; i <= recurrences; i++) {
      const before = aws.calls.length;
      const [result] = await intake(redelivered(modifyListener, `recurrence-${i}`), deps());
      callsPerEvent.push(aws.calls.length - before);
      if (result?.status === "started") {
        started.push(result.execution);
        const execution = aws.executions.get(result.execution);
        if (execution) execution.status = "SUCCEEDED";
      }
    }

    // Assess
    expect(started).toHaveLength(recurrences);
    expect(new Set(started).size).toBe(recurrences);
    expect(started[0]).toBe(firstName);
    expect(started.at(-1)).toBe(`${firstName}-${recurrences}`);
    expect(Math.max(...callsPerEvent.slice(1))).toBe(Math.min(...callsPerEvent.slice(1)));
    expect(Math.max(...callsPerEvent)).toBeLessThanOrEqual(6);
  });

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

  it("starts nothing for a compliant resource with no workflow open", async () => {
    // Prepare
    world.set(listenerArn, { status: "compliant", owned: { defaultAction: "redirect" } });

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toEqual([
      {
        eventId: modifyListener.id,
        status: "ignored",
        reason: "compliant",
        detail: `${listenerArn} is compliant`,
        control: albMetadata.id,
        resource: listenerArn,
      },
    ]);
    expect(aws.calls.some((c) => c.command === "StartExecutionCommand")).toBe(false);
  });

  it.each([
    { ended: false, expected: { reason: "duplicate", detail: `joined running execution ${firstName}` } },
    { ended: true, expected: { reason: "compliant" } },
  ])(
    "answers a compliant resource whose last workflow ended=$ended with $expected",
    async ({ ended, expected }) => {
      // Prepare: a workflow was started for a drift; now the resource complies (the fix, say)
      await intake(modifyListener, deps());
      if (ended) {
        const execution = aws.executions.get(firstName);
        if (execution) execution.status = "SUCCEEDED";
      }
      world.set(listenerArn, { status: "compliant", owned: { defaultAction: "redirect" } });

      // Act
      const results = await intake(redelivered(modifyListener, "the-fix-echo"), deps());

      // Assess
      expect(results).toMatchObject([{ status: "ignored", ...expected }]);
      expect(aws.calls.filter((c) => c.command === "StartExecutionCommand")).toHaveLength(1);
    },
  );

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

  it.each([
    { error: "ValidationError", fault: "client", fails: false },
    { error: "AccessDenied", fault: "client", fails: true },
    { error: "InternalFailure", fault: "server", fails: true },
  ])(
    "reading a target refused with $error ($fault): fails the event=$fails",
    async ({ error, fault, fails }) => {
      // Prepare
      world.set(listenerArn, Object.assign(new Error(`${error}: refused`), { name: error, $fault: fault }));

      // Act
      const outcome = await intake(modifyListener, deps()).then(
        (results) => results,
        (thrown: Error) => thrown,
      );

      // Assess: an invalid request names something that cannot exist; anything else may pass
      if (fails) {
        expect(outcome).toBeInstanceOf(IntakeFailedError);
      } else {
        expect(outcome).toMatchObject([
          { status: "ignored", reason: "not-relevant", detail: expect.stringContaining("cannot exist") },
        ]);
      }
    },
  );

  it("tries every target, then fails so the event is delivered again, without keeping it seen", async () => {
    // Prepare
    world.set(secondListener, new Error("Throttling: Rate exceeded"));
    const twoListeners = variant("elbv2-modify-listener", (e) => {
      (e.detail.responseElements as { listeners: Json[] }).listeners.push({ listenerArn: secondListener });
    });

    // Act
    const error = await failure(intake(twoListeners, deps()));

    // Assess
    expect(error).toBeInstanceOf(IntakeFailedError);
    expect(error.message).toContain(`event ${twoListeners.id}`);
    expect(error.message).toContain(secondListener);
    expect(error.message).toContain("Throttling: Rate exceeded");
    expect(aws.executions.has(firstName)).toBe(true);
    expect(await aws.item(`event#${twoListeners.id}`)).toBeUndefined();
  });

  it("handles the redelivery of a failed event: started targets are joined, the failed one starts", async () => {
    // Prepare
    world.set(secondListener, new Error("Throttling: Rate exceeded"));
    const twoListeners = variant("elbv2-modify-listener", (e) => {
      (e.detail.responseElements as { listeners: Json[] }).listeners.push({ listenerArn: secondListener });
    });
    await failure(intake(twoListeners, deps()));
    world.set(secondListener, { status: "non-compliant", owned: forwarding });

    // Act
    const results = await intake(twoListeners, deps());

    // Assess
    expect(results).toMatchObject([
      { status: "ignored", reason: "duplicate", resource: listenerArn },
      { status: "started", resource: secondListener },
    ]);
    expect(aws.calls.filter((c) => c.command === "StartExecutionCommand")).toHaveLength(2);
    expect(await aws.item(`event#${twoListeners.id}`)).toBeDefined();
  });

  it("starts the name a delivery reserved before it died, instead of skipping to the next", async () => {
    // Prepare: the first delivery reserves the name, then starting it fails
    aws.fail("StartExecutionCommand", new Error("socket hang up"));
    await failure(intake(modifyListener, deps()));
    aws.heal("StartExecutionCommand");

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([{ status: "started", execution: firstName }]);
  });

  it("takes a redelivered event whose workflow already ended for a duplicate, not a recurrence", async () => {
    // Prepare: the workflow started, then marking the event seen failed; the workflow ends before the retry
    aws.fail("PutItemCommand", unavailable());
    await failure(intake(modifyListener, deps()));
    aws.heal("PutItemCommand");
    const execution = aws.executions.get(firstName);
    if (execution) execution.status = "FAILED";

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([
      {
        status: "ignored",
        reason: "duplicate",
        detail: `event ${modifyListener.id} already started execution ${firstName}`,
      },
    ]);
    expect(aws.calls.filter((c) => c.command === "StartExecutionCommand")).toHaveLength(1);
  });

  it("reports an execution another delivery started in the meantime as a duplicate", async () => {
    // Prepare: the execution exists, but this delivery's read of the record came first
    aws.executions.set(firstName, { name: firstName, status: "RUNNING", input: {} });

    // Act
    const results = await intake(modifyListener, deps());

    // Assess
    expect(results).toMatchObject([
      { status: "ignored", reason: "duplicate", detail: expect.stringContaining("concurrently") },
    ]);
  });

  it.each([
    {
      name: "starting the workflow is denied",
      command: "StartExecutionCommand",
      error: Object.assign(new Error("not authorized to perform states:StartExecution"), {
        name: "AccessDeniedException",
      }),
      named: "AccessDeniedException",
    },
    {
      name: "the seen-marker cannot be read",
      command: "GetItemCommand",
      error: unavailable(),
      named: "ServiceUnavailable",
    },
  ])("fails the invocation, naming the event, when $name", async ({ command, error, named }) => {
    // Prepare
    aws.fail(command, error);

    // Act
    const thrown = await failure(intake(modifyListener, deps()));

    // Assess
    expect(thrown.message).toContain(String(modifyListener.id));
    expect(thrown.message).toContain(named);
    aws.heal(command);
    expect(await aws.item(`event#${modifyListener.id}`)).toBeUndefined();
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
  ])("fits Step Functions' rules with room for a ten-digit sequence number: $control", ({ control }) => {
    // Act
    const name = executionName(control, listenerArn, digest(forwarding));

    // Assess
    expect(`${name}-${"9".repeat(10)}`.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
