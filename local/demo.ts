import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { approvalLinks } from "../functions/approvals/links.js";
import { describeDecider } from "../functions/approvals/page.js";
import { type ApprovalRecord, decideApproval, getApproval } from "../functions/approvals/store.js";
import { parseConfig } from "../functions/lib/config.js";
import { quoteUntrusted } from "../functions/lib/untrusted.js";
import { LOCAL_APPROVAL_PORT, startApprovalServer } from "./approval-server.js";
import { demoAccount, demoState, forwardTo, intranet, shop } from "./demo-account.js";
import { type DemoTerminal, openTerminal, QuitError } from "./demo-terminal.js";
import { localCliEnvironment, startRuntimeEndpoints } from "./endpoints.js";
import { routeLogsToFile } from "./log-file.js";
import { LocalRuntime, type RoutedEvent } from "./runtime.js";
import { assumedRole, iamUser } from "./sandbox/identity.js";
import type { StepObserver } from "./stepfunctions.js";

/**
 * `npm start`: the enforcement loop, live, on the sandbox account. It makes the
 * production incidents happen (a redirect put back to `forward`; a new HTTP-only
 * listener that cannot be redirected safely) and shows what driftwarden sees
 * and does. On-call decides at the prompt, on the approval page or with the
 * CLI; the page and the CLI endpoint stay up until the person quits. Without
 * a terminal, decisions are scripted and the demo ends, so it runs in CI.
 */
export interface DemoOptions {
  interactive: boolean;
  print: (text: string) => void;
  /** Scripted answer for the approval prompt when not interactive. */
  scriptedDecision?: "approve" | "reject";
}

const shortName = (execution: string) => (execution.length > 42 ? `${execution.slice(0, 39)}...` : execution);

function describeState(state: string | undefined, output: unknown): string | undefined {
  const doc = (output ?? {}) as Record<string, Record<string, unknown> | string | undefined>;
  const pick = (key: string) => doc[key] as Record<string, unknown> | undefined;
  switch (state) {
    case "Evaluate":
    case "EvaluateAgain":
    case "EvaluateDecision":
    case "EvaluateExpiry": {
      const evaluation = pick("evaluation") as
        | {
            status: string;
            message: string;
            mode: string;
            decision: string;
            reasons: string[];
            ask: unknown[];
          }
        | undefined;
      if (!evaluation) return undefined;
      const checked = `re-checked live state: ${evaluation.status} - ${evaluation.message}`;
      if (evaluation.status !== "non-compliant") return checked;
      const level =
        evaluation.decision === "blocked" ? "blocked" : evaluation.ask.length > 0 ? "approval" : "automatic";
      const why = evaluation.reasons.length ? ` - ${evaluation.reasons.join("; ")}` : "";
      return `${checked}\n    mode ${evaluation.mode}; risk: ${level}${why}`;
    }
    case "RequestApproval":
      return "on-call answered; the decision is read from the approvals table";
    case "Apply":
      return `applied: ${JSON.stringify((pick("applied")?.calls as unknown[] | undefined)?.map((c) => (c as { action: string }).action))}`;
    case "Verify":
      return `verified by re-reading: ${pick("verification")?.status}`;
    case "Audit":
      return `audit record written (id ${pick("audit")?.auditId})`;
    case "Notify":
      return "on-call notified by email (SNS)";
    default:
      return state?.startsWith("Outcome") ? `outcome: ${doc.outcome}` : undefined;
  }
}

/** Resolves once someone decided the approval anywhere but the terminal (browser page or CLI). */
async function decidedElsewhere(
  runtime: LocalRuntime,
  id: string,
  signal: AbortSignal,
): Promise<ApprovalRecord> {
  const store = { table: runtime.resources.approvalsTable, region: runtime.resources.region };
  for (;;) {
    const record = await getApproval(store, id);
    if (record && record.status !== "pending") return record;
    await sleep(250, undefined, { signal });
  }
}

/** Without a terminal nobody decides; the record says so instead of naming someone. */
const scriptedDecider = "nobody: scripted, no terminal attached";

interface Decision {
  decision: "approved" | "rejected";
  by: string;
  reason?: string;
}

/**
 * Whichever decides first wins: the terminal prompt, the browser page or the
 * CLI. Undefined when the browser or the CLI won.
 */
async function askOnCall(
  terminal: DemoTerminal,
  runtime: LocalRuntime,
  pending: ApprovalRecord,
  line: (text?: string) => void,
): Promise<Decision | undefined> {
  const decider = await terminal.decider();
  line(
    `   Deciding here records you as ${quoteUntrusted(decider.name)} (from ${decider.source}; unverified).`,
  );
  const elsewhere = new AbortController();
  const stopPolling = new AbortController();
  const watcher = decidedElsewhere(runtime, pending.id, stopPolling.signal).then((record) => {
    elsewhere.abort();
    return record;
  });
  watcher.catch(() => undefined);
  try {
    const answer = await terminal.decision(
      "   Approve this fix here? [y]es / [n]o (q quits): ",
      elsewhere.signal,
    );
    if (answer === "approve") return { decision: "approved", by: decider.name };
    return { decision: "rejected", by: decider.name, reason: await terminal.reason(elsewhere.signal) };
  } catch (error) {
    if (!elsewhere.signal.aborted || error instanceof QuitError) throw error;
    const record = await watcher;
    line();
    line(
      `   decided ${record.status} by ${describeDecider(record)} (via ${record.decidedVia?.channel ?? "?"})`,
    );
    return undefined;
  } finally {
    stopPolling.abort();
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const { print } = options;
  const line = (text = "") => print(`${text}\n`);
  const observer: StepObserver = (event) => {
    if (event.type === "StateEntered" && event.state === "RequestApproval") {
      line(`  [${shortName(event.execution)}] waiting for on-call approval...`);
    }
    if (event.type !== "StateExited") return;
    const detail = event.detail as { state?: { output?: unknown } };
    const text = describeState(event.state, detail.state?.output);
    if (text) line(`  [${shortName(event.execution)}] ${text}`);
  };
  const onEvent = (routed: RoutedEvent) => {
    // The demo only delivers envelopes it built (or the pipeline's own echoes).
    const envelope = routed.envelope as { "detail-type"?: string; detail?: Record<string, unknown> };
    const detail = (envelope.detail ?? {}) as { eventName?: string; userIdentity?: { arn?: string } };
    const what = `${envelope["detail-type"]}: ${detail.eventName ?? ""} by ${detail.userIdentity?.arn ?? "?"}`;
    if (routed.matchedRules.length === 0) {
      line(`  event ${what} -> no rule matched (driftwarden's own change or not relevant)`);
      return;
    }
    for (const result of routed.results) {
      const outcome = result.status === "ignored" ? `ignored (${result.reason})` : result.status;
      line(
        `  event ${what} -> ${outcome}${result.status === "started" ? ` workflow ${shortName(result.execution)}` : ""}`,
      );
    }
  };

  // In a terminal the pipeline's JSON log lines go to a file: they would cut through the prompt.
  const logs = options.interactive
    ? routeLogsToFile(join(tmpdir(), `driftwarden-demo-${process.pid}.log`))
    : undefined;
  const terminal = options.interactive ? openTerminal(print) : undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    // The approval page is served before the runtime starts: the links it signs name the page's address.
    const approvalServer = await startApprovalServer({
      port: LOCAL_APPROVAL_PORT,
      ...(logs
        ? {
            onError: (error: unknown) =>
              logs.write(`approval page: ${String((error as Error).stack ?? error)}`),
          }
        : {}),
    });
    cleanups.push(() => approvalServer.close());
    const runtime = await LocalRuntime.start({
      ...demoAccount,
      config: parseConfig({ homeRegion: demoAccount.region }),
      state: demoState as never,
      observer,
      onEvent,
      approvalUrl: approvalServer.url,
    });
    cleanups.push(() => runtime.close());
    // STS answers the CLI as this on-call person, so `driftwarden approve` records them as the approver.
    const oncall = assumedRole(`arn:aws:iam::${demoAccount.account}:role/OnCall`, "oncall-dana");
    const endpoints = await startRuntimeEndpoints(runtime, oncall);
    cleanups.push(() => endpoints.close());
    const cliEnvironment = Object.entries(localCliEnvironment(runtime, endpoints))
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");

    line("driftwarden demo: a sandbox account with two Application Load Balancers");
    line("  shop-prod: HTTP :80 redirects to HTTPS :443 (hardened)");
    line("  intranet:  no listeners yet, and no HTTPS certificate");
    if (logs) line(`  (the pipeline's log lines go to ${logs.path}; q or Ctrl-C quits at any time)`);
    line();

    line("1) alice (via the console) puts shop-prod's HTTP listener back to `forward`");
    const alice = assumedRole(`arn:aws:iam::${demoAccount.account}:role/Admin`, "alice", {
      sourceIp: "203.0.113.24",
      userAgent: "AWS Internal",
    });
    await runtime.change(
      "elbv2",
      "ModifyListener",
      { ListenerArn: shop.httpListener, DefaultActions: forwardTo(shop.targetGroup) },
      alice,
    );
    line();
    if (terminal?.quit.aborted) throw new QuitError("quit");

    line("2) a deploy script (deploy-bot) adds an HTTP listener to intranet, forwarding plain HTTP");
    const bot = iamUser(demoAccount.account, "deploy-bot", {
      sourceIp: "198.51.100.7",
      userAgent: "aws-cli/2.22.4",
    });
    await runtime.change(
      "elbv2",
      "CreateListener",
      {
        LoadBalancerArn: intranet.loadBalancer,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: forwardTo(intranet.targetGroup),
      },
      bot,
    );
    if (terminal?.quit.aborted) throw new QuitError("quit");
    const [pending] = await runtime.pendingApprovals();
    let decided: Decision | undefined;
    if (pending) {
      line();
      line(`   Approval ${pending.id} for ${pending.resource}`);
      for (const reason of pending.reasons) line(`     why risky: ${reason}`);
      for (const change of pending.changes)
        line(`     change: ${change.action} ${JSON.stringify(change.input)}`);
      const links = await approvalLinks(runtime.resources, pending.id, new Date(pending.expiresAt));
      line(`   Open in a browser to review and approve: ${links.approveUrl}`);
      line(`   (or to reject: ${links.rejectUrl})`);
      if (terminal) {
        line("   Or from another terminal, with the real CLI against this demo's local AWS endpoints:");
        line(`     export ${cliEnvironment}`);
        line(`     npx driftwarden approvals list && npx driftwarden approve ${pending.id}`);
        decided = await askOnCall(terminal, runtime, pending, line);
      } else {
        const scripted = options.scriptedDecision ?? "approve";
        line(`   (no terminal attached: scripted decision "${scripted}")`);
        decided =
          scripted === "approve"
            ? { decision: "approved", by: scriptedDecider }
            : {
                decision: "rejected",
                by: scriptedDecider,
                reason: "scripted rejection: no terminal attached",
              };
      }
      if (decided) await record(runtime, pending, decided, terminal ? "demo terminal" : "demo script", line);
      await runtime.settle();
    }
    line();
    await summary(runtime, line);

    if (terminal) {
      line();
      line("The approval page and the CLI endpoint stay up until you quit:");
      line(`  approval page: ${approvalServer.url}`);
      line(`  export ${cliEnvironment}`);
      line("  npx driftwarden approvals list --status approved");
      line("Type q and Enter (or press Ctrl-C) to quit.");
      await terminal.untilQuit();
      line("demo stopped.");
    }
  } catch (error) {
    if (!(error instanceof QuitError)) throw error;
    line();
    line("demo stopped (nothing of this run is kept).");
  } finally {
    terminal?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await logs?.restore();
  }
}

/** The terminal's decision, recorded as the page records one: the name as typed, unverified. */
async function record(
  runtime: LocalRuntime,
  pending: ApprovalRecord,
  decided: Decision,
  channel: string,
  line: (text?: string) => void,
): Promise<void> {
  const store = { table: runtime.resources.approvalsTable, region: runtime.resources.region };
  try {
    await decideApproval(
      { ...store, stateMachineRegion: runtime.resources.region },
      {
        id: pending.id,
        decision: decided.decision,
        by: decided.by,
        verified: false,
        ...(decided.reason ? { reason: decided.reason } : {}),
        via: { channel },
        now: runtime.clock.now(),
      },
    );
  } catch (error) {
    // The browser or the CLI may have won the race in the instant after the prompt was answered.
    const latest = await getApproval(store, pending.id);
    if (!latest || latest.status === "pending") throw error;
    line(
      `   already decided: ${latest.status} by ${describeDecider(latest)} (via ${latest.decidedVia?.channel ?? "?"})`,
    );
  }
}

async function summary(runtime: LocalRuntime, line: (text?: string) => void): Promise<void> {
  const report = await runtime.report("driftwarden demo");
  const store = { table: runtime.resources.approvalsTable, region: runtime.resources.region };
  line("Summary");
  for (const execution of report.executions) {
    line(`  ${execution.control} ${execution.resource}`);
    line(
      `    outcome: ${execution.outcome}, caused by ${execution.actor ?? "unknown"} (${execution.trigger})`,
    );
  }
  for (const approval of report.approvals) {
    const full = await getApproval(store, approval.id);
    if (!full?.decidedBy) continue;
    const reason = full.reason ? `, reason ${quoteUntrusted(full.reason)}` : "";
    line(`  approval ${approval.id}: ${full.status} by ${describeDecider(full)}${reason}`);
  }
  line(`  changes driftwarden made: ${report.calls.map((c) => c.action).join(", ") || "none"}`);
  line(`  emails sent to on-call: ${report.notifications.length}`);
  for (const n of report.notifications) line(`    - ${n.subject}`);
  line(
    `  audit records: ${report.audit.length}; events ignored: ${report.ignored.map((i) => i.reason).join(", ")}`,
  );
}
