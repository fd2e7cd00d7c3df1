import { Retry } from "@smithy/core/retry";
import type {
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from "@smithy/types";
import type { OriginProbe, ProbeResult } from "../../functions/controls/types.js";
import {
  type ClientPluginRegistration,
  type ClientTarget,
  useClientPlugin,
} from "../../functions/lib/aws.js";
import { ConfigurationError } from "../../functions/lib/errors.js";
import { currentFunction } from "../invocation.js";
import { SandboxClock } from "./clock.js";
import { CLOUDFRONT_REGION, CloudFrontService } from "./cloudfront.js";
import {
  type CloudTrailEnvelope,
  cloudTrailEvent,
  type FailedCall,
  failedCallEvent,
  type Mutation,
} from "./cloudtrail.js";
import { ConfigService } from "./config.js";
import { Elbv2Service } from "./elbv2.js";
import { isServiceError, type SandboxServiceName, throttlingError } from "./errors.js";
import { faultResponse } from "./fault-responses.js";
import { type Fault, type FaultCounts, FaultPlan, type Faults } from "./faults.js";
import { assumedRole, type SandboxIdentity } from "./identity.js";
import { IdSource } from "./ids.js";
import { currentInvocation, FunctionCrashedError } from "./invocation.js";
import { copy, type Json } from "./json.js";
import { type KmsKeySpec, KmsService } from "./kms.js";
import { RateLimits } from "./rate-limits.js";
import { sandboxRetryStrategy } from "./sdk-retry.js";
import type { CallContext, SandboxService } from "./service.js";
import { type Publication, SnsService } from "./sns.js";
import { type OriginProbeStatus, parseSandboxState, type SandboxState } from "./state.js";
import { StsService } from "./sts.js";
import { WafV2Service } from "./wafv2.js";
import { SandboxWaits } from "./waits.js";

export const DEFAULT_ACCOUNT = "111122223333";
export const DEFAULT_REGION = "eu-west-1";

/** Static credentials for sandbox-plugged clients, so the SDK never goes looking for real ones. */
export const SANDBOX_CREDENTIALS = Object.freeze({
  accessKeyId: "AKIASANDBOXEXAMPLE00",
  secretAccessKey: "driftwarden-sandbox-not-a-secret",
});

export interface SandboxAccountOptions {
  account?: string;
  /** Home region: where calls without a region (and without an ARN naming one) go. */
  region?: string;
  clock?: SandboxClock;
  /** A scenario `state` (validated here) or nothing for an empty account. */
  state?: unknown;
  remediatorRoleArn?: string;
  /** How long a CloudFront change stays InProgress (sandbox milliseconds). */
  cloudFrontDeployMs?: number;
}

/** A stand-in for a service the sandbox does not implement itself (the lead registers Step Functions). */
export type ServiceHandler = (
  action: string,
  input: Json,
  context: { region: string; identity: SandboxIdentity },
) => unknown | Promise<unknown>;

export type MutationListener = (mutation: Mutation) => void | Promise<void>;

export interface ProbeRecord {
  host: string;
  port: number;
  status: ProbeResult["status"];
}

const FIRST_REGIONAL_ARN = /arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:/;

/**
 * The local AWS account driftwarden runs against in tests, `simulate` and the
 * demo. It answers the ELBv2, CloudFront, SNS, STS and KMS calls the pipeline makes,
 * in the SDK's own output and error shapes, records every change to a
 * protected resource and hands it to listeners (who turn it into the
 * CloudTrail event AWS would deliver), and plugs in under the SDK clients of
 * functions/lib/aws.ts so handlers run unchanged.
 */
export class SandboxAccount {
  readonly account: string;
  readonly region: string;
  readonly clock: SandboxClock;
  readonly remediatorRoleArn: string;
  readonly mutations: Mutation[] = [];
  readonly probes: ProbeRecord[] = [];
  readonly probe: OriginProbe;
  /** Where the pipeline's waits (retry backoff and the like) pass: on this account's clock. */
  readonly waits: SandboxWaits;

  private readonly ids: IdSource;
  private readonly elbv2: Elbv2Service;
  private readonly cloudfront: CloudFrontService;
  private readonly sns: SnsService;
  private readonly wafv2: WafV2Service;
  private readonly kms: KmsService;
  private readonly services: Record<string, SandboxService>;
  private readonly handlers = new Map<string, ServiceHandler>();
  private readonly throttles = new Map<string, number>();
  private readonly rateLimits: RateLimits;
  /**
   * Every request that reached the account, by `<function> <service>:<action>` (the function
   * that made it, or `person`), and how many of them its rate limits refused (a retried call
   * counts once per attempt, as AWS counts requests).
   */
  readonly callCounts = new Map<string, { made: number; throttled: number }>();
  private readonly listeners = new Set<MutationListener>();
  private readonly notifying = new Set<Promise<unknown>>();
  private readonly origins: Record<string, OriginProbeStatus>;
  /** ACM certificates the scenario describes (nothing calls ACM, so they stay as given). */
  private readonly acm: SandboxState["acm"];
  private readonly passThrough = new Set<string>();
  private readonly recordedConfig: SandboxState["config"];
  private faults = new FaultPlan({ seed: 0, rules: [], crashAfter: [] });

  constructor(options: SandboxAccountOptions = {}) {
    this.account = options.account ?? DEFAULT_ACCOUNT;
    if (!/^\d{12}$/.test(this.account))
      throw new ConfigurationError(`account: "${this.account}" is not a 12-digit AWS account id`);
    this.region = options.region ?? DEFAULT_REGION;
    this.clock = options.clock ?? new SandboxClock();
    this.waits = new SandboxWaits(this.clock);
    this.rateLimits = new RateLimits(this.clock);
    this.remediatorRoleArn =
      options.remediatorRoleArn ?? `arn:aws:iam::${this.account}:role/driftwarden-remediator`;
    const state = parseSandboxState(options.state);
    this.ids = new IdSource(this.account);
    this.elbv2 = new Elbv2Service(state.elbv2, this.ids);
    this.cloudfront = new CloudFrontService(
      state.cloudfront,
      this.account,
      this.clock,
      this.ids,
      options.cloudFrontDeployMs,
      {
        // Asked at call time, after the WAFv2 stand-in below exists: CloudFront takes global web ACLs only.
        webAclExists: (arn) => this.wafv2.isGlobalWebAcl(arn),
        certificates: state.acm?.certificates,
      },
    );
    this.sns = new SnsService(this.account, this.ids);
    this.wafv2 = new WafV2Service(state.wafv2, this.account, this.elbv2);
    this.kms = new KmsService(this.account, this.ids, () => this.clock.now());
    this.services = {
      elbv2: this.elbv2,
      cloudfront: this.cloudfront,
      sns: this.sns,
      sts: new StsService(),
      wafv2: this.wafv2,
      kms: this.kms,
      config: new ConfigService(state.config?.recorder, this.account, () => this.state()),
    };
    this.recordedConfig = state.config;
    this.origins = { ...state.origins };
    this.acm = state.acm;
    this.probe = async ({ host, port }) => {
      const result = probeResult(host, port, this.origins[host]);
      this.probes.push({ host, port, status: result.status });
      return result;
    };
  }

  /** Every SNS publication, in order. */
  get published(): readonly Publication[] {
    return this.sns.published;
  }

  /** Whether `arn` names an existing global (CLOUDFRONT-scope) web ACL, the only kind a distribution may name. */
  isGlobalWebAcl(arn: string): boolean {
    return this.wafv2.isGlobalWebAcl(arn);
  }

  /** A session of the remediator role: the identity the pipeline's own calls are made (and echoed) as. */
  remediator(sessionName = "driftwarden-remediator"): SandboxIdentity {
    return assumedRole(this.remediatorRoleArn, sessionName);
  }

  /**
   * One API call, answered in the SDK v3 output shape or thrown as the SDK's
   * error. Without `region`, the region of the first ARN in the input is used
   * (a scenario's `call` step names none), else the home region; CloudFront is
   * always us-east-1.
   */
  async call(
    service: string,
    action: string,
    input: Record<string, unknown> | undefined,
    identity: SandboxIdentity,
    region?: string,
  ): Promise<Json> {
    return (await this.invoke(service, action, input ?? {}, identity, region)).output;
  }

  private async invoke(
    service: string,
    action: string,
    input: Record<string, unknown>,
    identity: SandboxIdentity,
    region: string | undefined,
  ): Promise<{ output: Json; requestId: string }> {
    const requestId = this.ids.uuid("request");
    try {
      this.consumeThrottle(service, action);
      const ctx: CallContext = {
        region:
          service === "cloudfront" ? CLOUDFRONT_REGION : (region ?? regionOfInput(input) ?? this.region),
        identity,
        now: this.clock.now(),
      };
      const key = `${currentFunction() ?? "person"} ${service}:${action}`;
      const count = this.callCounts.get(key) ?? { made: 0, throttled: 0 };
      this.callCounts.set(key, count);
      count.made += 1;
      if (!this.rateLimits.take(service, action, ctx.region)) {
        count.throttled += 1;
        throw throttlingError(service as SandboxServiceName, action);
      }
      const builtin = this.services[service];
      if (!builtin) return { output: await this.delegate(service, action, input, ctx), requestId };
      const request = copy(input);
      const output = builtin.handle(action, request, ctx);
      if (builtin.mutating.has(action)) this.record(service, action, request, output, ctx, requestId);
      return { output: copy(output), requestId };
    } catch (error) {
      if (isServiceError(error)) {
        error.$metadata.requestId ??= requestId;
        if (this.services[service]?.mutating.has(action))
          this.recordFailure(service, action, input, error, identity, region, requestId);
      }
      throw error;
    }
  }

  private recordFailure(
    service: string,
    action: string,
    input: Json,
    error: Error,
    identity: SandboxIdentity,
    region: string | undefined,
    requestId: string,
  ): void {
    const failure: FailedCall = {
      seq: this.failures.length + 1,
      service: service as FailedCall["service"],
      action,
      input: copy(input),
      identity,
      region: service === "cloudfront" ? CLOUDFRONT_REGION : (region ?? regionOfInput(input) ?? this.region),
      time: this.clock.now().toISOString(),
      requestId,
      errorCode: error.name,
      errorMessage: error.message,
    };
    this.failures.push(failure);
    for (const listener of this.failureListeners) listener(failure);
  }

  /** Mutating calls AWS refused, in order (CloudTrail records them with their error). */
  readonly failures: FailedCall[] = [];
  private readonly failureListeners = new Set<(failure: FailedCall) => void>();

  /** Called after every refused change to an ELBv2 or CloudFront resource. */
  onFailedCall(listener: (failure: FailedCall) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  failedCallEvent(failure: FailedCall): CloudTrailEnvelope {
    return failedCallEvent(failure, this.account);
  }

  private async delegate(service: string, action: string, input: Json, ctx: CallContext): Promise<Json> {
    const handler = this.handlers.get(service);
    if (!handler) {
      throw new ConfigurationError(
        `the sandbox account has no ${service} service (called ${service}:${action}); register one with registerService("${service}", handler)`,
      );
    }
    const output = await handler(action, copy(input), { region: ctx.region, identity: ctx.identity });
    return (output ?? {}) as Json;
  }

  private record(
    service: string,
    action: string,
    input: Json,
    output: Json,
    ctx: CallContext,
    requestId: string,
  ): void {
    const mutation: Mutation = {
      seq: this.mutations.length + 1,
      service: service as Mutation["service"],
      action,
      input: copy(input),
      output: copy(output),
      identity: ctx.identity,
      region: ctx.region,
      time: ctx.now.toISOString(),
      requestId,
    };
    this.mutations.push(mutation);
    for (const listener of this.listeners) {
      // A listener's failure is not the AWS call's failure: the change happened, and the
      // failure surfaces from settle() instead of from the call.
      let result: unknown;
      try {
        result = listener(mutation);
      } catch (error) {
        result = Promise.reject(error);
      }
      if (result instanceof Promise) {
        const tracked: Promise<unknown> = result.finally(() => this.notifying.delete(tracked));
        this.notifying.add(tracked);
      }
    }
  }

  /** Called after every successful change to an ELBv2 or CloudFront resource (e.g. to deliver its CloudTrail event). */
  onMutation(listener: MutationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for mutation listeners and clock timers started so far; rethrows their failures. */
  async settle(): Promise<void> {
    while (this.notifying.size > 0) await Promise.all([...this.notifying]);
    await this.clock.settle();
  }

  cloudTrailEvent(mutation: Mutation): CloudTrailEnvelope {
    return cloudTrailEvent(mutation, this.account);
  }

  /** The next `times` calls of `service:action` fail with the service's throttling error. */
  throttle({ service, action, times }: { service: SandboxServiceName; action: string; times: number }): void {
    if (!Number.isInteger(times) || times < 1)
      throw new ConfigurationError(`throttle: times must be a positive whole number, not ${times}`);
    const key = `${service}:${action}`;
    this.throttles.set(key, (this.throttles.get(key) ?? 0) + times);
  }

  private consumeThrottle(service: string, action: string): void {
    const key = `${service}:${action}`;
    const left = this.throttles.get(key) ?? 0;
    if (left <= 0) return;
    this.throttles.set(key, left - 1);
    throw throttlingError(service as SandboxServiceName, action);
  }

  createTopic(name: string, region = this.region): string {
    return this.sns.createTopic(name, region);
  }

  /**
   * A KMS key of this account, as CreateKey makes it: an HMAC key signs approval
   * links, an ECC key seals the audit ledger. Returns the key ARN.
   */
  createKey(spec: KmsKeySpec, description: string, region = this.region): string {
    const usage = spec.startsWith("HMAC_") ? "GENERATE_VERIFY_MAC" : "SIGN_VERIFY";
    const output = this.kms.handle(
      "CreateKey",
      { KeySpec: spec, KeyUsage: usage, Description: description },
      { region, identity: this.remediator(), now: this.clock.now() },
    ) as { KeyMetadata: { Arn: string } };
    return output.KeyMetadata.Arn;
  }

  /** Answers calls to a service the sandbox does not implement; returns the unregister function. */
  registerService(service: string, handler: ServiceHandler): () => void {
    if (this.services[service])
      throw new ConfigurationError(`registerService: ${service} is built into the sandbox`);
    this.handlers.set(service, handler);
    return () => {
      if (this.handlers.get(service) === handler) this.handlers.delete(service);
    };
  }

  /** The account now, in the scenario `state` shape (for the report). */
  state(): SandboxState {
    return {
      elbv2: this.elbv2.snapshot(),
      cloudfront: this.cloudfront.snapshot(),
      ...(this.acm ? { acm: this.acm } : {}),
      ...(this.recordedConfig ? { config: this.recordedConfig } : {}),
      wafv2: this.wafv2.snapshot(),
      origins: { ...this.origins },
    };
  }

  /**
   * Services answered by a local stand-in over HTTP at the client's own
   * endpoint (DynamoDB: the runtime's DynamoDB-compatible server): the plugin
   * passes their requests on, with faults applied all the same.
   */
  forwardToEndpoint(service: string): void {
    this.passThrough.add(service);
  }

  /**
   * The scenario's faults, from now on, for calls made inside a function invocation. They stand in
   * for the rate limits too: a scenario with faults names the throttling it wants, and both drawing
   * on one call would make its report depend on how concurrent executions interleave in real time.
   */
  useFaults(faults: Faults): void {
    this.faults = new FaultPlan(faults);
    this.rateLimits.enabled = false;
  }

  /** A number in [0, 1) for a stable key, from the scenario's seed (jitter the SDK does not draw itself). */
  draw(key: string): number {
    return this.faults.draw(key);
  }

  /** Faults injected so far (the report's `faultsInjected`). */
  get faultsInjected(): FaultCounts {
    return { ...this.faults.injected };
  }

  /**
   * An SDK client plugin answering every command from this account as
   * `identity`, below the SDK's retry layer (the deserialize step), so the
   * SDK retries a throttled or failed attempt exactly as it retries AWS's.
   * Endpoint resolution and signing run as against AWS, with the static
   * sandbox credentials; nothing leaves the process except requests to a
   * stand-in of `forwardToEndpoint`.
   *
   * Inside a function invocation (see invocation.ts), each attempt may meet a
   * scenario fault, answered on the wire in the service's protocol so that the
   * SDK's own deserializer builds the error; a `crashAfter` call kills the
   * invocation right after it succeeded.
   */
  clientPlugin(identity: SandboxIdentity): ClientPluginRegistration["plugin"] {
    return ({ service, region }: ClientTarget): Pluggable<object, MetadataBearer> => ({
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            const invocation = currentInvocation();
            if (invocation?.crashed) throw new FunctionCrashedError(invocation);
            const result = await next(args);
            if (invocation && this.faults.crashAfter(service, commandAction(service, context))) {
              invocation.crashed = { service, action: commandAction(service, context) };
              throw new FunctionCrashedError(invocation);
            }
            return result;
          },
          { step: "initialize", priority: "high", name: "driftwardenInvocation", override: true },
        );
        // Right below the SDK's retry middleware: every attempt comes here, and an answered one skips
        // signing (sandbox credentials sign nothing anyone checks).
        const respond: FinalizeRequestMiddleware<object, MetadataBearer> =
          (next, context) => async (args) => {
            const action = commandAction(service, context);
            const input = args.input as Json;
            const invocation = currentInvocation();
            this.waits.touch();
            const fault = invocation ? this.faults.attempt(service, action, invocation) : undefined;
            if (fault) {
              const requestId = this.ids.uuid("request");
              (context as FaultContext)[FAULT] = { fault, service, requestId };
              try {
                return await next(args);
              } catch (error) {
                if (this.services[service]?.mutating.has(action) && error instanceof Error)
                  this.recordFailure(service, action, input, error, identity, region, requestId);
                throw error;
              } finally {
                this.waits.touch();
              }
            }
            if (this.passThrough.has(service)) return this.waits.during(() => next(args));
            const { output, requestId } = await this.invoke(service, action, input, identity, region);
            this.waits.touch();
            return {
              output: {
                ...output,
                $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 },
              },
              response: { statusCode: 200, headers: { "x-amzn-requestid": requestId } },
            };
          };
        stack.addRelativeTo(respond, {
          relation: "after",
          toMiddleware: "retryMiddleware",
          name: "driftwardenSandbox",
          override: true,
        });
        // Below the SDK's deserializer: the wire answer of a faulted attempt, which it turns into the error.
        stack.add(
          (next, context) => async (args) => {
            const marked = (context as FaultContext)[FAULT];
            if (!marked) return next(args);
            delete (context as FaultContext)[FAULT];
            return { response: faultResponse(marked.fault, marked.service, args.request, marked.requestId) };
          },
          { step: "deserialize", priority: "low", name: "driftwardenFaultResponse", override: true },
        );
      },
    });
  }

  /** Plugs this account in under every client from functions/lib/aws.ts; returns the unregister function. */
  register(identity: SandboxIdentity = this.remediator()): () => void {
    return useClientPlugin({
      plugin: this.clientPlugin(identity),
      config: ({ service }: ClientTarget) => ({
        credentials: { ...SANDBOX_CREDENTIALS },
        retryStrategy: sandboxRetryStrategy({
          waits: this.waits,
          // As @aws-sdk/client-dynamodb configures it; every other client uses the SDK's default.
          baseDelay: service === "dynamodb" ? 25 : Retry.delay(),
          random: () => this.faults.random(currentInvocation(), "retry jitter"),
        }),
      }),
    });
  }
}

const FAULT = Symbol("driftwarden fault");
type FaultContext = HandlerExecutionContext & {
  [FAULT]?: { fault: Fault; service: string; requestId: string };
};

function commandAction(service: string, context: HandlerExecutionContext): string {
  const action = context.commandName?.replace(/Command$/, "");
  if (!action) throw new ConfigurationError(`sandbox: a ${service} command without a command name`);
  return action;
}

function regionOfInput(input: Json): string | undefined {
  return FIRST_REGIONAL_ARN.exec(JSON.stringify(input))?.[1];
}

function probeResult(host: string, port: number, status: OriginProbeStatus | undefined): ProbeResult {
  const target = `${host}:${port}`;
  switch (status) {
    case "ok":
      return {
        status: "ok",
        protocol: "TLSv1.3",
        detail: `TLS handshake with ${target} succeeded (TLSv1.3, certificate valid for ${host})`,
      };
    case "no-https":
      return { status: "no-https", detail: `${target} does not accept TLS connections` };
    case "invalid-certificate":
      return {
        status: "invalid-certificate",
        detail: `the certificate presented by ${target} is not valid for ${host}`,
      };
    case "tls-too-old":
      return { status: "tls-too-old", detail: `${target} offers only TLS versions older than 1.2` };
    default:
      return { status: "unreachable", detail: `${target} did not answer` };
  }
}
