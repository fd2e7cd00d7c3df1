import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durationSeconds } from "../functions/lib/duration.js";
import { outcomes } from "../functions/workflow/types.js";
import type { Report, RoutedEvent } from "../local/runtime.js";
import { LocalRuntime } from "../local/runtime.js";
import { parseScenario, type Scenario } from "../local/scenario.js";
import { simulate } from "../local/simulate.js";

/**
 * The `driftwarden simulate` contract (SCENARIOS.md), checked mechanically over
 * every scenario in test/scenarios: the bulk in-process through `simulate()`,
 * the invocation (stdout purity, exit codes, one-line reasons) through the real
 * CLI for a handful of files.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const folder = join(root, "test/scenarios");
const files = readdirSync(folder)
  .filter((file) => file.endsWith(".json"))
  .sort();
const readRaw = (file: string) =>
  JSON.parse(readFileSync(join(folder, file), "utf8")) as Record<string, unknown>;

const ignoreReasons = [
  "own-change",
  "failed-call",
  "not-relevant",
  "resource-gone",
  "duplicate",
  "compliant",
  "malformed",
];
const triggers = ["cloudtrail", "config", "sweep"];
const approvalStatuses = ["pending", "approved", "rejected", "expired", "superseded"];
/** The outcomes table: which outcomes change the account and which are notified. */
const changesAccount: Record<string, "yes" | "no" | "maybe"> = {
  fixed: "yes",
  compliant: "no",
  "awaiting-approval": "no",
  rejected: "no",
  "approval-expired": "no",
  exempt: "no",
  reported: "no",
  blocked: "no",
  suspended: "no",
  failed: "maybe",
};
const notified = new Set([
  "fixed",
  "awaiting-approval",
  "rejected",
  "approval-expired",
  "reported",
  "blocked",
  "suspended",
  "failed",
]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const envelopeId = (envelope: unknown): string | null =>
  isObject(envelope) && typeof envelope.id === "string" ? envelope.id : null;
/** A notification names its execution on its `Execution: <execution ARN>` line. */
const notifiedExecution = (message: string): string | undefined =>
  /^Execution: arn:\S+:([^:\s]+)$/m.exec(message)?.[1];

interface Run {
  raw: Record<string, unknown>;
  scenario: Scenario;
  report: Report;
  delivered: RoutedEvent[];
}

async function run(raw: unknown): Promise<Run> {
  const scenario = parseScenario(raw);
  const delivered: RoutedEvent[] = [];
  const report = await simulate(scenario, { onEvent: (event) => delivered.push(event) });
  return { raw: raw as Json, scenario, report, delivered };
}

/**
 * Ids and timestamps may differ between runs; everything else may not. An
 * approval link's signature is made with a key generated for each run (a link
 * works only with the run that signed it), so it differs like an id.
 */
function normalize(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/([?&]sig=)[A-Za-z0-9_-]+/g, "$1<sig>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
      .replace(/\b[0-9a-f]{24}\b/g, "<id>"),
    (key, v) => (["id", "event", "execution", "at"].includes(key) ? "<id>" : v),
  );
}

function runCli(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/driftwarden.js", "simulate", file], {
      cwd: root,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "WARN" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(files)("contract over %s", (file) => {
  let result: Run;
  beforeAll(async () => {
    result = await run(readRaw(file));
  });

  it("reports every field in its documented shape", () => {
    const { report, scenario } = result;
    expect(report.scenario).toBe(scenario.name);
    for (const key of ["executions", "approvals", "calls", "ignored", "notifications", "audit", "errors"]) {
      expect(Array.isArray((report as unknown as Json)[key]), key).toBe(true);
    }
    for (const execution of report.executions) {
      expect(execution).toMatchObject({
        id: expect.any(String),
        control: expect.any(String),
        resource: expect.stringMatching(/^arn:/),
      });
      expect(outcomes, `outcome of ${execution.id}`).toContain(execution.outcome);
      expect(triggers).toContain(execution.trigger);
      expect(execution.actor === null || typeof execution.actor === "string").toBe(true);
      if (execution.trigger === "sweep") expect(execution.actor, "a sweep knows no actor").toBeNull();
    }
    expect(new Set(report.executions.map((e) => e.id)).size).toBe(report.executions.length);
    for (const approval of report.approvals) {
      expect(approval).toMatchObject({
        execution: expect.any(String),
        control: expect.any(String),
        resource: expect.any(String),
      });
      expect(approvalStatuses).toContain(approval.status);
      if (approval.status === "approved" || approval.status === "rejected") {
        expect(approval.by, "who decided").toEqual(expect.any(String));
      } else if (approval.status !== "superseded") {
        expect(approval.by, `${approval.status} approvals have no decider`).toBeNull();
      }
      expect(Array.isArray(approval.reasons) && approval.reasons.every((r) => typeof r === "string")).toBe(
        true,
      );
    }
    for (const call of report.calls) {
      expect(["elbv2", "cloudfront", "wafv2"], "calls list only changes to protected resources").toContain(
        call.service,
      );
      expect(call.action).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(isObject(call.input)).toBe(true);
    }
    for (const entry of report.ignored) {
      expect(typeof entry.event).toBe("string");
      expect(ignoreReasons, `reason of ${entry.event}`).toContain(entry.reason);
    }
    for (const note of report.notifications) {
      expect(typeof note.subject).toBe("string");
      expect(typeof note.message).toBe("string");
      for (const attribute of ["severity", "control", "outcome"]) {
        expect(note.attributes[attribute], `${note.subject}: attribute ${attribute}`).toEqual(
          expect.any(String),
        );
      }
    }
    for (const record of report.audit) {
      expect(record).toMatchObject({
        execution: expect.any(String),
        control: expect.any(String),
        resource: expect.any(String),
        outcome: expect.any(String),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    if (scenario.faults) {
      expect(report.faultsInjected, "faultsInjected, as the scenario had faults").toEqual({
        throttle: expect.any(Number),
        serverError: expect.any(Number),
        crash: expect.any(Number),
      });
    } else {
      expect(report.faultsInjected, "no faultsInjected without faults").toBeUndefined();
    }
    for (const error of report.errors) {
      expect(Number.isInteger(error.step), `errors[].step ${error.step}`).toBe(true);
      expect(error.step, "errors[].step counts steps from 1").toBeGreaterThanOrEqual(1);
      expect(error.step).toBeLessThanOrEqual(scenario.steps.length);
      expect(error.message).toEqual(expect.any(String));
    }
  });

  it("ends every execution in exactly one outcome with exactly one audit record", () => {
    const { report } = result;
    for (const execution of report.executions) {
      const records = report.audit.filter((record) => record.execution === execution.id);
      expect(records, `audit records of ${execution.id}`).toHaveLength(1);
      expect(records[0]).toMatchObject({
        outcome: execution.outcome,
        control: execution.control,
        resource: execution.resource,
      });
    }
    for (const record of report.audit) {
      expect(
        report.executions.some((e) => e.id === record.execution),
        `audit record ${String(record.execution)} belongs to an execution`,
      ).toBe(true);
    }
  });

  it("keeps outcomes, calls, approvals and notifications consistent with the outcomes table", () => {
    const { report } = result;
    const auditOf = (id: string) =>
      report.audit.find((record) => record.execution === id) as
        | { change?: { made?: boolean; calls?: unknown[] } }
        | undefined;
    let made = 0;
    for (const execution of report.executions) {
      const change = auditOf(execution.id)?.change;
      const account = changesAccount[execution.outcome];
      // A risky part never holds back a safe part: an execution still waiting (or rejected, or
      // expired) may have made the safe calls, and then lists what stayed only proposed.
      const safePartOnly =
        ["awaiting-approval", "rejected", "approval-expired"].includes(execution.outcome) &&
        ((change as { proposed?: unknown[] } | undefined)?.proposed?.length ?? 0) > 0;
      if (account === "no" && !safePartOnly)
        expect(change?.made, `${execution.outcome} ${execution.id} changed nothing`).toBe(false);
      if (account === "yes") {
        expect(change?.made, `fixed ${execution.id} made its change`).toBe(true);
        expect(change?.calls?.length, `fixed ${execution.id} made calls`).toBeGreaterThan(0);
      }
      if (change?.made) made += change.calls?.length ?? 0;

      const notes = report.notifications.filter((n) => notifiedExecution(n.message) === execution.id);
      if (notified.has(execution.outcome)) {
        expect(
          notes.some((n) => n.attributes.outcome === execution.outcome),
          `${execution.outcome} ${execution.id} is notified`,
        ).toBe(true);
      }
      for (const note of notes) expect(note.attributes.control).toBe(execution.control);

      const approvals = report.approvals.filter((a) => a.execution === execution.id);
      const want: Record<string, string> = {
        "awaiting-approval": "pending",
        rejected: "rejected",
        "approval-expired": "expired",
      };
      const status = want[execution.outcome];
      if (status) {
        expect(
          approvals.some((a) => a.status === status),
          `${execution.outcome} ${execution.id}: a ${status} approval`,
        ).toBe(true);
      }
      if (execution.outcome !== "awaiting-approval") {
        expect(
          approvals.some((a) => a.status === "pending"),
          `${execution.id} ended but its approval is pending`,
        ).toBe(false);
      }
    }
    // The account changes only through fixed/failed executions, by exactly the calls they made.
    expect(report.calls.length, "calls are the calls fixed/failed executions made").toBe(made);
    for (const note of report.notifications) {
      const execution = notifiedExecution(note.message);
      expect(execution, `${note.subject} names its execution`).toBeDefined();
      expect(
        report.executions.some((e) => e.id === execution),
        `${note.subject}: its execution is reported`,
      ).toBe(true);
      // The one exception to "exempt is not notified": a resource's own tag starts to exempt it.
      const tagNotice = note.attributes.outcome === "exempt" && /exempted by tag /.test(note.message);
      expect(
        notified.has(note.attributes.outcome ?? "") || tagNotice,
        `${note.subject}: ${note.attributes.outcome} is never notified`,
      ).toBe(true);
    }
    const tagNotices = report.notifications
      .filter((note) => note.attributes.outcome === "exempt")
      .map((note) => notifiedExecution(note.message))
      .map((execution) => report.executions.find((e) => e.id === execution)?.resource);
    expect(new Set(tagNotices).size, "a tag exemption is announced once per resource").toBe(
      tagNotices.length,
    );
    for (const approval of report.approvals) {
      expect(
        report.executions.some((e) => e.id === approval.execution),
        `approval of ${approval.execution}`,
      ).toBe(true);
    }
  });

  it("accounts for every delivered event: the scenario's and the remediator's own echoes", () => {
    const { report, scenario, delivered } = result;
    const scenarioEvents = scenario.steps.flatMap((step) =>
      "event" in step ? [JSON.stringify(step.event)] : [],
    );
    const remaining = [...scenarioEvents];
    const echoes: RoutedEvent[] = [];
    for (const event of delivered) {
      const at = remaining.indexOf(JSON.stringify(event.envelope));
      if (at >= 0) remaining.splice(at, 1);
      else echoes.push(event);
    }
    expect(remaining, "every scenario event step is delivered").toEqual([]);
    // Every mutating call of the remediator is echoed once, made by the remediator role, in order;
    // so is every refused attempt (a throttled one, say), with its errorCode.
    const detailOf = (e: RoutedEvent) =>
      (e.envelope as { detail?: { eventName?: string; errorCode?: string } }).detail;
    const refused = echoes.filter((e) => detailOf(e)?.errorCode !== undefined);
    expect(echoes.filter((e) => !refused.includes(e)).map((e) => detailOf(e)?.eventName)).toEqual(
      report.calls.map((call) => call.action),
    );
    for (const echo of refused) {
      const id = envelopeId(echo.envelope);
      expect(
        report.ignored.some((i) => i.event === id && i.reason === "failed-call"),
        `refused attempt ${id} is ignored as failed-call`,
      ).toBe(true);
    }
    for (const echo of echoes.filter((e) => !refused.includes(e))) {
      const detail = (echo.envelope as { detail: Json }).detail as {
        userIdentity?: { sessionContext?: { sessionIssuer?: { arn?: string } } };
      };
      expect(
        detail.userIdentity?.sessionContext?.sessionIssuer?.arn,
        "the echo is made by the remediator role",
      ).toBe(scenario.config.remediatorRoleArn);
      const id = envelopeId(echo.envelope);
      expect(
        report.ignored.some((i) => i.event === id && i.reason === "own-change"),
        `own echo ${id} is ignored as own-change`,
      ).toBe(true);
    }

    // Which event started which execution, from what intake answered.
    const startedBy = new Map<string, string | null>();
    for (const event of delivered) {
      for (const r of event.results) if (r.status === "started") startedBy.set(r.execution, r.eventId);
    }
    for (const execution of report.executions) {
      const exposed = (execution as { event?: string | null }).event;
      if (startedBy.has(execution.id)) {
        expect(execution.trigger).not.toBe("sweep");
        if (exposed !== undefined) expect(exposed).toBe(startedBy.get(execution.id));
      } else if (execution.trigger !== "sweep" && exposed) {
        // Started by an intake invocation that died before it could answer; Lambda delivered the event again.
        expect(
          delivered.some((event) => envelopeId(event.envelope) === exposed),
          `${execution.id} was started by delivered event ${exposed}`,
        ).toBe(true);
      } else {
        expect(execution.trigger, `${execution.id} was started by no delivered event, so by a sweep`).toBe(
          "sweep",
        );
        if (exposed !== undefined) expect(exposed).toBeNull();
      }
    }
    const startedIds = new Set(startedBy.values());
    for (const event of delivered) {
      const id = envelopeId(event.envelope);
      const step = event.step ?? 0;
      if (id === null) {
        expect(report.ignored.some((i) => i.event === "(no id)" && i.reason === "malformed")).toBe(true);
        expect(
          report.errors.some((e) => e.step === step),
          `the id-less event of step ${step} is in errors`,
        ).toBe(true);
        continue;
      }
      const accounted =
        startedIds.has(id) ||
        report.ignored.some((i) => i.event === id) ||
        report.errors.some((e) => e.message.includes(id));
      expect(accounted, `event ${id} (step ${step}) is accounted for`).toBe(true);
      // An event that reached intake is accounted for by what intake answered, or dead-lettered.
      if (event.matchedRules.length > 0 && event.results.length === 0) {
        expect(
          report.errors.some((e) => e.message.includes(id) && e.message.includes("dead-lettered")),
          `intake answered for ${id}, or it was dead-lettered`,
        ).toBe(true);
      }
    }
  });

  it("applies decisions to pending approvals and fires every timeout that fell due", () => {
    const { report, scenario } = result;
    const start = Date.parse(scenario.clock);
    let end = start;
    for (const step of scenario.steps) if ("advance" in step) end += durationSeconds(step.advance) * 1000;
    const timeout = durationSeconds(scenario.config.approvalTimeout) * 1000;
    for (const record of report.audit) {
      const at = Date.parse(String(record.at));
      expect(at, `audit ${String(record.execution)} is within the scenario's time`).toBeGreaterThanOrEqual(
        start,
      );
      // Faults and rate limits add time: retries wait on the sandbox clock.
      if (!scenario.faults && !report.rateLimited) expect(at).toBeLessThanOrEqual(end);
      if (record.outcome === "awaiting-approval") {
        expect(at + timeout, `approval of ${String(record.execution)} should have expired`).toBeGreaterThan(
          end,
        );
      }
    }
    // Every approve/reject step that did not fail decided one approval, by that person.
    const decisions = scenario.steps.flatMap((step, index) => {
      const failed = report.errors.some((e) => e.step === index + 1);
      if ("approve" in step && !failed) return [{ status: "approved", by: step.approve.by }];
      if ("reject" in step && !failed) return [{ status: "rejected", by: step.reject.by }];
      return [];
    });
    // A decision on a request that was then superseded (the plan changed) still counts as made.
    const decided = report.approvals
      .filter(
        (a) => a.status === "approved" || a.status === "rejected" || (a.status === "superseded" && a.by),
      )
      .map((a) => ({ ...a, status: a.status === "superseded" ? "approved" : a.status }));
    expect(decided.map((a) => `${a.status} ${a.by}`).sort()).toEqual(
      decisions.map((d) => `${d.status} ${d.by}`).sort(),
    );
  });

  it("reports the state in the scenario's shape (it reads back as a scenario unchanged)", async () => {
    const { report } = result;
    const state = report.state as unknown as {
      elbv2: Record<string, unknown[]>;
      cloudfront: { distributions: unknown[] };
      origins: Record<string, string>;
    };
    for (const key of ["loadBalancers", "listeners", "rules", "attributes", "tags"]) {
      expect(Array.isArray(state.elbv2[key]), `state.elbv2.${key}`).toBe(true);
    }
    expect(Array.isArray(state.cloudfront.distributions)).toBe(true);
    expect(isObject(state.origins)).toBe(true);
    for (const rule of state.elbv2.rules as Json[]) {
      expect(rule.ListenerArn, "state rules carry ListenerArn").toEqual(expect.any(String));
      expect(rule.IsDefault, "the default rule is the listener's DefaultActions").not.toBe(true);
    }
    const again = await simulate(parseScenario({ state: report.state, steps: [] }));
    expect(again.state).toEqual(report.state);
  });
});

describe("contract: determinism", () => {
  it.each([
    "edge-approval-oldest-first.json",
    "alb-flapping-suspended.json",
    "edge-mixed-sweep-alb-and-cloudfront.json",
    "cloudfront-update-failed-precondition.json",
    "faults-alb-burst-every-service-throttled.json",
  ])("%s gives the same report twice, apart from ids and timestamps", async (file) => {
    const first = await run(readRaw(file));
    const second = await run(readRaw(file));
    expect(normalize(second.report)).toEqual(normalize(first.report));
  });
});

describe("contract: scenario fields and defaults", () => {
  it("defaults account, region, clock, modes, approvalTimeout and the remediator role", () => {
    const scenario = parseScenario({ steps: [] });
    expect(scenario).toMatchObject({
      account: "111122223333",
      region: "eu-west-1",
      clock: "2026-01-01T00:00:00Z",
    });
    expect(scenario.config.approvalTimeout).toBe("PT24H");
    expect(scenario.config.controls).toEqual({});
    expect(scenario.config.remediatorRoleArn).toBe("arn:aws:iam::111122223333:role/driftwarden-remediator");
    expect(parseScenario({ account: "444455556666", steps: [] }).config.remediatorRoleArn).toBe(
      "arn:aws:iam::444455556666:role/driftwarden-remediator",
    );
  });

  it("deep-merges config over the defaults", () => {
    const scenario = parseScenario({
      config: { controls: { "cloudfront-tls-to-origin": { mode: "report" } }, flapping: { maxFixes: 5 } },
      steps: [],
    });
    expect(scenario.config.controls).toEqual({ "cloudfront-tls-to-origin": { mode: "report" } });
    expect(scenario.config.flapping).toEqual({ maxFixes: 5, window: "PT1H" });
    expect(scenario.config.approvalTimeout).toBe("PT24H");
    expect(scenario.config.remediatorRoleArn).toBe("arn:aws:iam::111122223333:role/driftwarden-remediator");
  });

  it("ignores unknown top-level keys, naming them", async () => {
    const { expect: _expectations, ...raw } = readRaw("alb-redirect-restored.json");
    const extended = { ...raw, comment: ["anything"], expect: { nonsense: true }, "x-tool": { a: 1 } };
    expect(parseScenario(extended)).toEqual({
      ...parseScenario(raw),
      ignoredKeys: ["comment", "expect", "x-tool"],
    });
    expect(normalize((await run(extended)).report)).toEqual(normalize((await run(raw)).report));
  });

  it("requires steps", () => {
    expect(() => parseScenario({ name: "no steps" })).toThrow(/^steps: is required/);
  });
});

describe("contract: steps and state semantics", () => {
  const lb = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0123456789abcdef";
  const listener =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/0123456789abcdef/aaaabbbbccccdddd";
  const rule =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/web/0123456789abcdef/aaaabbbbccccdddd/1111222233334444";
  const redirect = {
    Type: "redirect",
    RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" },
  };
  const state = {
    elbv2: {
      loadBalancers: [{ LoadBalancerArn: lb, LoadBalancerName: "web", Type: "application" }],
      listeners: [
        {
          ListenerArn: listener,
          LoadBalancerArn: lb,
          Port: 80,
          Protocol: "HTTP",
          DefaultActions: [redirect],
        },
      ],
      rules: [
        {
          RuleArn: rule,
          ListenerArn: listener,
          Priority: "10",
          Conditions: [{ Field: "path-pattern", Values: ["/status"] }],
          Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
        },
      ],
    },
  };

  it("a call changes the account and emits no event", async () => {
    const { report, delivered } = await run({
      state,
      steps: [
        {
          call: {
            service: "elbv2",
            action: "ModifyListener",
            input: {
              ListenerArn: listener,
              DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }],
            },
          },
        },
      ],
    });
    expect(delivered).toEqual([]);
    expect(report.executions).toEqual([]);
    expect(report.calls, "the system made no call").toEqual([]);
    const after = (report.state.elbv2.listeners as Json[]).find((l) => l.ListenerArn === listener);
    expect(after?.DefaultActions).toMatchObject([{ Type: "fixed-response" }]);
  });

  it("DescribeRules returns the default rule with IsDefault true and Priority default; unlisted origins are unreachable", async () => {
    const scenario = parseScenario({ state, steps: [] });
    const runtime = await LocalRuntime.start({ ...scenario, state: scenario.state });
    try {
      const output = (await runtime.call("elbv2", "DescribeRules", { ListenerArn: listener })) as {
        Rules: Json[];
      };
      const byDefault = output.Rules.filter((r) => r.IsDefault === true);
      expect(byDefault).toHaveLength(1);
      expect(byDefault[0]).toMatchObject({ Priority: "default", Actions: [redirect] });
      expect(output.Rules.find((r) => r.RuleArn === rule)).toMatchObject({
        Priority: "10",
        IsDefault: false,
      });
      const probe = await runtime.sandbox.probe({ host: "not-listed.example.com", port: 443 } as never);
      expect(probe.status).toBe("unreachable");
    } finally {
      await runtime.close();
    }
  });
});

describe("contract: invocation through the real CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "driftwarden-contract-"));
  });
  afterAll(() => {
    // Left in the OS temp folder; nothing there is read again.
  });

  it.each([
    "alb-redirect-restored.json",
    "edge-alb-decisions-without-pending-approval.json",
    "alb-malformed-events-among-valid.json",
  ])("%s: exit 0, stdout is the report and nothing else", async (file) => {
    const [cli, local] = await Promise.all([runCli(join(folder, file)), run(readRaw(file))]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout.endsWith("}\n")).toBe(true);
    const report = JSON.parse(cli.stdout);
    expect(normalize(report)).toEqual(normalize(local.report));
  });

  it("warns once on stderr about unknown top-level keys, naming them, and still runs", async () => {
    const file = join(dir, "extra-keys.json");
    writeFileSync(file, JSON.stringify({ ...readRaw("alb-redirect-restored.json"), steps_: [] }));
    const cli = await runCli(file);
    expect(cli.code, cli.stderr).toBe(0);
    JSON.parse(cli.stdout);
    const warnings = cli.stderr.split("\n").filter((line) => line.includes("unknown top-level keys"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"expect"');
    expect(warnings[0]).toContain('"steps_"');
  });

  /** Broken scenarios: each must exit 2 with one line on stderr naming the field. */
  const broken: [string, string | null, string][] = [
    ["missing file", null, "does-not-exist.json"],
    ["not JSON", '{"steps": [', "not valid JSON"],
    ["JSON text spanning lines", "abc\ndef\n", "not valid JSON"],
    ["an array", "[]", "scenario"],
    ["account", '{"account": "12345", "steps": []}', "account"],
    ["region", '{"region": "Europe", "steps": []}', "region"],
    ["clock", '{"clock": "yesterday", "steps": []}', "clock"],
    ["name", '{"name": 42, "steps": []}', "name"],
    ["steps not a list", '{"steps": {}}', "steps"],
    ["steps missing", '{"name": "no steps"}', "steps"],
    ["unknown step", '{"steps": [{"wait": "PT1H"}]}', "steps.0"],
    ["two steps in one", '{"steps": [{"sweep": {}, "advance": "PT1H"}]}', "steps.0"],
    [
      "call service",
      '{"steps": [{"call": {"service": "s3", "action": "PutObject"}}]}',
      "steps.0.call.service",
    ],
    [
      "call action",
      '{"steps": [{"sweep": {}}, {"call": {"service": "elbv2", "action": "x y"}}]}',
      "steps.1.call.action",
    ],
    ["advance", '{"steps": [{"advance": "25 hours"}]}', "steps.0.advance"],
    ["approve.by", '{"steps": [{"approve": {}}]}', "steps.0.approve.by"],
    ["reject.by", '{"steps": [{"reject": {"by": ""}}]}', "steps.0.reject.by"],
    ["config not an object", '{"config": [], "steps": []}', "config"],
    [
      "control mode",
      '{"config": {"controls": {"alb-http-to-https-redirect": {"mode": "fix"}}}, "steps": []}',
      "config.controls.alb-http-to-https-redirect.mode",
    ],
    ["approvalTimeout", '{"config": {"approvalTimeout": "tomorrow"}, "steps": []}', "config.approvalTimeout"],
    [
      "remediatorRoleArn",
      '{"config": {"remediatorRoleArn": "driftwarden"}, "steps": []}',
      "config.remediatorRoleArn",
    ],
    ["unknown config key", '{"config": {"bogus": 1}, "steps": []}', "config.bogus"],
    ["state not an object", '{"state": [], "steps": []}', "state"],
    [
      "load balancer ARN",
      '{"state": {"elbv2": {"loadBalancers": [{"LoadBalancerName": "x"}]}}, "steps": []}',
      "state.elbv2.loadBalancers.0.LoadBalancerArn",
    ],
    ["origin status", '{"state": {"origins": {"a.example.com": "maybe"}}, "steps": []}', "state.origins"],
    [
      "distribution Id",
      '{"state": {"cloudfront": {"distributions": [{"Id": 5}]}}, "steps": []}',
      "state.cloudfront.distributions.0",
    ],
  ];

  // Twenty-five CLI processes at once: minutes, not seconds, on a busy two-core CI machine.
  it("invalid or unreadable files exit 2 with a one-line reason naming the field", async () => {
    const results = await Promise.all(
      broken.map(async ([label, text, field]) => {
        const file = join(dir, `${label.replace(/\W+/g, "-")}.json`);
        if (text !== null) writeFileSync(file, text);
        return { label, field, ...(await runCli(text === null ? join(dir, "does-not-exist.json") : file)) };
      }),
    );
    for (const { label, field, code, stdout, stderr } of results) {
      expect({ label, code, stdout }).toEqual({ label, code: 2, stdout: "" });
      const lines = stderr.split("\n").filter((line) => line.trim() !== "");
      expect(lines, `${label}: one line on stderr`).toHaveLength(1);
      expect(lines[0], label).toContain(field);
    }
    // Each file starts its own CLI (and tsx): on a busy two-CPU machine they need more than a minute.
  }, 240_000);
});
