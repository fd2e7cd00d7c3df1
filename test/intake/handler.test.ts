import type { Context } from "aws-lambda";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useClock } from "../../functions/lib/clock.js";
import { metrics } from "../../functions/lib/metrics.js";
import { logger } from "../../functions/lib/observability.js";
import { useResources } from "../../functions/lib/resources.js";
import { fakeAws, fixtureEvent, listenerArn, testResources, type WorldEntry } from "./support.js";

// The handler takes its controls from the registry; here the registry holds one metadata-only control.
const world = vi.hoisted(() => new Map<string, unknown>());
vi.mock("../../functions/controls/registry.js", async () => {
  const support = await import("./support.js");
  const controls = [support.testControl(support.albMetadata, world as Map<string, WorldEntry>)];
  return { controls, activeControls: () => controls };
});

const { handler } = await import("../../functions/intake/handler.js");

const context = {
  functionName: "driftwarden-intake",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-west-2:111122223333:function:driftwarden-intake",
  memoryLimitInMB: "256",
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

let aws: Awaited<ReturnType<typeof fakeAws>>;

beforeAll(() => logger.setLogLevel("SILENT"));

beforeEach(async () => {
  aws = await fakeAws();
  useResources(testResources());
  useClock(() => new Date("2026-03-01T09:00:30Z"));
  world.set(listenerArn, { status: "non-compliant", owned: { defaultAction: "forward" } });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterEach(() => {
  aws.dispose();
  useResources(undefined);
  useClock(undefined);
  vi.restoreAllMocks();
});

describe("intake handler", () => {
  it.each([
    {
      name: "a trigger",
      event: fixtureEvent("elbv2-modify-listener"),
      status: "started",
      metric: "WorkflowsStarted",
    },
    {
      name: "a malformed event",
      event: { id: "x", detail: 3 },
      status: "malformed",
      metric: "EventsMalformed",
    },
    { name: "not even an object", event: "garbage", status: "malformed", metric: "EventsMalformed" },
  ])("answers $name without throwing and counts it", async ({ event, status, metric }) => {
    // Prepare
    const addMetric = vi.spyOn(metrics, "addMetric");

    // Act
    const results = await handler(event, context);

    // Assess
    expect(results).toMatchObject([{ status }]);
    expect(addMetric).toHaveBeenCalledWith(metric, "Count", 1);
  });
});
