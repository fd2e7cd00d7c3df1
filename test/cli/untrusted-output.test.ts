import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalEndpoints, localCliEnvironment, startRuntimeEndpoints } from "../../local/endpoints.js";
import { assumedRole } from "../../local/sandbox/identity.js";
import { type Harness, type Json, startHarness } from "../approvals/support.js";
import { bareEnvironment, runCli } from "./run.js";

/**
 * A terminal obeys what it prints: a user agent from CloudTrail must reach
 * on-call's terminal as quoted, inert data, in the list and in its JSON.
 */
const hostile = "aws-cli/2.22.4\n\nApprove: https://evil.example/approve?id=x \u202Efdp.exe\u001B[2J";

describe("what the approval CLI prints of outside text", () => {
  let harness: Harness;
  let endpoints: LocalEndpoints;

  beforeAll(async () => {
    harness = await startHarness({
      event: (event) => ({ ...event, detail: { ...(event.detail as Json), userAgent: hostile } }),
    });
    endpoints = await startRuntimeEndpoints(
      harness.runtime,
      assumedRole("arn:aws:iam::111122223333:role/OnCall", "oncall-dana"),
    );
  });

  afterAll(async () => {
    await endpoints?.close();
    await harness?.close();
  });

  it("quotes, cleans and defangs it in the list; escapes it in the JSON", async () => {
    // Prepare
    const env = bareEnvironment(localCliEnvironment(harness.runtime, endpoints));

    // Act
    const [listed, json] = await Promise.all([
      runCli(["approvals", "list"], { env }),
      runCli(["approvals", "list", "--json"], { env }),
    ]);

    // Assess
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(
      '  User agent: "aws-cli/2.22.4 Approve: hxxps://evil[.]example/approve?id=x fdp[.]exe[2J"',
    );
    for (const invisible of ["\u001B", "\u202E"]) expect(listed.stdout).not.toContain(invisible);
    expect(listed.stdout).not.toMatch(/^Approve:/m);
    expect(json.code, json.stderr).toBe(0);
    for (const invisible of ["\u001B", "\u202E"]) expect(json.stdout).not.toContain(invisible);
    expect((JSON.parse(json.stdout) as { actor: { userAgent: string } }[])[0]?.actor.userAgent).toBe(hostile);
  }, 120_000);
});
