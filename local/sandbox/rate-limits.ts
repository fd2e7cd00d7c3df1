import type { SandboxClock } from "./clock.js";

/**
 * AWS's request-rate limits on the sandbox clock, as token buckets: each call
 * takes a token, a bucket refills at its rate up to its capacity, and a call
 * that finds it empty is answered with the service's throttling error, so the
 * SDK's adaptive retry (which waits on the same clock) paces the caller as AWS
 * would. Only the read APIs a sweep leans on are modelled; the figures:
 *  - ELBv2 Describe*: 40 tokens, 10 per second, per account and region (the
 *    ELB user guide, "Request throttling for the ELB API").
 *  - CloudFront List and Get calls: AWS publishes no figure; 20 tokens, 5 per second,
 *    account-wide (CloudFront is global), a conservative guess.
 *  - AWS Config Select and Describe calls, WAF Get and List calls: no published figure
 *    either; 10 tokens, 5 per second per region, conservative too.
 */

export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

interface Rule {
  service: string;
  actions: RegExp;
  spec: BucketSpec;
  global: boolean;
}

export const rateLimitRules: readonly Rule[] = [
  { service: "elbv2", actions: /^Describe/, spec: { capacity: 40, perSecond: 10 }, global: false },
  { service: "cloudfront", actions: /^(List|Get)/, spec: { capacity: 20, perSecond: 5 }, global: true },
  { service: "config", actions: /^(Select|Describe)/, spec: { capacity: 10, perSecond: 5 }, global: false },
  { service: "wafv2", actions: /^(Get|List)/, spec: { capacity: 10, perSecond: 5 }, global: false },
];

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  /** Off where a scenario's faults model throttling instead (see SandboxAccount.useFaults). */
  enabled = true;

  constructor(private readonly clock: SandboxClock) {}

  /** Takes a token for the call; false when its bucket is empty (the call is throttled). */
  take(service: string, action: string, region: string): boolean {
    const rule = rateLimitRules.find((r) => r.service === service && r.actions.test(action));
    if (!rule || !this.enabled) return true;
    const key = rule.global ? rule.service : `${rule.service}:${region}`;
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: rule.spec.capacity, at: now };
    const refilled = Math.min(
      rule.spec.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * rule.spec.perSecond,
    );
    const ok = refilled >= 1;
    this.buckets.set(key, { tokens: ok ? refilled - 1 : refilled, at: now });
    return ok;
  }
}
