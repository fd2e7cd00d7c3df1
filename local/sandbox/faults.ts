import { createHash } from "node:crypto";
import { z } from "zod";
import type { Invocation } from "./invocation.js";

/**
 * A scenario's `faults` (SCENARIOS.md "Faults"): throttling and server errors
 * drawn per call attempt, `failNext` counters, and `crashAfter`. Draws are
 * keyed on the seed, the invocation making the call and the call's position
 * in it, not on a shared sequence, so concurrent executions interleaving
 * differently from one run to the next still meet the same faults.
 */
export const faultServices = [
  "elbv2",
  "cloudfront",
  "wafv2",
  "sns",
  "sts",
  "sfn",
  "dynamodb",
  "kms",
] as const;

const service = z.enum([...faultServices, "*"]);
const action = z
  .string()
  .regex(/^(\*|[A-Z][A-Za-z0-9]+)$/, "must be an API action name such as ModifyListener, or *");
const probability = z
  .number()
  .min(0, "must be a probability from 0 to 1")
  .max(1, "must be a probability from 0 to 1");

const faultRuleSchema = z
  .strictObject({
    service,
    action,
    throttle: probability.optional(),
    serverError: probability.optional(),
    failNext: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
  })
  .refine(
    (rule) => rule.throttle !== undefined || rule.serverError !== undefined || rule.failNext !== undefined,
    {
      message: "must set throttle, serverError or failNext",
    },
  );

const crashSchema = z.strictObject({
  service,
  action,
  times: z.number().int("must be a whole number").min(1, "must be at least 1").default(1),
});

export const faultsSchema = z.strictObject({
  seed: z.number().int("must be a whole number").default(0),
  rules: z.array(faultRuleSchema).default([]),
  crashAfter: z.array(crashSchema).default([]),
});

export type Faults = z.infer<typeof faultsSchema>;
export type FaultRule = Faults["rules"][number];

export type Fault = { kind: "throttle" } | { kind: "server-error"; status: 500 | 503 };

/** The report's `faultsInjected`. */
export interface FaultCounts {
  throttle: number;
  serverError: number;
  crash: number;
}

function matches(rule: { service: string; action: string }, service: string, action: string): boolean {
  return (
    (rule.service === "*" || rule.service === service) && (rule.action === "*" || rule.action === action)
  );
}

export class FaultPlan {
  readonly injected: FaultCounts = { throttle: 0, serverError: 0, crash: 0 };
  private readonly failNextLeft: number[];
  private readonly crashesLeft: number[];

  constructor(readonly faults: Faults) {
    this.failNextLeft = faults.rules.map((rule) => rule.failNext ?? 0);
    this.crashesLeft = faults.crashAfter.map((crash) => crash.times);
  }

  /** The fault one attempt of `service:action` by `invocation` meets, if any; the first rule that fires wins. */
  attempt(service: string, action: string, invocation: Invocation): Fault | undefined {
    const position = invocation.next(`attempt ${service}:${action}`);
    for (const [index, rule] of this.faults.rules.entries()) {
      if (!matches(rule, service, action)) continue;
      if ((this.failNextLeft[index] ?? 0) > 0) {
        this.failNextLeft[index] = (this.failNextLeft[index] ?? 1) - 1;
        this.injected.serverError++;
        return { kind: "server-error", status: 500 };
      }
      const draw = (kind: string) => this.uniform(invocation.id, service, action, position, index, kind);
      if (rule.throttle !== undefined && draw("throttle") < rule.throttle) {
        this.injected.throttle++;
        return { kind: "throttle" };
      }
      if (rule.serverError !== undefined && draw("server-error") < rule.serverError) {
        this.injected.serverError++;
        return { kind: "server-error", status: draw("status") < 0.5 ? 500 : 503 };
      }
    }
    return undefined;
  }

  /** Whether the invocation that just made `service:action` succeed dies now. */
  crashAfter(service: string, action: string): boolean {
    for (const [index, crash] of this.faults.crashAfter.entries()) {
      if (!matches(crash, service, action) || (this.crashesLeft[index] ?? 0) <= 0) continue;
      this.crashesLeft[index] = (this.crashesLeft[index] ?? 1) - 1;
      this.injected.crash++;
      return true;
    }
    return false;
  }

  /** A number in [0, 1) at the next position of `purpose` within the invocation (retry jitter). */
  random(invocation: Invocation | undefined, purpose: string): number {
    const owner = invocation?.id ?? "(outside any invocation)";
    const position = invocation ? invocation.next(purpose) : this.next(purpose);
    return this.uniform(owner, purpose, position);
  }

  /** A number in [0, 1) for a caller-made stable key (Step Functions' retry jitter). */
  draw(key: string): number {
    return this.uniform("draw", key);
  }

  private readonly outside = new Map<string, number>();

  private next(purpose: string): number {
    const n = (this.outside.get(purpose) ?? 0) + 1;
    this.outside.set(purpose, n);
    return n;
  }

  private uniform(...parts: (string | number)[]): number {
    const digest = createHash("sha256")
      .update([this.faults.seed, ...parts].join("\u0000"))
      .digest();
    return digest.readUIntBE(0, 6) / 2 ** 48;
  }
}
