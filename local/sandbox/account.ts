import type { MetadataBearer, Pluggable } from "@smithy/types";
import type { OriginProbe, ProbeResult } from "../../functions/controls/types.js";
import { type ClientPluginRegistration, type ServiceName, useClientPlugin } from "../../functions/lib/aws.js";
import { ConfigurationError } from "../../functions/lib/errors.js";
import { SandboxClock } from "./clock.js";
import { CLOUDFRONT_REGION, CloudFrontService } from "./cloudfront.js";
import {
  type CloudTrailEnvelope,
  cloudTrailEvent,
  type FailedCall,
  failedCallEvent,
  type Mutation,
} from "./cloudtrail.js";
import { Elbv2Service } from "./elbv2.js";
import { isServiceError, type SandboxServiceName, throttlingError } from "./errors.js";
import { assumedRole, type SandboxIdentity } from "./identity.js";
import { IdSource } from "./ids.js";
import { copy, type Json } from "./json.js";
import { type KmsKeySpec, KmsService } from "./kms.js";
import type { CallContext, SandboxService } from "./service.js";
import { type Publication, SnsService } from "./sns.js";
import { type OriginProbeStatus, parseSandboxState, type SandboxState } from "./state.js";
import { StsService } from "./sts.js";

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

  private readonly ids: IdSource;
  private readonly elbv2: Elbv2Service;
  private readonly cloudfront: CloudFrontService;
  private readonly sns: SnsService;
  private readonly kms: KmsService;
  private readonly services: Record<string, SandboxService>;
  private readonly handlers = new Map<string, ServiceHandler>();
  private readonly throttles = new Map<string, number>();
  private readonly listeners = new Set<MutationListener>();
  private readonly notifying = new Set<Promise<unknown>>();
  private readonly origins: Record<string, OriginProbeStatus>;

  constructor(options: SandboxAccountOptions = {}) {
    this.account = options.account ?? DEFAULT_ACCOUNT;
    if (!/^\d{12}$/.test(this.account))
      throw new ConfigurationError(`account: "${this.account}" is not a 12-digit AWS account id`);
    this.region = options.region ?? DEFAULT_REGION;
    this.clock = options.clock ?? new SandboxClock();
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
    );
    this.sns = new SnsService(this.account, this.ids);
    this.kms = new KmsService(this.account, this.ids, () => this.clock.now());
    this.services = {
      elbv2: this.elbv2,
      cloudfront: this.cloudfront,
      sns: this.sns,
      sts: new StsService(),
      kms: this.kms,
    };
    this.origins = { ...state.origins };
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
      origins: { ...this.origins },
    };
  }

  /**
   * An SDK client plugin answering every command from this account as
   * `identity`. It sits in the initialize step, before serialization,
   * endpoint resolution, signing (where credentials would be resolved) and
   * HTTP, so nothing leaves the process.
   */
  clientPlugin(identity: SandboxIdentity): ClientPluginRegistration["plugin"] {
    return ({
      service,
      region,
    }: {
      service: ServiceName;
      region: string;
    }): Pluggable<object, MetadataBearer> => ({
      applyToStack: (stack) => {
        stack.add(
          (_next, context) => async (args) => {
            const action = context.commandName?.replace(/Command$/, "");
            if (!action) throw new ConfigurationError(`sandbox: a ${service} command without a command name`);
            const { output, requestId } = await this.invoke(
              service,
              action,
              args.input as Json,
              identity,
              region,
            );
            return {
              output: {
                ...output,
                $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 },
              },
              response: { statusCode: 200, headers: { "x-amzn-requestid": requestId } },
            };
          },
          { step: "initialize", name: "driftwardenSandbox", priority: "low", override: true },
        );
      },
    });
  }

  /** Plugs this account in under every client from functions/lib/aws.ts; returns the unregister function. */
  register(identity: SandboxIdentity = this.remediator()): () => void {
    return useClientPlugin({
      plugin: this.clientPlugin(identity),
      config: { credentials: { ...SANDBOX_CREDENTIALS } },
    });
  }
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
