import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../local/runtime.js";
import { bareEnvironment, lines, root, runCli } from "./run.js";

/**
 * What `simulate` reads: JSON or JSONC from a file or from stdin (`-`), with
 * one-line errors; and what its approval emails carry: links to the local
 * approval page and the CLI's variables. The README's example runs as written.
 */
const readme = readFileSync(join(root, "README.md"), "utf8");
/** The ```jsonc block of the README's "Writing a scenario" section, exactly as a reader copies it. */
const readmeExample = /## Writing a scenario[\s\S]*?```jsonc\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? "";
const env = bareEnvironment();
const dir = mkdtempSync(join(tmpdir(), "driftwarden-simulate-input-"));

function report(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

describe("simulate input", () => {
  it("runs the README's scenario as written, from stdin", async () => {
    // Act
    const run = await runCli(["simulate", "-"], { env, stdin: readmeExample });

    // Assess
    expect(readmeExample).toMatch(/\/\/ home region/);
    expect(run.code, run.stderr).toBe(0);
    const result = report(run.stdout);
    expect(result.errors).toEqual([]);
    expect(result.executions).toMatchObject([{ outcome: "fixed", trigger: "sweep" }]);
    expect(result.approvals).toMatchObject([{ status: "approved", by: "oncall@example.com" }]);
  }, 120_000);

  it("reads JSONC from a file as the same scenario written in plain JSON", async () => {
    // Prepare
    const jsonc = join(dir, "example.jsonc");
    writeFileSync(jsonc, readmeExample);
    const plain = join(dir, "example.json");
    writeFileSync(plain, readmeExample.replace(/\s*\/\/.*$/gm, "").replace(/,(\s*[}\]])/g, "$1"));

    // Act
    const [fromJsonc, fromJson] = await Promise.all([
      runCli(["simulate", jsonc], { env }),
      runCli(["simulate", plain], { env }),
    ]);

    // Assess
    expect(() => JSON.parse(readFileSync(plain, "utf8"))).not.toThrow();
    expect(fromJsonc.code, fromJsonc.stderr).toBe(0);
    expect(fromJson.code, fromJson.stderr).toBe(0);
    const outcome = (run: typeof fromJson) =>
      report(run.stdout).executions.map(({ control, resource, outcome, trigger }) => ({
        control,
        resource,
        outcome,
        trigger,
      }));
    expect(outcome(fromJsonc)).toEqual(outcome(fromJson));
  }, 120_000);

  it("gives approval emails the local page's links and the variables the CLI needs", async () => {
    // Prepare: the README's scenario, stopped while the approval is pending.
    const pending = readmeExample.replace(/\{ "approve": \{ "by": "oncall@example\.com" \} \},/, "");

    // Act
    const run = await runCli(["simulate", "-"], { env, stdin: pending });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = report(run.stdout);
    const [approval] = result.approvals;
    const email = result.notifications.find((n) => n.subject.includes("APPROVAL NEEDED"))?.message ?? "";
    const id = approval?.id ?? "<none>";
    expect(approval?.status).toBe("pending");
    expect(email).toMatch(
      new RegExp(
        `^Approve: http://127\\.0\\.0\\.1:4780/\\?id=${id}&decision=approve&expires=\\d+&sig=[\\w-]+$`,
        "m",
      ),
    );
    expect(email).toMatch(
      new RegExp(`^Reject: http://127\\.0\\.0\\.1:4780/\\?id=${id}&decision=reject&`, "m"),
    );
    expect(email).toContain("the local approval page that `driftwarden demo` (npm start) serves");
    expect(email).toContain(
      `DRIFTWARDEN_APPROVALS_TABLE=driftwarden-local-ApprovalsTable AWS_REGION=us-west-2 npx driftwarden approve ${id}`,
    );
    expect(email).toContain("also set DRIFTWARDEN_LOCAL_ENDPOINT");
  }, 120_000);

  it("links to another approval page when told", async () => {
    // Prepare
    const pending = readmeExample.replace(/\{ "approve": \{ "by": "oncall@example\.com" \} \},/, "");

    // Act
    const run = await runCli(["simulate", "--approval-url", "https://approvals.example.com/decide", "-"], {
      env,
      stdin: pending,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const email = report(run.stdout).notifications[0]?.message ?? "";
    expect(email).toMatch(/^Approve: https:\/\/approvals\.example\.com\/decide\?id=/m);
    expect(email).toContain("driftwarden's links always start with https://approvals.example.com/decide;");
    expect(email).not.toContain("DRIFTWARDEN_LOCAL_ENDPOINT");
  }, 120_000);

  it.each([
    {
      name: "a missing comma, by line and column",
      text: '{\n  // two steps\n  "steps": [\n    { "sweep": {} }\n    { "advance": "PT1H" }\n  ]\n}\n',
      says: "driftwarden simulate: stdin: not valid JSON (CommaExpected at line 5, column 5)",
    },
    {
      name: "an unterminated comment",
      text: '{ "steps": [] /* ',
      says: "driftwarden simulate: stdin: not valid JSON (UnexpectedEndOfComment at line 1, column 15)",
    },
    { name: "nothing at all", text: "", says: "driftwarden simulate: stdin: not valid JSON (ValueExpected" },
    {
      name: "a field, in JSONC",
      text: '{ "region": "Europe", /* where */ "steps": [], }',
      says: "driftwarden simulate: region: must be an AWS region",
    },
  ])(
    "refuses $name from stdin: one line, exit code 2",
    async ({ text, says }) => {
      // Act
      const run = await runCli(["simulate", "-"], { env, stdin: text });

      // Assess
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toContain(says);
    },
    120_000,
  );
});
