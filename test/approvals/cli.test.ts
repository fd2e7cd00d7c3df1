import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveTarget } from "../../cli/approvals.js";
import { type LocalEndpoints, localCliEnvironment, startRuntimeEndpoints } from "../../local/endpoints.js";
import { assumedRole } from "../../local/sandbox/identity.js";
import { type Harness, outcomes, startHarness } from "./support.js";

/**
 * `driftwarden approvals list / approve / reject` as on-call runs them: a
 * separate process with its own SDK clients, here pointed at the local
 * runtime's endpoints (Step Functions and STS wire protocols, DynamoDB
 * passed through) exactly as `npm start` tells a user to.
 */
const bin = fileURLToPath(new URL("../../bin/driftwarden.js", import.meta.url));
const run = promisify(execFile);
const oncall = assumedRole("arn:aws:iam::111122223333:role/OnCall", "oncall-dana");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

let harness: Harness;
let endpoints: LocalEndpoints;

function withLocalRuntime(): void {
  beforeEach(async () => {
    harness = await startHarness();
    endpoints = await startRuntimeEndpoints(harness.runtime, oncall);
  });

  afterEach(async () => {
    await endpoints?.close();
    await harness?.close();
  });
}

async function cli(
  args: string[],
  env: Record<string, string> = localCliEnvironment(harness.runtime, endpoints),
) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, AWS_PROFILE: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("local endpoints", () => {
  withLocalRuntime();

  it("answer the SDK clients in the AWS wire protocols, on the local account's clock", async () => {
    // Prepare
    const config = { endpoint: endpoints.endpoint, region: "us-west-2", credentials };
    const sts = new STSClient(config);
    const sfn = new SFNClient(config);
    const dynamo = new DynamoDBClient(config);
    const [execution] = harness.runtime.sfn.executions.values();

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const refused = await sts
      .send(new AssumeRoleCommand({ RoleArn: oncall.arn, RoleSessionName: "x" }))
      .catch((e) => e);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution?.arn }));
    const badToken = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: "forged", output: "{}" }))
      .catch((e) => e);
    const item = await dynamo.send(
      new GetItemCommand({
        TableName: harness.runtime.resources.approvalsTable,
        Key: { id: { S: harness.approval.id } },
      }),
    );
    const date = (await fetch(endpoints.endpoint, { method: "POST" })).headers.get("date");

    // Assess
    expect(identity).toMatchObject({ Arn: oncall.arn, UserId: oncall.principalId, Account: "111122223333" });
    expect(refused).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
    expect(described).toMatchObject({ status: "RUNNING", name: execution?.name });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(badToken).toBeInstanceOf(InvalidToken);
    expect(item.Item?.status).toEqual({ S: "pending" });
    expect(date).toBe(harness.runtime.clock.now().toUTCString());
    for (const client of [sts, sfn, dynamo]) client.destroy();
  });
});

describe("approval CLI against the local runtime", () => {
  withLocalRuntime();

  it("lists the pending approval, without its task token", async () => {
    // Act
    const listed = await cli(["approvals", "list"]);

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${harness.approval.id}  pending  alb-http-to-https-redirect`);
    expect(listed.stdout).toContain('Source IP: "203.0.113.24"');
    expect(listed.stdout).toContain("why risky:");
    expect(listed.stdout).not.toContain(harness.approval.token);
  });

  it("approves as the caller's STS identity; the workflow ends fixed", async () => {
    // Act
    const approved = await cli(["approve", harness.approval.id]);
    await harness.runtime.settle();
    const again = await cli(["approve", harness.approval.id]);

    // Assess
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved ${harness.approval.id}`);
    expect(approved.stdout).toContain(`as ${oncall.arn}`);
    expect(await harness.record()).toMatchObject({
      status: "approved",
      decidedBy: oncall.arn,
      decidedByVerified: true,
      decidedAt: "2026-03-01T09:00:10.000Z",
      decidedVia: { channel: "cli" },
    });
    const report = await harness.runtime.report("cli approve");
    expect(outcomes(report)).toEqual(["fixed"]);
    expect(report.approvals).toMatchObject([{ status: "approved", by: oncall.arn }]);
    expect(report.audit.find((a) => a.outcome === "fixed")?.decision).toMatchObject({
      kind: "approved",
      by: oncall.arn,
    });
    // Deciding twice is an expected failure: one line, exit code 2.
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`already approved by ${oncall.arn}`);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rejects with a reason; nothing is changed", async () => {
    // Act
    const rejected = await cli(["reject", harness.approval.id, "--reason", "intranet cut-over on Friday"]);
    await harness.runtime.settle();

    // Assess
    expect(rejected.code).toBe(0);
    expect(await harness.record()).toMatchObject({
      status: "rejected",
      decidedBy: oncall.arn,
      reason: "intranet cut-over on Friday",
    });
    const report = await harness.runtime.report("cli reject");
    expect(outcomes(report)).toEqual(["rejected"]);
    expect(report.calls).toEqual([]);
  });

  it.each([
    {
      name: "no table",
      args: ["approvals", "list"],
      env: { AWS_REGION: "us-west-2", DRIFTWARDEN_APPROVALS_TABLE: "" },
      message: "Pass --table <name> or set DRIFTWARDEN_APPROVALS_TABLE",
    },
    {
      name: "reject without a reason",
      args: ["reject", "abc"],
      env: { AWS_REGION: "us-west-2", DRIFTWARDEN_APPROVALS_TABLE: "t" },
      message: "required option '--reason <text>' not specified",
    },
  ])("refuses $name", async ({ args, env, message }) => {
    // Act
    const result = await cli(args, env);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect((await harness.record())?.status).toBe("pending");
  });
});

describe("where the CLI acts", () => {
  it.each([
    {
      name: "flags win over the environment",
      options: { table: "flag-table", region: "eu-central-1" },
      env: { DRIFTWARDEN_APPROVALS_TABLE: "env-table", AWS_REGION: "eu-west-1" },
      expected: { table: "flag-table", region: "eu-central-1" },
    },
    {
      name: "the environment, AWS_DEFAULT_REGION as a fallback",
      options: {},
      env: { DRIFTWARDEN_APPROVALS_TABLE: "env-table", AWS_DEFAULT_REGION: "us-east-2" },
      expected: { table: "env-table", region: "us-east-2" },
    },
    {
      name: "a local runtime",
      options: {},
      env: {
        DRIFTWARDEN_APPROVALS_TABLE: "t",
        AWS_REGION: "eu-west-1",
        DRIFTWARDEN_LOCAL_ENDPOINT: "http://127.0.0.1:1",
      },
      expected: { table: "t", region: "eu-west-1", local: "http://127.0.0.1:1" },
    },
  ])("$name", ({ options, env, expected }) => {
    // Act
    const target = resolveTarget(options, env);

    // Assess
    expect(target).toEqual(expected);
  });
});
