import { createHash } from "node:crypto";
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from "@aws-sdk/client-sfn";
import type { Context } from "aws-lambda";
import { StateMachine } from "aws-local-stepfunctions";
import { FunctionCrashedError, outsideInvocations, runInvocation } from "./sandbox/invocation.js";
import { type RetryingState, StateRetries } from "./state-retries.js";

/**
 * Step Functions on this machine: the deployed ASL definition executed by
 * aws-local-stepfunctions, its Lambda tasks answered by the deployed handlers,
 * `.waitForTaskToken` tasks parked until SendTaskSuccess/SendTaskFailure (or
 * until their TimeoutSeconds pass on the sandbox clock), and the Step Functions
 * API (StartExecution, DescribeExecution, SendTask*) with AWS's semantics.
 */

// biome-ignore lint/suspicious/noExplicitAny: Lambda handlers of every step have their own event types
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

export interface Timers {
  now(): Date;
  schedule(at: Date, fn: () => void): void;
}

/** Where Retry intervals pass (the sandbox clock); without it, retries follow at once. */
export interface RetryWaits {
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1) for a stable key: JitterStrategy FULL. */
  random(key: string): number;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface LocalExecution {
  name: string;
  arn: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: unknown;
  error?: { name: string; cause: string };
  /** The last state document seen (the final one once stopped). */
  lastState?: unknown;
  /** False while parked on a task token: nothing can happen until someone decides. */
  busy: boolean;
  waitingOn?: string;
}

export type StepObserver = (event: {
  execution: string;
  type: string;
  state?: string;
  detail?: unknown;
}) => void;

interface ParkedTask {
  token: string;
  execution: LocalExecution;
  state: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

// aws-local-stepfunctions reads the task token from the context object once per
// execution; each parked task swaps this marker for a token of its own.
const TOKEN_MARKER = "@@driftwarden-local-task-token@@";
// Real-time cap handed to the library (setTimeout cannot hold more than ~24.8 days);
// the definition's own TimeoutSeconds is enforced on the sandbox clock instead.
const LIBRARY_TIMEOUT_CAP = 2_000_000;
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** What a Lambda handler receives as its context when the local runtime invokes it. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionName,
    memoryLimitInMB: "512",
    awsRequestId: "local",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function replaceMarker(value: unknown, token: string): unknown {
  if (value === TOKEN_MARKER) return token;
  if (Array.isArray(value)) return value.map((item) => replaceMarker(item, token));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceMarker(v, token)]));
  }
  return value;
}

type LibraryTaskHandlers = NonNullable<
  NonNullable<NonNullable<Parameters<StateMachine["run"]>[1]>["overrides"]>["taskResourceLocalHandlers"]
>;

const metadata = { $metadata: { httpStatusCode: 400 } };

/** The states of a definition and of every Map's item processor (or Iterator) in it, by name. */
function flattened(states: Record<string, StateDefinition>): Record<string, StateDefinition> {
  const all: Record<string, StateDefinition> = {};
  for (const [name, state] of Object.entries(states)) {
    all[name] = state;
    const inner = (state.ItemProcessor ?? state.Iterator) as
      | { States?: Record<string, StateDefinition> }
      | undefined;
    if (inner?.States) Object.assign(all, flattened(inner.States));
  }
  return all;
}

type StateDefinition = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
};

/**
 * Validating a definition (the library compiles the ASL JSON schema) costs
 * far more than running it, and every local runtime loads the same
 * definition: one validated machine per definition serves them all, as the
 * machine keeps no state between runs.
 */
const machines = new Map<string, StateMachine>();

function machineFor(definition: unknown): StateMachine {
  const key = JSON.stringify(definition);
  let machine = machines.get(key);
  if (!machine) {
    machine = new StateMachine(definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    machines.set(key, machine);
  }
  return machine;
}

export class LocalStepFunctions {
  readonly executions = new Map<string, LocalExecution>();
  private readonly parked = new Map<string, ParkedTask>();
  private readonly finishedTokens = new Map<string, "timed-out" | "done">();
  private readonly machine: StateMachine;
  /** Every state by name, those inside a Map's item processor included. */
  private readonly states: Record<string, StateDefinition>;
  /** States inside a Map: several iterations may run one at the same time. */
  private readonly nested: Set<string>;
  private readonly timeouts = new Map<string, number>();
  private tokenCounter = 0;
  private running = new Set<Promise<unknown>>();
  private aborts = new Map<string, () => void>();
  private shuttingDown = false;
  private readonly retries: StateRetries;
  private readonly invocations = new Map<string, number>();

  constructor(
    private readonly options: {
      stateMachineArn: string;
      definition: { States: Record<string, unknown> };
      /** Deployed handler for each function ARN named in the definition. */
      handlers: Record<string, LambdaHandler>;
      timers: Timers;
      retryWaits?: RetryWaits;
      observer?: StepObserver;
    },
  ) {
    this.states = flattened(options.definition.States as Record<string, StateDefinition>);
    this.nested = new Set(Object.keys(this.states).filter((name) => !(name in options.definition.States)));
    this.retries = new StateRetries(
      this.states as Record<string, RetryingState>,
      (key) => options.retryWaits?.random(key) ?? 0,
    );
    const runnable = structuredClone(options.definition) as { States: Record<string, StateDefinition> };
    for (const [name, state] of Object.entries(runnable.States)) {
      if (state.Type === "Task" && String(state.Resource).endsWith(".waitForTaskToken")) {
        this.timeouts.set(name, state.TimeoutSeconds ?? 31_536_000);
        // A TimeoutSecondsPath is read from the payload (see waitTimeout); the library gets only the cap.
        delete state.TimeoutSecondsPath;
        state.TimeoutSeconds = LIBRARY_TIMEOUT_CAP;
      }
    }
    this.machine = machineFor(runnable);
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  /** True when every execution has either stopped or is parked on a task token. */
  idle(): boolean {
    return [...this.executions.values()].every((e) => !e.busy);
  }

  pendingTokens(): string[] {
    return [...this.parked.keys()];
  }

  /** Tokens in the order their tasks started: the order in which things were asked. */
  private readonly issued: string[] = [];

  issueOrder(token: string): number {
    const index = this.issued.indexOf(token);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  }

  /** Answers the Step Functions API as the SDK client would see it. */
  handle = async (action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    switch (action) {
      case "StartExecution":
        return this.startExecution(input);
      case "DescribeExecution":
        return this.describeExecution(String(input.executionArn ?? ""));
      case "SendTaskSuccess":
        return this.sendTaskSuccess(String(input.taskToken ?? ""), String(input.output ?? ""));
      case "SendTaskFailure":
        return this.sendTaskFailure(
          String(input.taskToken ?? ""),
          input.error as string,
          input.cause as string,
        );
      case "SendTaskHeartbeat":
        this.parkedTask(String(input.taskToken ?? ""));
        return {};
      case "StopExecution":
        return this.stopExecution(String(input.executionArn ?? ""));
      case "ListExecutions":
        return this.listExecutions(input);
      default:
        throw new NamedError(
          "UnknownOperationException",
          `the local Step Functions does not implement ${action}`,
        );
    }
  };

  private executionArn(name: string): string {
    return `${this.options.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  }

  private startExecution(input: Record<string, unknown>): Record<string, unknown> {
    if (input.stateMachineArn !== this.options.stateMachineArn) {
      throw new StateMachineDoesNotExist({
        message: `State Machine Does Not Exist: '${input.stateMachineArn}'`,
        ...metadata,
      });
    }
    const name = String(input.name ?? "");
    if (!NAME_PATTERN.test(name)) throw new InvalidName({ message: `Invalid Name: '${name}'`, ...metadata });
    const rawInput = String(input.input ?? "{}");
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawInput);
    } catch {
      throw new InvalidExecutionInput({ message: "Invalid execution input: not JSON", ...metadata });
    }
    const existing = this.executions.get(name);
    if (existing) {
      // AWS: a Standard workflow started again with the same name and input while running is idempotent.
      if (existing.status === "RUNNING" && existing.input === rawInput) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${existing.arn}'`,
        ...metadata,
      });
    }
    const execution: LocalExecution = {
      name,
      arn: this.executionArn(name),
      input: rawInput,
      status: "RUNNING",
      startDate: this.options.timers.now(),
      busy: true,
    };
    this.executions.set(name, execution);
    // The execution is Step Functions' own, not part of the function invocation that started it.
    outsideInvocations(() => this.run(execution, parsed));
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  private describeExecution(arn: string): Record<string, unknown> {
    const execution = [...this.executions.values()].find((e) => e.arn === arn);
    if (!execution)
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, ...metadata });
    return {
      executionArn: execution.arn,
      stateMachineArn: this.options.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate,
      input: execution.input,
      output: execution.output === undefined ? undefined : JSON.stringify(execution.output),
      error: execution.error?.name,
      cause: execution.error?.cause,
    };
  }

  /** Newest first, as Step Functions lists them; a page of `maxResults` (1-1000, default 100) and a token for the rest. */
  private listExecutions(input: Record<string, unknown>): Record<string, unknown> {
    if (input.stateMachineArn !== this.options.stateMachineArn) {
      throw new StateMachineDoesNotExist({
        message: `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`,
        ...metadata,
      });
    }
    const statuses: readonly string[] = [
      "RUNNING",
      "SUCCEEDED",
      "FAILED",
      "TIMED_OUT",
      "ABORTED",
      "PENDING_REDRIVE",
    ];
    const filter = input.statusFilter;
    if (filter !== undefined && !statuses.includes(String(filter))) {
      throw new ValidationException({
        message: `1 validation error detected: Value '${String(filter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(", ")}]`,
        ...metadata,
      });
    }
    const size = input.maxResults === undefined || input.maxResults === 0 ? 100 : Number(input.maxResults);
    if (!Number.isInteger(size) || size < 0 || size > 1000) {
      throw new ValidationException({
        message: `1 validation error detected: Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
        ...metadata,
      });
    }
    let start = 0;
    if (input.nextToken !== undefined) {
      const decoded = /^list:(\d+)$/.exec(Buffer.from(String(input.nextToken), "base64").toString("utf8"));
      if (!decoded?.[1]) throw new InvalidToken({ message: "Invalid Token: 'nextToken'", ...metadata });
      start = Number(decoded[1]);
    }
    const listed = [...this.executions.values()]
      .filter((execution) => filter === undefined || execution.status === filter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const end = start + size;
    return {
      executions: listed.slice(start, end).map((execution) => ({
        executionArn: execution.arn,
        stateMachineArn: this.options.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate,
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      })),
      ...(end < listed.length ? { nextToken: Buffer.from(`list:${end}`).toString("base64") } : {}),
    };
  }

  private stopExecution(arn: string): Record<string, unknown> {
    const execution = [...this.executions.values()].find((e) => e.arn === arn);
    if (!execution)
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, ...metadata });
    for (const task of this.parked.values()) {
      if (task.execution === execution) task.reject(new NamedError("States.Aborted", "execution stopped"));
    }
    return { stopDate: this.options.timers.now() };
  }

  private parkedTask(token: string): ParkedTask {
    const task = this.parked.get(token);
    if (task) return task;
    if (this.finishedTokens.get(token) === "timed-out") {
      throw new TaskTimedOut({ message: "Task Timed Out: the task's TimeoutSeconds elapsed", ...metadata });
    }
    if (this.finishedTokens.has(token)) {
      throw new TaskDoesNotExist({ message: "Task Does Not Exist: the task already completed", ...metadata });
    }
    throw new InvalidToken({ message: `Invalid Token: '${token.slice(0, 40)}'`, ...metadata });
  }

  private sendTaskSuccess(token: string, output: string): Record<string, unknown> {
    const task = this.parkedTask(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new NamedError("InvalidOutput", "Invalid Output: task output is not JSON");
    }
    task.resolve(parsed);
    return {};
  }

  private sendTaskFailure(token: string, error?: string, cause?: string): Record<string, unknown> {
    const task = this.parkedTask(token);
    task.reject(new NamedError(error ?? "", cause ?? ""));
    return {};
  }

  /**
   * One Lambda invocation of a step, as Step Functions sees it: a thrown error
   * comes back as {errorType, errorMessage}; a runtime that died (crash,
   * timeout) returns no error type, which Step Functions reports as
   * Lambda.Unknown, whatever the function did after its dying call.
   */
  private async invoke(functionArn: string, payload: unknown, invocationId: string): Promise<unknown> {
    const handler = this.options.handlers[functionArn];
    if (!handler)
      throw new NamedError("Lambda.ResourceNotFoundException", `Function not found: ${functionArn}`);
    const n = (this.invocations.get(invocationId) ?? 0) + 1;
    this.invocations.set(invocationId, n);
    try {
      return await runInvocation(functionArn, `${invocationId}#${n}`, () =>
        handler(structuredClone(payload), lambdaContext(functionArn)),
      );
    } catch (error) {
      if (error instanceof FunctionCrashedError) {
        const payload = JSON.stringify({ errorType: error.name, errorMessage: error.message });
        throw new NamedError(
          "Lambda.Unknown",
          `The cause could not be determined because Lambda did not return an error type. Returned payload: ${payload}`,
        );
      }
      // Lambda reports a thrown error as {errorType, errorMessage}; Step Functions keeps that JSON as Cause.
      const err = error instanceof Error ? error : new Error(String(error));
      throw new NamedError(
        err.name,
        JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: [] }),
      );
    }
  }

  /**
   * The task's timeout on the sandbox clock. With TimeoutSecondsPath, the
   * definition passes the same value in the payload as `timeoutSeconds` (a
   * definition test keeps the two paths equal), because the local handler sees
   * the payload, not the state input the path is read from.
   */
  private waitTimeout(stateName: string, payload: unknown): number {
    if (this.states[stateName]?.TimeoutSecondsPath) {
      const seconds = (payload as { timeoutSeconds?: unknown } | undefined)?.timeoutSeconds;
      if (typeof seconds === "number" && Number.isInteger(seconds) && seconds > 0) return seconds;
      throw new NamedError(
        "States.Runtime",
        `${stateName}: TimeoutSecondsPath did not resolve to a positive integer`,
      );
    }
    return this.timeouts.get(stateName) ?? 31_536_000;
  }

  /** A task attempt, started only once the Retry interval it owes has passed. */
  private async attempt(visit: string, stateName: string, run: () => Promise<unknown>): Promise<unknown> {
    const owed = this.retries.owed(visit);
    if (owed > 0 && this.options.retryWaits) await this.options.retryWaits.sleep(owed);
    try {
      const output = await run();
      this.retries.succeeded(visit);
      return output;
    } catch (error) {
      this.retries.failed(visit, stateName, error instanceof Error ? error.name : String(error));
      throw error;
    }
  }

  private waitForToken(
    execution: LocalExecution,
    stateName: string,
    token: string,
    payload: unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const finish = (how: "timed-out" | "done") => {
        this.parked.delete(token);
        this.finishedTokens.set(token, how);
        execution.busy = true;
        execution.waitingOn = undefined;
      };
      const task: ParkedTask = {
        token,
        execution,
        state: stateName,
        resolve: (output) => {
          finish("done");
          resolve(output);
        },
        reject: (error) => {
          finish("done");
          reject(error);
        },
      };
      this.parked.set(token, task);
      execution.waitingOn = stateName;
      const timeoutSeconds = this.waitTimeout(stateName, payload);
      const due = new Date(this.options.timers.now().getTime() + timeoutSeconds * 1000);
      this.options.timers.schedule(due, () => {
        if (!this.parked.has(token)) return;
        finish("timed-out");
        reject(new NamedError("States.Timeout", "Task timed out."));
      });
    });
  }

  private localHandlers(execution: LocalExecution) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(this.states)) {
      if (state.Type !== "Task") continue;
      const resource = String(state.Resource);
      const visitOf = (input: unknown) =>
        // Map iterations run the same state side by side; each iteration's data (not when it ran,
        // which varies from run to run) tells its visits apart, so fault draws stay repeatable.
        this.nested.has(name)
          ? `${execution.name}/${name}/${createHash("sha256")
              .update(JSON.stringify(input).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>"))
              .digest("hex")
              .slice(0, 16)}`
          : `${execution.name}/${name}`;
      if (resource.endsWith(".waitForTaskToken")) {
        handlers[name] = (input) =>
          this.attempt(visitOf(input), name, async () => {
            const token = `${execution.name}/${name}/${++this.tokenCounter}`;
            const encoded = Buffer.from(token).toString("base64url");
            this.issued.push(encoded);
            const params = replaceMarker(input, encoded) as { FunctionName: string; Payload: unknown };
            // The token is valid (and its timeout runs) from the moment the task starts, as in AWS.
            const waiting = this.waitForToken(execution, name, encoded, params.Payload);
            // A decision or timeout can land while the function still runs; its rejection is awaited below.
            waiting.catch(() => undefined);
            try {
              await this.invoke(params.FunctionName, params.Payload, visitOf(input));
            } catch (error) {
              // The function failed: the task fails with its error and the token is no longer valid.
              this.parked.get(encoded)?.reject(error as Error);
              throw error;
            }
            // Only now is the execution idle: nothing more happens until someone decides or time passes.
            if (this.parked.has(encoded)) execution.busy = false;
            return waiting;
          });
      } else {
        handlers[name] = (input) => {
          const visit = visitOf(input);
          return this.attempt(visit, name, () => this.invoke(resource, input, visit));
        };
      }
    }
    return handlers;
  }

  private run(execution: LocalExecution, input: unknown): void {
    // The library would wait in real time; `attempt` waits the same intervals on the sandbox clock.
    const retryIntervalOverrides = Object.fromEntries(
      Object.entries(this.states)
        .filter(([, state]) => Array.isArray(state.Retry))
        .map(([name]) => [name, 0]),
    );
    const run = this.machine.run(input as never, {
      noThrowOnAbort: true,
      overrides: {
        taskResourceLocalHandlers: this.localHandlers(execution) as unknown as LibraryTaskHandlers,
        retryIntervalOverrides,
      },
      context: {
        Execution: { Id: execution.arn, Name: execution.name, StartTime: execution.startDate.toISOString() },
        StateMachine: {
          Id: this.options.stateMachineArn,
          Name: this.options.stateMachineArn.split(":").pop(),
        },
        Task: { Token: TOKEN_MARKER },
      },
    });
    const observe = (async () => {
      for await (const event of run.eventLogs) {
        const e = event as {
          type: string;
          state?: { name: string; input?: unknown; output?: unknown };
          Error?: string;
        };
        if (e.state?.output !== undefined) execution.lastState = e.state.output;
        this.options.observer?.({ execution: execution.name, type: e.type, state: e.state?.name, detail: e });
      }
    })();
    this.aborts.set(execution.name, run.abort);
    const done = run.result.then(
      (output) => {
        if (this.shuttingDown) {
          execution.status = "ABORTED";
          return;
        }
        execution.status = "SUCCEEDED";
        execution.output = output;
        execution.lastState = output;
      },
      (error: Error & { cause?: Error }) => {
        execution.status = "FAILED";
        const cause = error.cause ?? error;
        execution.error = { name: cause.name, cause: cause.message };
      },
    );
    const settled = Promise.all([done, observe]).finally(() => {
      execution.stopDate = this.options.timers.now();
      execution.busy = false;
      this.running.delete(settled);
    });
    this.running.add(settled);
  }

  /** Ends every parked task (end of a simulation) so nothing keeps the process alive. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const abort of this.aborts.values()) abort();
    for (const task of [...this.parked.values()]) {
      task.reject(new NamedError("States.Aborted", "local runtime shut down"));
    }
    await Promise.allSettled([...this.running]);
  }
}
