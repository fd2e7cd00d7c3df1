import { createInterface } from "node:readline/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { approvalLinks } from "../functions/approvals/links.js";
import { type ApprovalRecord, getApproval } from "../functions/approvals/store.js";
import { parseConfig } from "../functions/lib/config.js";
import { startApprovalServer } from "./approval-server.js";
import { demoAccount, demoState, forwardTo, intranet, shop } from "./demo-account.js";
import { localCliEnvironment, startRuntimeEndpoints } from "./endpoints.js";
import { LocalRuntime, type RoutedEvent } from "./runtime.js";
import { assumedRole, iamUser } from "./sandbox/identity.js";
import type { StepObserver } from "./stepfunctions.js";

/**
 * `npm start`: the enforcement loop, live, on the sandbox account. It makes the
 * production incidents happen (a redirect put back to `forward`; a new HTTP-only
 * listener that cannot be redirected safely) and shows what driftwarden sees
 * and does. On-call decides at the prompt; without a terminal, decisions are
 * scripted so the same demo runs in CI.
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
    case "EvaluateDecision": {
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

  // The approval page is served before the runtime starts: the links it signs name the page's address.
  const approvalServer = await startApprovalServer();
  const runtime = await LocalRuntime.start({
    ...demoAccount,
    config: parseConfig({ homeRegion: demoAccount.region }),
    state: demoState as never,
    observer,
    onEvent,
    approvalUrl: approvalServer.url,
  }).catch(async (error: unknown) => {
    await approvalServer.close();
    throw error;
  });
  // STS answers the CLI as this on-call person, so `driftwarden approve` records them as the approver.
  const oncall = assumedRole(`arn:aws:iam::${demoAccount.account}:role/OnCall`, "oncall-dana");
  const endpoints = await startRuntimeEndpoints(runtime, oncall).catch(async (error: unknown) => {
    await runtime.close();
    await approvalServer.close();
    throw error;
  });
  const rl = options.interactive
    ? createInterface({ input: process.stdin, output: process.stderr })
    : undefined;
  try {
    line("driftwarden demo: a sandbox account with two Application Load Balancers");
    line("  shop-prod: HTTP :80 redirects to HTTPS :443 (hardened)");
    line("  intranet:  no listeners yet, and no HTTPS certificate");
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
    const [pending] = await runtime.pendingApprovals();
    if (pending) {
      line();
      line(`   Approval ${pending.id} for ${pending.resource}`);
      for (const reason of pending.reasons) line(`     why risky: ${reason}`);
      for (const change of pending.changes)
        line(`     change: ${change.action} ${JSON.stringify(change.input)}`);
      const links = await approvalLinks(runtime.resources, pending.id, new Date(pending.expiresAt));
      line(`   Open in a browser to review and approve: ${links.approveUrl}`);
      line(`   (or to reject: ${links.rejectUrl})`);
      let decision: "approve" | "reject" | undefined = options.scriptedDecision ?? "approve";
      if (rl) {
        line("   Or from another terminal, with the real CLI against this demo's local AWS endpoints:");
        const env = Object.entries(localCliEnvironment(runtime, endpoints)).map(([k, v]) => `${k}=${v}`);
        line(`     export ${env.join(" ")}`);
        line(`     npx driftwarden approvals list && npx driftwarden approve ${pending.id}`);
        // Whichever decides first wins: the terminal prompt, the browser page or the CLI.
        const stop = new AbortController();
        const prompt = rl
          .question("   Approve this fix here? [y]es / [n]o: ", { signal: stop.signal })
          .then((answer) => ({ answer }));
        const elsewhere = decidedElsewhere(runtime, pending.id, stop.signal).then((record) => ({ record }));
        const first = await Promise.race([prompt, elsewhere]);
        stop.abort();
        await Promise.allSettled([prompt, elsewhere]);
        if ("record" in first) {
          line();
          line(
            `   decided ${first.record.status} by ${first.record.decidedBy} (via ${first.record.decidedVia?.channel ?? "?"})`,
          );
          decision = undefined;
        } else {
          decision = first.answer.trim().toLowerCase().startsWith("y") ? "approve" : "reject";
        }
      } else {
        line(`   (no terminal attached: scripted decision "${decision}")`);
      }
      try {
        if (decision === "approve")
          await runtime.decide("approved", "oncall@example.com", {
            id: pending.id,
            channel: "demo terminal",
          });
        else if (decision === "reject")
          await runtime.decide("rejected", "oncall@example.com", {
            id: pending.id,
            reason: "not now",
            channel: "demo terminal",
          });
      } catch (error) {
        // The browser or the CLI may have won the race in the instant after the prompt was answered.
        const store = { table: runtime.resources.approvalsTable, region: runtime.resources.region };
        const latest = await getApproval(store, pending.id);
        if (!latest || latest.status === "pending") throw error;
        line(
          `   already decided: ${latest.status} by ${latest.decidedBy} (via ${latest.decidedVia?.channel ?? "?"})`,
        );
      }
      await runtime.settle();
    }
    line();

    const report = await runtime.report("driftwarden demo");
    line("Summary");
    for (const execution of report.executions) {
      line(`  ${execution.control} ${execution.resource}`);
      line(
        `    outcome: ${execution.outcome}, caused by ${execution.actor ?? "unknown"} (${execution.trigger})`,
      );
    }
    line(`  changes driftwarden made: ${report.calls.map((c) => c.action).join(", ") || "none"}`);
    line(`  emails sent to on-call: ${report.notifications.length}`);
    for (const n of report.notifications) line(`    - ${n.subject}`);
    line(
      `  audit records: ${report.audit.length}; events ignored: ${report.ignored.map((i) => i.reason).join(", ")}`,
    );
  } finally {
    rl?.close();
    await endpoints.close();
    await runtime.close();
    await approvalServer.close();
  }
}
