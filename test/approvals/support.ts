import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApprovalRecord, getApproval } from "../../functions/approvals/store.js";
import { type ApprovalServer, startApprovalServer } from "../../local/approval-server.js";
import { LocalRuntime } from "../../local/runtime.js";
import { parseScenario } from "../../local/scenario.js";

/**
 * The approval scenario every test here starts from: an application load
 * balancer with an HTTP :80 listener that forwards and no HTTPS listener, and
 * carol's CreateListener arriving through CloudTrail. The redirect would take
 * the site down, so the workflow asks on-call.
 */
const fixture = fileURLToPath(new URL("../fixtures/approvals/alb-no-https-listener.json", import.meta.url));

export type Json = Record<string, unknown>;

export function scenarioDocument(): Json {
  return JSON.parse(readFileSync(fixture, "utf8")) as Json;
}

export function createListenerEvent(): Json {
  const steps = scenarioDocument().steps as { event: Json }[];
  return structuredClone((steps[0] as { event: Json }).event);
}

export const listenerArn =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/intranet/5a4b3c2d1e0f9a8b/7d6c5b4a39281706";
export const targetGroupArn =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/intranet-tg/9f8e7d6c5b4a3921";

/**
 * `settle()`, then also until every execution parked on a task token has its
 * approval stored and its request emailed. The local Step Functions counts a
 * `.waitForTaskToken` task as idle from the moment it starts, while the
 * requestApproval function may still be writing and publishing.
 */
export async function settleApprovals(runtime: LocalRuntime, timeoutMs = 10_000): Promise<void> {
  await runtime.settle();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waiting = [...runtime.sfn.executions.values()].filter((e) => e.waitingOn);
    const pending = await runtime.pendingApprovals();
    const emailed = runtime.sandbox.published.map((p) => p.message).join("\n");
    const ready = waiting.every((execution) =>
      pending.some((a) => a.executionName === execution.name && emailed.includes(`Approval id: ${a.id}`)),
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error("the approval request was not stored and emailed in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Harness {
  runtime: LocalRuntime;
  server: ApprovalServer;
  /** The pending approval the event led to. */
  approval: ApprovalRecord;
  /** The approval-request email (SNS message) on-call received. */
  email: { subject: string; message: string };
  approveUrl: string;
  rejectUrl: string;
  record(): Promise<ApprovalRecord | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Json;
  /** Changes the delivered CloudTrail event (e.g. a hostile user agent). */
  event?: (event: Json) => Json;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const server = await startApprovalServer({ onError: () => undefined });
  const doc = scenarioDocument();
  const scenario = parseScenario({ ...doc, config: options.config ?? {}, steps: [] });
  let runtime: LocalRuntime;
  try {
    runtime = await LocalRuntime.start({
      account: scenario.account,
      region: scenario.region,
      clock: scenario.clock,
      config: scenario.config,
      state: scenario.state,
      approvalUrl: server.url,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const close = async () => {
    await runtime.close();
    await server.close();
  };
  try {
    const event = options.event ? options.event(createListenerEvent()) : createListenerEvent();
    runtime.deliver(event);
    await settleApprovals(runtime);
    const [approval] = await runtime.pendingApprovals();
    if (!approval) throw new Error(`no approval was requested: ${JSON.stringify(runtime.errors)}`);
    const email = runtime.sandbox.published.find((p) => p.subject?.includes("APPROVAL NEEDED"));
    if (!email) throw new Error("no approval request was published");
    const link = (label: string) => {
      const match = new RegExp(`^${label}: (\\S+)$`, "m").exec(email.message);
      if (!match?.[1]) throw new Error(`the approval email has no "${label}:" link`);
      return match[1];
    };
    return {
      runtime,
      server,
      approval,
      email: { subject: email.subject ?? "", message: email.message },
      approveUrl: link("Approve"),
      rejectUrl: link("Reject"),
      record: () =>
        getApproval(
          { table: runtime.resources.approvalsTable, region: runtime.resources.region },
          approval.id,
        ),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What the page would submit: its hidden fields (link parameters and CSRF token). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([a-z]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = unescapeHtml(match[2] as string);
  }
  return fields;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export const browserUserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148";

export async function get(
  url: string,
  method = "GET",
): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: { "user-agent": browserUserAgent },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

export async function post(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": browserUserAgent },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

/** Opens the page as a person would and submits its form with `extra` fields (by, reason) and overrides. */
export async function openAndSubmit(
  url: string,
  extra: Record<string, string>,
): Promise<{ status: number; html: string; headers: Headers }> {
  const page = await get(url);
  if (page.status !== 200) throw new Error(`the approval page answered ${page.status}: ${page.html}`);
  return post(url, { ...formFields(page.html), ...extra });
}

/** Changes one query parameter of a link. */
export function withParam(url: string, name: string, value: string): string {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.toString();
}

export function outcomes(report: { executions: { outcome: string }[] }): string[] {
  return report.executions.map((e) => e.outcome);
}
