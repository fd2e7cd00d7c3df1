import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explain } from "../../cli/errors.js";
import { ApprovalError, ScenarioError } from "../../functions/lib/errors.js";
import { type LocalEndpoints, localCliEnvironment, startRuntimeEndpoints } from "../../local/endpoints.js";
import { assumedRole } from "../../local/sandbox/identity.js";
import { type Harness, startHarness } from "../approvals/support.js";
import { bareEnvironment, lines, runCli } from "./run.js";

/**
 * Every expected failure of the CLI is one line naming the cause and what to
 * do, and exit code 2; an internal error exits 1 and shows its stack only
 * under --debug. Each path runs the real CLI as a child process.
 */
const empty = join(tmpdir(), `driftwarden-empty-aws-config-${process.pid}`);
writeFileSync(empty, "");
/** No credentials anywhere: no variables, empty config and credentials files, no instance metadata. */
const noCredentials = bareEnvironment({
  AWS_CONFIG_FILE: empty,
  AWS_SHARED_CREDENTIALS_FILE: empty,
  AWS_EC2_METADATA_DISABLED: "true",
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

describe("expected failures through the real CLI", () => {
  it.each([
    {
      name: "no AWS credentials (approvals list)",
      args: ["approvals", "list", "--table", "driftwarden-ApprovalsTable", "--region", "eu-west-1"],
      says: ["driftwarden approvals list: no AWS credentials found", "aws sso login"],
    },
    {
      name: "no AWS credentials (approve)",
      args: ["approve", "6649b885907c62e185b1666b", "--table", "t", "--region", "eu-west-1"],
      says: ["driftwarden approve: no AWS credentials found", "AWS_PROFILE"],
    },
    {
      name: "no table",
      args: ["approvals", "list", "--region", "eu-west-1"],
      says: ["which approvals table? Pass --table <name> or set DRIFTWARDEN_APPROVALS_TABLE"],
    },
    {
      name: "a region that is no region",
      args: ["approvals", "list", "--table", "t", "--region", "Europe"],
      says: ['region "Europe" is not an AWS region such as eu-west-1'],
    },
    {
      name: "a missing reason",
      args: ["reject", "6649b885907c62e185b1666b", "--table", "t", "--region", "eu-west-1"],
      says: ["required option '--reason <text>' not specified", "(see --help)"],
    },
    {
      name: "an unknown command",
      args: ["aprove", "x"],
      says: ["unknown command 'aprove'"],
    },
    {
      name: "a scenario that does not exist",
      args: ["simulate", "does-not-exist.json"],
      says: ["driftwarden simulate: does-not-exist.json: cannot be read (ENOENT)"],
    },
    {
      name: "a local endpoint that is no URL",
      args: ["approvals", "list", "--table", "t", "--region", "eu-west-1"],
      env: { DRIFTWARDEN_LOCAL_ENDPOINT: "127.0.0.1 port 4780" },
      says: ['DRIFTWARDEN_LOCAL_ENDPOINT "127.0.0.1 port 4780" is not a URL'],
    },
  ])(
    "$name: one line, exit code 2",
    async ({ args, says, env }) => {
      // Act
      const run = await runCli(args, { env: { ...noCredentials, ...env } });

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(lines(run.stderr), run.stderr).toHaveLength(1);
      for (const text of says) expect(run.stderr).toContain(text);
    },
    120_000,
  );

  it("Ctrl-C: one line, exit code 2", async () => {
    // Act: simulate waits for the scenario on stdin, which never ends, until the user presses Ctrl-C.
    const run = await runCli(["simulate", "-"], {
      env: noCredentials,
      started: (child) => {
        // Interrupt the whole job as a terminal does, once the command had time to load.
        setTimeout(() => child.pid && process.kill(-child.pid, "SIGINT"), 8_000);
      },
    });

    // Assess: whether it was still loading or already reading, it says so in one line.
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^driftwarden( simulate)?: interrupted \(Ctrl-C\) (before simulate finished\. Run it again when you are ready; it is safe to repeat|while starting; nothing was done)\.\n$/,
    );
  }, 120_000);
});

describe("failures against the local demo", () => {
  let harness: Harness;
  let endpoints: LocalEndpoints;
  const oncall = assumedRole("arn:aws:iam::111122223333:role/OnCall", "oncall-dana");

  beforeAll(async () => {
    harness = await startHarness();
    endpoints = await startRuntimeEndpoints(harness.runtime, oncall);
  });

  afterAll(async () => {
    await endpoints?.close();
    await harness?.close();
  });

  it("a wrong table: names the table and region and where to find the right ones", async () => {
    // Prepare
    const env = {
      ...noCredentials,
      ...localCliEnvironment(harness.runtime, endpoints),
      DRIFTWARDEN_APPROVALS_TABLE: "driftwarden-production-ApprovalsTable-typo",
    };

    // Act
    const run = await runCli(["approvals", "list"], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `driftwarden approvals list: table "driftwarden-production-ApprovalsTable-typo" was not found in ${harness.runtime.resources.region} (ResourceNotFoundException). Check --table or DRIFTWARDEN_APPROVALS_TABLE (the ApprovalsTable name the deploy printed) and --region or AWS_REGION (the deployment's home region).`,
    ]);
  }, 120_000);

  it("a stopped demo: says so and how to start it again", async () => {
    // Prepare: an endpoint that was printed by a demo which has since stopped.
    const server = createServer();
    const stopped = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const env = {
      ...noCredentials,
      ...localCliEnvironment(harness.runtime, endpoints),
      DRIFTWARDEN_LOCAL_ENDPOINT: stopped,
    };

    // Act
    const run = await runCli(["approve", harness.approval.id], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `driftwarden approve: nothing answers at ${stopped} (ECONNREFUSED): the local demo it points at has stopped. Start it again (npm start) and export the variables it prints, or unset DRIFTWARDEN_LOCAL_ENDPOINT to use AWS.`,
    ]);
    expect((await harness.record())?.status).toBe("pending");
  }, 120_000);
});

describe("internal errors", () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // An endpoint whose answers have the right protocol and nonsense inside: nothing driftwarden expects.
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ Items: 5, Count: 1 }));
    });
    endpoint = await listen(server);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    { debug: false, stack: false },
    { debug: true, stack: true },
  ])(
    "exit code 1; the stack only with --debug ($debug)",
    async ({ debug, stack }) => {
      // Prepare
      const env = {
        ...noCredentials,
        DRIFTWARDEN_LOCAL_ENDPOINT: endpoint,
        DRIFTWARDEN_APPROVALS_TABLE: "t",
        AWS_REGION: "eu-west-1",
      };

      // Act
      const run = await runCli([...(debug ? ["--debug"] : []), "approvals", "list"], { env });

      // Assess
      expect(run.code).toBe(1);
      const [first, ...rest] = lines(run.stderr);
      expect(first).toMatch(
        /^driftwarden approvals list: internal error in driftwarden approvals list \(TypeError: .+\)\. This is a bug: run it again with --debug to see the stack, and report it\.$/,
      );
      expect(rest.some((line) => /^\s+at /.test(line))).toBe(stack);
      if (!stack) expect(rest).toEqual([]);
    },
    120_000,
  );
});

describe("what each failure says", () => {
  const network = (code: string) => Object.assign(new Error(`connect ${code} 1.2.3.4:443`), { code });
  const named = (name: string, message = "") => Object.assign(new Error(message), { name });
  const context = { command: "approvals list", table: "t", region: "eu-west-1" };

  it.each([
    [
      "credentials AWS does not accept",
      named("UnrecognizedClientException", "The security token included in the request is invalid."),
      "AWS did not accept your credentials (UnrecognizedClientException: The security token included in the request is invalid.)",
    ],
    ["expired credentials", named("ExpiredTokenException"), "your AWS credentials have expired"],
    [
      "a denied call",
      named("AccessDeniedException", "User: x is not authorized to perform: dynamodb:Query"),
      "AWS denied the call (AccessDeniedException: User: x is not authorized to perform: dynamodb:Query)",
    ],
    [
      "throttling after retries",
      named("ThrottlingException"),
      "AWS is busy or failing (ThrottlingException)",
    ],
    [
      "a region with no endpoint",
      network("ENOTFOUND"),
      "cannot resolve the AWS endpoint in eu-west-1 (ENOTFOUND",
    ],
    [
      "no network",
      Object.assign(new AggregateError([network("ECONNREFUSED")], "connect failed")),
      "cannot reach AWS in eu-west-1 (ECONNREFUSED)",
    ],
    [
      "an approval decided before",
      new ApprovalError("approval a1 was already approved"),
      "was already approved",
    ],
    ["a broken scenario", new ScenarioError("steps.0: invalid\nsecond line"), "steps.0: invalid second line"],
  ])("%s: exit code 2", (_label, error, says) => {
    // Act
    const explained = explain(error, context);

    // Assess
    expect(explained).toMatchObject({ exitCode: 2, internal: false });
    expect(explained.message).toContain(says);
    expect(explained.message).not.toContain("\n");
  });

  it("anything else is a bug: exit code 1", () => {
    // Act
    const explained = explain(new RangeError("Invalid array length"), context);

    // Assess
    expect(explained).toMatchObject({ exitCode: 1, internal: true });
    expect(explained.message).toContain(
      "internal error in driftwarden approvals list (RangeError: Invalid array length)",
    );
  });
});
