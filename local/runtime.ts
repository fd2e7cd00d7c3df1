import { reminderDueAt, handler as remindersHandler } from "../functions/approvals/reminders.js";
import {
  type ApprovalRecord,
  approvalStatuses,
  decideApproval,
  listApprovals,
} from "../functions/approvals/store.js";
import { latestPerExecution, listAudit } from "../functions/audit/store.js";
import type { Change } from "../functions/controls/types.js";
import { deployedEventRules } from "../functions/events/deployed.js";
import { handler as intakeHandler } from "../functions/intake/handler.js";
import type { IntakeResult } from "../functions/intake/intake.js";
import { useDynamoEndpoint } from "../functions/lib/aws.js";
import { useClock } from "../functions/lib/clock.js";
import { type DriftwardenConfig, remediatorRoleArn } from "../functions/lib/config.js";
import { durationSeconds } from "../functions/lib/duration.js";
import { ApprovalError, DriftwardenError, errorMessage } from "../functions/lib/errors.js";
import { type DriftwardenResources, useResources } from "../functions/lib/resources.js";
import {
  approvalsTable,
  auditTable,
  eventsTable,
  exemptionsTable,
  fixHistoryTable,
  outboxTable,
  tables,
} from "../functions/lib/tables.js";
import { handler as sweepHandler } from "../functions/sweep/handler.js";
import type { PageResult } from "../functions/sweep/page.js";
import { useProbe } from "../functions/workflow/context.js";
import { stepHandlers } from "../functions/workflow/handlers.js";
import type { Outcome, WorkflowInput } from "../functions/workflow/types.js";
import {
  asyncRetryDelaysSeconds,
  intakeAsyncInvoke,
  intakeDeadLetterQueueName,
} from "../infra/intake-delivery.js";
import { type RoutingPlan, routingPlan } from "../infra/routing-plan.js";
import { remediationDefinition, type StepFunctionArns, workflowSteps } from "../workflows/remediation.js";
import { sweepDefinition } from "../workflows/sweep.js";
import { type LocalDynamo, startLocalDynamo } from "./dynamo.js";
import { asFunction, type LocalFunction } from "./invocation.js";
import { malformedReason, routeEvent, unmatchedReason } from "./router/router.js";
import { SandboxAccount } from "./sandbox/account.js";
import { SandboxClock } from "./sandbox/clock.js";
import type { FaultCounts, Faults } from "./sandbox/faults.js";
import { assumedRole, iamUser, type SandboxIdentity } from "./sandbox/identity.js";
import { runInvocation } from "./sandbox/invocation.js";
import type { ScenarioState } from "./sandbox/state.js";
import { type LambdaHandler, LocalStepFunctions, lambdaContext, type StepObserver } from "./stepfunctions.js";

/**
 * The whole pipeline on this machine: the sandbox account plugged in under the
 * SDK clients, the deployed event patterns routing events to the deployed
 * intake handler, the deployed workflow definition run by the local Step
 * Functions against the deployed step handlers, audit and approvals in a local
 * DynamoDB-compatible server. `simulate`, `npm start` and the tests drive it.
 */

export interface RuntimeOptions {
  account: string;
  region: string;
  clock: string;
  config: DriftwardenConfig;
  state: ScenarioState;
  /** Sees every step of every execution (the demo prints them). */
  observer?: StepObserver;
  /** Sees every event as it is routed and what intake made of it. */
  onEvent?: (event: RoutedEvent) => void;
  /** Base URL of a local approval page, when one is served. */
  approvalUrl?: string;
  /** The scenario's faults: they hit the calls driftwarden's functions make. */
  faults?: Faults;
}

export interface RoutedEvent {
  /** Whatever was delivered; an EventBridge envelope unless a scenario delivered garbage. */
  envelope: unknown;
  step: number | null;
  matchedRules: string[];
  results: IntakeResult[];
}

export interface ReportExecution {
  id: string;
  control: string;
  resource: string;
  outcome: Outcome | "running";
  actor: string | null;
  trigger: WorkflowInput["trigger"];
  /** Envelope id of the event that started it (null for the sweep): an optional extension of the contract. */
  event: string | null;
}

export interface Report {
  scenario: string;
  executions: ReportExecution[];
  approvals: {
    id: string;
    execution: string;
    control: string;
    resource: string;
    status: ApprovalRecord["status"];
    by: string | null;
    reasons: string[];
  }[];
  calls: Change[];
  ignored: { event: string; reason: string; detail?: string }[];
  notifications: { subject: string; message: string; attributes: Record<string, string> }[];
  audit: Record<string, unknown>[];
  errors: { step: number; message: string }[];
  state: ScenarioState;
  /** Present when the scenario had `faults`. */
  faultsInjected?: FaultCounts;
  /**
   * Requests the account's rate limits refused (and the SDK retried, waiting on the sandbox
   * clock); present only when there were some: a burst larger than AWS allows takes time.
   */
  rateLimited?: number;
}

interface QueuedEvent {
  envelope: unknown;
  step: number | null;
  /** A failed intake invocation being retried by Lambda: the attempt (2, 3) and when it was first tried. */
  retry?: { attempt: number; firstTried: number };
  /** Rules that sent it to intake (known once routed). */
  matchedRules?: string[];
}

/** The local stage: names the runtime gives what a deployment names after its stage. */
const localStage = "local";

const localFunctionArn = (region: string, account: string, step: string) =>
  `arn:aws:lambda:${region}:${account}:function:driftwarden-${step}`;

export class LocalRuntime {
  readonly clock: SandboxClock;
  readonly sandbox: SandboxAccount;
  readonly sfn: LocalStepFunctions;
  /** The sweep state machine, started as its schedule starts it. */
  readonly sweeper: LocalStepFunctions;
  readonly resources: DriftwardenResources;
  readonly remediator: SandboxIdentity;
  /** The deployment's event routing (infra/routing-plan.ts) for the scenario's home and watched regions. */
  readonly routing: RoutingPlan;
  readonly ignored: Report["ignored"] = [];
  readonly errors: Report["errors"] = [];
  private readonly queue: QueuedEvent[] = [];
  private readonly cleanups: (() => void | Promise<void>)[] = [];
  private currentStep: number | null = null;
  /** How many settle() loops are routing queued events right now. */
  private settling = 0;
  private routingEvent = false;
  private readonly invocationCounts = new Map<string, number>();
  /** What the pages of the running sweep found (started, joined, failed). */
  private sweepResults: IntakeResult[] = [];

  private constructor(
    private readonly options: RuntimeOptions,
    readonly dynamo: LocalDynamo,
  ) {
    this.clock = new SandboxClock(options.clock);
    const roleArn = remediatorRoleArn(options.config, options.account);
    this.remediator = assumedRole(roleArn, "driftwarden-remediator", {
      sourceIp: "lambda.amazonaws.com",
      userAgent: "driftwarden/0.1 aws-sdk-js/3",
    });
    this.sandbox = new SandboxAccount({
      account: options.account,
      region: options.region,
      clock: this.clock,
      state: options.state,
      remediatorRoleArn: roleArn,
    });
    const topicArn = this.sandbox.createTopic("driftwarden-alerts");
    this.resources = {
      region: options.region,
      account: options.account,
      stateMachineArn: `arn:aws:states:${options.region}:${options.account}:stateMachine:driftwarden-remediation`,
      auditTable: dynamo.tableName(auditTable),
      approvalsTable: dynamo.tableName(approvalsTable),
      historyTable: dynamo.tableName(fixHistoryTable),
      eventsTable: dynamo.tableName(eventsTable),
      exemptionsTable: dynamo.tableName(exemptionsTable),
      outboxTable: dynamo.tableName(outboxTable),
      topicArn,
      approvalUrl: options.approvalUrl,
      // Keys of this run's own KMS: links and seals from one local run never verify in another.
      approvalKeyArn: this.sandbox.createKey("HMAC_256", "driftwarden approval links"),
      auditSealKeyArn: this.sandbox.createKey("ECC_NIST_P256", "driftwarden audit seals"),
      config: options.config,
    };
    const arns = Object.fromEntries(
      workflowSteps.map((step) => [step, localFunctionArn(options.region, options.account, step)]),
    ) as StepFunctionArns;
    const handlers: Record<string, LambdaHandler> = {};
    for (const step of workflowSteps) {
      const handler = stepHandlers[step] as unknown as LambdaHandler;
      const name: LocalFunction = step === "apply" ? "remediator" : step;
      handlers[arns[step]] = (event, context) => asFunction(name, () => handler(event, context));
    }
    this.sfn = new LocalStepFunctions({
      stateMachineArn: this.resources.stateMachineArn,
      definition: remediationDefinition(arns),
      handlers,
      timers: this.clock,
      retryWaits: {
        sleep: (ms) => this.sandbox.waits.sleep(ms),
        random: (key) => this.sandbox.draw(key),
      },
      observer: options.observer,
    });
    const sweepArn = localFunctionArn(options.region, options.account, "sweep");
    this.sweeper = new LocalStepFunctions({
      stateMachineArn: `arn:aws:states:${options.region}:${options.account}:stateMachine:driftwarden-sweep`,
      definition: sweepDefinition(sweepArn),
      handlers: {
        [sweepArn]: async (event, context) => {
          const output = await asFunction("sweep", () => sweepHandler(event, context));
          // Deployed, a page's results go to its logs and metrics; here the sweep's caller gets them.
          if ((event as { mode?: string }).mode === "page")
            this.sweepResults.push(...(output as PageResult).results);
          return output;
        },
      },
      timers: this.clock,
      retryWaits: {
        sleep: (ms) => this.sandbox.waits.sleep(ms),
        random: (key) => this.sandbox.draw(key),
      },
    });
    this.routing = routingPlan({
      rules: deployedEventRules(roleArn),
      homeRegion: options.region,
      regions: options.config.watchedRegions.length > 0 ? options.config.watchedRegions : [options.region],
      stage: localStage,
    });
  }

  static async start(options: RuntimeOptions): Promise<LocalRuntime> {
    const dynamo = await startLocalDynamo(tables, options.region);
    const runtime = new LocalRuntime(options, dynamo);
    runtime.install();
    return runtime;
  }

  private install(): void {
    useResources(this.resources);
    useClock(
      () => this.clock.now(),
      (ms) => this.sandbox.waits.sleep(ms),
    );
    useProbe(this.sandbox.probe);
    useDynamoEndpoint(this.dynamo.clientConfig);
    this.sandbox.forwardToEndpoint("dynamodb");
    if (this.options.faults) this.sandbox.useFaults(this.options.faults);
    // Time must not jump while an event waits to be routed: it is routed now, not after the wait. Only
    // settle() routes, so outside it (a sweep or a decision still running) queued events hold nothing:
    // holding then would stop the very waits (retry backoffs) that step needs to finish.
    this.cleanups.push(
      this.sandbox.waits.hold(() => this.settling > 0 && !this.routingEvent && this.queue.length > 0),
    );
    this.sandbox.registerService("sfn", (action, input) =>
      this.stepFunctions(action, input as Record<string, unknown>),
    );
    this.cleanups.push(this.sandbox.register(this.remediator));
    // Every change the pipeline makes comes back as CloudTrail would deliver it.
    this.sandbox.onMutation((mutation) => {
      // Scenario `call` steps emit no event by contract; only the pipeline's own changes echo here.
      if (mutation.identity.sessionIssuerArn !== this.remediator.sessionIssuerArn) return;
      this.queue.push({
        envelope: this.sandbox.cloudTrailEvent(mutation) as Record<string, unknown>,
        step: this.currentStep,
      });
    });
    // AWS records refused calls too (with their errorCode); the pipeline must see and ignore them.
    this.sandbox.onFailedCall((failure) => {
      if (failure.identity.sessionIssuerArn !== this.remediator.sessionIssuerArn) return;
      this.queue.push({ envelope: this.sandbox.failedCallEvent(failure), step: this.currentStep });
    });
    this.cleanups.push(() => {
      useResources(undefined);
      useClock(undefined);
      useProbe(undefined);
      useDynamoEndpoint(undefined);
    });
  }

  /** The Step Functions API over both state machines: a call naming the sweep's goes to the sweep's. */
  stepFunctions(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sweepArn = this.sweeper.stateMachineArn;
    const sweepExecutions = `${sweepArn.replace(":stateMachine:", ":execution:")}:`;
    const named = String(input.stateMachineArn ?? input.executionArn ?? "");
    const machine = named === sweepArn || named.startsWith(sweepExecutions) ? this.sweeper : this.sfn;
    return machine.handle(action, input);
  }

  /** A person's identity for scenario `call` steps and demo changes. */
  person(name = "scenario-operator"): SandboxIdentity {
    return iamUser(this.options.account, name, { sourceIp: "198.51.100.7", userAgent: "aws-cli/2.22.4" });
  }

  /** Anything can be delivered here (a scenario may deliver garbage); the pipeline accounts for it. */
  deliver(envelope: unknown, step: number | null = null): void {
    this.queue.push({ envelope, step });
  }

  /** Runs the pipeline until nothing more can happen without a new step. */
  async settle(): Promise<void> {
    this.settling += 1;
    try {
      await this.settleQueue();
    } finally {
      this.settling -= 1;
    }
  }

  private async settleQueue(): Promise<void> {
    for (let round = 0; ; round++) {
      if (round > 100_000)
        throw new DriftwardenError(
          "the local pipeline did not settle: an execution or event loop never ends",
        );
      const next = this.queue.shift();
      if (next) {
        await this.route(next);
        continue;
      }
      await this.clock.settle();
      if (this.idle()) {
        // One more turn of the event loop: a finishing execution may still enqueue an echo.
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (this.idle()) return;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Nothing queued, no execution running, no wait (a retry's backoff, a redelivery) pending. */
  private idle(): boolean {
    return this.queue.length === 0 && this.sfn.idle() && this.sweeper.idle() && !this.sandbox.waits.waiting();
  }

  /** `<name>#<n>`: a stable, unique id for the n-th invocation about the same thing. */
  private invocationId(name: string): string {
    const n = (this.invocationCounts.get(name) ?? 0) + 1;
    this.invocationCounts.set(name, n);
    return `${name}#${n}`;
  }

  private async route(event: QueuedEvent): Promise<void> {
    this.routingEvent = true;
    try {
      await this.routeEvent(event);
    } finally {
      this.routingEvent = false;
    }
  }

  private async routeEvent(event: QueuedEvent): Promise<void> {
    const { envelope, step } = event;
    const fields = (typeof envelope === "object" && envelope !== null ? envelope : {}) as Record<
      string,
      unknown
    >;
    const eventId = typeof fields.id === "string" ? fields.id : "(no id)";
    if (event.retry) {
      await this.invokeIntake(event, eventId);
      return;
    }
    const routed = routeEvent(envelope, this.routing, { region: String(fields.region ?? "") });
    const matched = routed.matched;
    if (matched.length === 0) {
      const reason = unmatchedReason(envelope, remediatorRoleArn(this.options.config, this.options.account));
      if (reason === "malformed") {
        // EventBridge would not have delivered it; a scenario can, and it must be accounted for.
        const detail = malformedReason(envelope) ?? "not a well-formed event";
        this.ignored.push({ event: eventId, reason, detail });
        this.errors.push({ step: step ?? 0, message: `event ${eventId} rejected: ${detail}` });
      } else if (!routed.deployed) {
        this.ignored.push({
          event: eventId,
          reason: "not-relevant",
          detail: `no driftwarden rule is deployed in ${routed.region || "(no region)"}`,
        });
      } else {
        const detail =
          reason === "not-relevant"
            ? `no driftwarden rule in ${routed.region} matches it`
            : `the driftwarden rules in ${routed.region} leave it out on purpose`;
        this.ignored.push({ event: eventId, reason, detail });
      }
    } else {
      // EventBridge invokes the intake function once per matching rule target; the rules do not overlap.
      await this.invokeIntake({ ...event, matchedRules: matched }, eventId);
      return;
    }
    this.options.onEvent?.({ envelope, step, matchedRules: matched, results: [] });
  }

  /**
   * One asynchronous invocation of intake, as Lambda makes it: a failed one
   * (an error, a crash) is retried after a minute, then two, and an event
   * that still fails (or outlives the maximum event age) goes to intake's
   * on-failure destination, which the report's errors name.
   */
  private async invokeIntake(
    event: QueuedEvent & { matchedRules?: string[] },
    eventId: string,
  ): Promise<void> {
    const { envelope, step } = event;
    const attempt = event.retry?.attempt ?? 1;
    const firstTried = event.retry?.firstTried ?? this.clock.now().getTime();
    const matchedRules = event.matchedRules ?? [];
    let results: IntakeResult[];
    try {
      results = (await runInvocation("driftwarden-intake", this.invocationId(`intake ${eventId}`), () =>
        asFunction("intake", () => intakeHandler(envelope as never, lambdaContext("driftwarden-intake"))),
      )) as IntakeResult[];
    } catch (error) {
      const delay = asyncRetryDelaysSeconds[attempt - 1];
      const retryAt = this.clock.now().getTime() + (delay ?? 0) * 1000;
      if (
        attempt <= intakeAsyncInvoke.maximumRetryAttempts &&
        delay !== undefined &&
        retryAt - firstTried <= intakeAsyncInvoke.maximumEventAgeInSeconds * 1000
      ) {
        this.sandbox.waits.later(delay * 1000, () =>
          this.queue.push({ ...event, retry: { attempt: attempt + 1, firstTried } }),
        );
        return;
      }
      this.errors.push({
        step: step ?? 0,
        message: `event ${eventId} dead-lettered to ${intakeDeadLetterQueueName(localStage)} after ${attempt} failed intake invocations: ${errorMessage(error)}`,
      });
      this.options.onEvent?.({ envelope, step, matchedRules, results: [] });
      return;
    }
    this.recordResults(results, step, eventId);
    this.options.onEvent?.({ envelope, step, matchedRules, results });
  }

  private recordResults(results: IntakeResult[], step: number | null, eventId: string): void {
    for (const result of results) {
      if (result.status === "ignored") {
        this.ignored.push({ event: result.eventId ?? eventId, reason: result.reason, detail: result.detail });
      } else if (result.status === "malformed") {
        this.ignored.push({ event: result.eventId ?? eventId, reason: "malformed", detail: result.reason });
        this.errors.push({
          step: step ?? 0,
          message: `event ${result.eventId ?? eventId} rejected: ${result.reason}`,
        });
      } else if (result.status === "error") {
        this.errors.push({ step: step ?? 0, message: result.message });
      }
    }
  }

  async call(
    service: "elbv2" | "cloudfront" | "wafv2",
    action: string,
    input: Record<string, unknown>,
    who = this.person(),
  ) {
    return this.sandbox.call(service, action, input, who);
  }

  /** A person changes the account and CloudTrail reports it, as happens in AWS (the demo's drift). */
  async change(
    service: "elbv2" | "cloudfront" | "wafv2",
    action: string,
    input: Record<string, unknown>,
    who: SandboxIdentity,
  ): Promise<Record<string, unknown>> {
    const output = await this.sandbox.call(service, action, input, who);
    const mutation = this.sandbox.mutations.at(-1);
    if (mutation) this.deliver(this.sandbox.cloudTrailEvent(mutation) as Record<string, unknown>);
    await this.settle();
    return output as Record<string, unknown>;
  }

  /**
   * One run of the sweep state machine, as its schedule starts it; settles
   * the pipeline and returns what its pages found (started, joined, failed).
   */
  async sweep(step: number | null = null): Promise<IntakeResult[]> {
    this.currentStep = step;
    this.sweepResults = [];
    const name = `sweep-${this.invocationId("sweep").split("#")[1]}`;
    await this.sweeper.handle("StartExecution", {
      stateMachineArn: this.sweeper.stateMachineArn,
      name,
      input: "{}",
    });
    await this.settle();
    const results = this.sweepResults;
    this.recordResults(
      results.filter((r) => r.status !== "ignored"),
      step,
      "sweep",
    );
    const execution = this.sweeper.executions.get(name);
    if (execution?.status === "FAILED") {
      const groups =
        (
          (execution.lastState ?? {}) as {
            groups?: { region: string; service: string; failed: boolean; error?: { Cause?: string } }[];
          }
        ).groups ?? [];
      const failed = groups.filter((group) => group.failed);
      for (const group of failed) {
        this.errors.push({
          step: step ?? 0,
          message: `sweep of ${group.service} in ${group.region} failed: ${group.error?.Cause ?? "unknown error"}`,
        });
      }
      if (failed.length === 0) {
        this.errors.push({
          step: step ?? 0,
          message: `sweep failed: ${execution.error?.cause ?? "unknown error"}`,
        });
      }
    }
    return results;
  }

  /** Oldest first (see `chronological`). */
  async pendingApprovals(): Promise<ApprovalRecord[]> {
    const pending = await listApprovals(
      { table: this.resources.approvalsTable, region: this.resources.region },
      "pending",
    );
    return this.chronological(pending);
  }

  /**
   * Approvals in the order they were requested. The sandbox clock stands still
   * within a step, so requests often tie on createdAt; the order in which the
   * workflow's approval tasks started breaks the tie.
   */
  chronological(approvals: ApprovalRecord[]): ApprovalRecord[] {
    return [...approvals].sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) || this.sfn.issueOrder(a.token) - this.sfn.issueOrder(b.token),
    );
  }

  private executionOrder(): (executionArn: string) => number {
    const arns = [...this.sfn.executions.values()].map((execution) => execution.arn);
    return (arn) => arns.indexOf(arn);
  }

  async decide(
    decision: "approved" | "rejected",
    by: string,
    options: { id?: string; reason?: string; channel?: string; verified?: boolean } = {},
  ): Promise<ApprovalRecord> {
    const pending = await this.pendingApprovals();
    const target = options.id ? pending.find((a) => a.id === options.id) : pending[0];
    if (!target) {
      throw new ApprovalError(
        options.id ? `no pending approval ${options.id}` : "there is no pending approval to decide",
      );
    }
    // The decision arrives as the approval endpoint (or the CLI) would make it: a function invocation.
    const record = await runInvocation(
      "driftwarden-approval-endpoint",
      this.invocationId(`decide ${target.id}`),
      () =>
        decideApproval(
          {
            table: this.resources.approvalsTable,
            region: this.resources.region,
            stateMachineRegion: this.resources.region,
          },
          {
            id: target.id,
            decision,
            by,
            // A scenario (or the demo prompt) names a person; only the CLI proves an identity.
            verified: options.verified ?? false,
            reason: options.reason,
            via: { channel: options.channel ?? "scenario" },
            now: this.clock.now(),
          },
        ),
    );
    await this.settle();
    return record;
  }

  async advance(duration: string): Promise<void> {
    const end = this.clock.now().getTime() + durationSeconds(duration, "advance") * 1000;
    // Time moves from one due moment to the next, and the pipeline settles at each, so what a
    // timeout sets off is recorded at the moment it fell due, not at the end of the jump.
    // Deployed, a schedule runs the reminder function; here it runs at each reminder point the
    // clock passes, so a jump past an approval's 75% point reminds before the timeout fires.
    for (;;) {
      const current = this.clock.now().getTime();
      const reminders = (await this.pendingApprovals())
        .filter((approval) => !approval.reminded)
        .map((approval) => reminderDueAt(approval).getTime());
      const timers = this.clock.pending().map((at) => at.getTime());
      const due = [...reminders, ...timers]
        .filter((at) => at > current && at <= end)
        .sort((a, b) => a - b)[0];
      if (due === undefined) break;
      this.clock.advanceTo(new Date(due));
      await this.settle();
      await this.remind();
    }
    this.clock.advanceTo(new Date(end));
    await this.settle();
    await this.remind();
  }

  /** The approval reminder function, invoked as its schedule invokes it. */
  async remind(): Promise<void> {
    try {
      await runInvocation("driftwarden-approval-reminders", this.invocationId("reminders"), () =>
        asFunction("reminders", () =>
          remindersHandler({} as never, lambdaContext("driftwarden-approval-reminders")),
        ),
      );
    } catch (error) {
      this.errors.push({ step: this.currentStep ?? 0, message: (error as Error).message });
    }
    await this.settle();
  }

  /** Runs one scenario step (numbered from 1), recording what the pipeline rejected. */
  async step(index: number, step: import("./scenario.js").Step): Promise<void> {
    this.currentStep = index;
    try {
      if ("call" in step) {
        await this.call(step.call.service, step.call.action, step.call.input);
      } else if ("event" in step) {
        this.deliver(step.event, index);
      } else if ("approve" in step) {
        await this.decide("approved", step.approve.by);
      } else if ("reject" in step) {
        await this.decide("rejected", step.reject.by, { reason: step.reject.reason });
      } else if ("advance" in step) {
        await this.advance(step.advance);
      } else if ("sweep" in step) {
        await this.sweep(index);
      }
    } catch (error) {
      this.errors.push({ step: index, message: (error as Error).message });
    }
    await this.settle();
  }

  async report(name: string): Promise<Report> {
    const approvals = await listAllApprovals(this);
    // The ledger keeps every record (an approval request, then the outcome); the report shows what
    // each execution says now. Records of the same sandbox instant are listed in the order their
    // executions started, so a report does not depend on which branch of the pipeline ran faster.
    const started = this.executionOrder();
    const audit = latestPerExecution(
      await listAudit({ table: this.resources.auditTable, region: this.resources.region }),
    ).sort((a, b) => a.at.localeCompare(b.at) || started(a.executionId) - started(b.executionId));
    const executions: ReportExecution[] = [...this.sfn.executions.values()].map((execution) => {
      const input = JSON.parse(execution.input) as WorkflowInput;
      const last = (execution.lastState ?? {}) as { outcome?: Outcome };
      let outcome: ReportExecution["outcome"];
      if (execution.status === "RUNNING") outcome = execution.waitingOn ? "awaiting-approval" : "running";
      else if (execution.status === "FAILED") outcome = "failed";
      else outcome = last.outcome ?? "failed";
      return {
        id: execution.name,
        control: input.control,
        resource: input.resource,
        outcome,
        actor: input.actor?.arn ?? null,
        trigger: input.trigger,
        event: input.eventId,
      };
    });
    const remediatorRole = this.remediator.sessionIssuerArn;
    const rateLimited = [...this.sandbox.callCounts.values()].reduce(
      (sum, count) => sum + count.throttled,
      0,
    );
    return {
      scenario: name,
      executions,
      // A request that never went out (SNS or KMS down past every retry) asked nobody: the
      // contract's approvals are requests on-call received, so it is not listed.
      approvals: approvals
        .filter((a) => a.status !== "undelivered")
        .map((a) => ({
          id: a.id,
          execution: a.executionName,
          control: a.control,
          resource: a.resource,
          status: a.status,
          by: a.decidedBy ?? null,
          reasons: a.reasons,
        })),
      calls: this.sandbox.mutations
        .filter(
          (m) =>
            m.identity.sessionIssuerArn === remediatorRole &&
            (m.service === "elbv2" || m.service === "cloudfront" || m.service === "wafv2"),
        )
        .map((m) => ({
          service: m.service as Change["service"],
          action: m.action,
          input: m.input as Record<string, unknown>,
        })),
      ignored: this.ignored,
      notifications: this.sandbox.published.map((p) => ({
        subject: p.subject ?? "",
        message: p.message,
        attributes: p.attributes,
      })),
      audit: audit.map((record) => ({
        ...record,
        execution: record.auditId,
      })),
      errors: this.errors,
      state: this.sandbox.state(),
      ...(this.options.faults ? { faultsInjected: this.sandbox.faultsInjected } : {}),
      ...(rateLimited > 0 ? { rateLimited } : {}),
    };
  }

  async close(): Promise<void> {
    await this.sweeper.shutdown();
    await this.sfn.shutdown();
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    await this.dynamo.close();
  }
}

async function listAllApprovals(runtime: LocalRuntime): Promise<ApprovalRecord[]> {
  const options = { table: runtime.resources.approvalsTable, region: runtime.resources.region };
  const all = await Promise.all(approvalStatuses.map((status) => listApprovals(options, status)));
  return runtime.chronological(all.flat());
}
