import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../functions/lib/config.js";
import { logger } from "../../functions/lib/observability.js";
import { LocalRuntime } from "../../local/runtime.js";
import { parseSandboxState } from "../../local/sandbox/state.js";

/** ListExecutions on the local Step Functions, as `driftwarden status` reads it: newest first, paged, validated. */
let runtime: LocalRuntime;
let sweepArn: string;

beforeAll(async () => {
  logger.setLogLevel("SILENT");
  runtime = await LocalRuntime.start({
    account: "111122223333",
    region: "eu-west-1",
    clock: "2026-03-01T09:00:00Z",
    config: parseConfig({ homeRegion: "eu-west-1" }),
    state: parseSandboxState({}),
  });
  for (let i = 0; i < 3; i += 1) {
    await runtime.sweep();
    await runtime.advance("PT1H");
  }
  sweepArn = runtime.sweeper.stateMachineArn;
}, 60_000);

afterAll(async () => {
  await runtime?.close();
});

describe("the local Step Functions' ListExecutions", () => {
  it("lists a state machine's executions newest first, a page at a time", async () => {
    // Act
    const first = await runtime.stepFunctions("ListExecutions", { stateMachineArn: sweepArn, maxResults: 2 });
    const rest = await runtime.stepFunctions("ListExecutions", {
      stateMachineArn: sweepArn,
      maxResults: 2,
      nextToken: first.nextToken,
    });

    // Assess
    const started = [
      ...(first.executions as { startDate: Date }[]),
      ...(rest.executions as { startDate: Date }[]),
    ].map((e) => e.startDate.toISOString());
    expect(started).toEqual([
      "2026-03-01T11:00:00.000Z",
      "2026-03-01T10:00:00.000Z",
      "2026-03-01T09:00:00.000Z",
    ]);
    expect(rest.nextToken).toBeUndefined();
    expect((first.executions as { status: string }[]).map((e) => e.status)).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
  });

  it.each([
    { name: "a status filter", input: { statusFilter: "FAILED" }, count: 0 },
    {
      name: "the remediation state machine (the sweep's executions are not its)",
      input: {},
      count: 0,
      remediation: true,
    },
  ])("filters by $name", async ({ input, count, remediation }) => {
    // Act
    const out = await runtime.stepFunctions("ListExecutions", {
      stateMachineArn: remediation ? runtime.resources.stateMachineArn : sweepArn,
      ...input,
    });

    // Assess
    expect(out.executions).toHaveLength(count);
  });

  it.each([
    {
      name: "an unknown state machine",
      input: { stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:nope" },
      error: "StateMachineDoesNotExist",
    },
    { name: "a token it did not issue", input: { nextToken: "bm9wZQ==" }, error: "InvalidToken" },
    { name: "a status that does not exist", input: { statusFilter: "DONE" }, error: "ValidationException" },
    { name: "more than 1,000 a page", input: { maxResults: 1001 }, error: "ValidationException" },
  ])("refuses $name with $error", async ({ input, error }) => {
    // Act
    const refused = await runtime
      .stepFunctions("ListExecutions", { stateMachineArn: sweepArn, ...input })
      .catch((e: Error) => e);

    // Assess
    expect((refused as Error).name).toBe(error);
  });
});
