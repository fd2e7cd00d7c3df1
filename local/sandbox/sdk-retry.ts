import { AsyncLocalStorage } from "node:async_hooks";
import { AdaptiveRetryStrategy, DefaultRateLimiter, MAXIMUM_RETRY_DELAY } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from "@smithy/types";
import { maxAttempts } from "../../functions/lib/aws.js";
import type { SandboxWaits } from "./waits.js";

/**
 * The SDK's own adaptive retry strategy (AdaptiveRetryStrategy over
 * StandardRetryStrategy and DefaultRateLimiter, with the attempts deployed
 * clients use) with only its sense of time moved to the sandbox clock: the
 * backoff before each retry and the rate limiter's token-bucket waits are
 * sandbox waits, and the limiter measures its sending rate on the sandbox
 * clock. Deciding whether and how soon to retry stays the SDK's. Jitter comes
 * from the scenario's seed, so a run can be repeated.
 */

/** The backoff a retry in progress still owes, handed from the backoff strategy to the rate limiter. */
interface PendingBackoff {
  delay: number;
  slept: number;
  /** The SDK's own (zero-length, real) timer is still running: time must not jump yet. */
  inflight: boolean;
}

const pendingBackoff = new AsyncLocalStorage<PendingBackoff>();
const tokenBucketWaits = new AsyncLocalStorage<SandboxWaits>();

type TimeoutFn = (fn: () => void, delay: number) => unknown;
const limiterStatics = DefaultRateLimiter as unknown as { setTimeoutFn: TimeoutFn };
let tokenBucketTimerInstalled = false;

/** Token-bucket waits of sandbox limiters go to their waits; any other limiter keeps real time. */
function installTokenBucketTimer(): void {
  if (tokenBucketTimerInstalled) return;
  const real = limiterStatics.setTimeoutFn;
  limiterStatics.setTimeoutFn = (fn, delay) => {
    const waits = tokenBucketWaits.getStore();
    if (!waits) return real(fn, delay);
    waits.later(delay, fn);
    return undefined;
  };
  tokenBucketTimerInstalled = true;
}

interface RateLimiterInternals {
  getSendToken(): Promise<void>;
  updateClientSendingRate(response: unknown): void;
  getCurrentTimeInSeconds(): number;
}
// getCurrentTimeInSeconds is private in the SDK's typings; the limiter calls it on itself, so overriding works.
const RateLimiterBase = DefaultRateLimiter as unknown as new () => RateLimiterInternals;

function sandboxRateLimiter(waits: SandboxWaits): RateLimiterInternals {
  return new (class extends RateLimiterBase {
    // The base constructor already calls this, hence the closure over `waits` instead of a field.
    override getCurrentTimeInSeconds(): number {
      return waits.now().getTime() / 1000;
    }

    override async getSendToken(): Promise<void> {
      const backoff = pendingBackoff.getStore();
      if (backoff?.inflight) {
        backoff.inflight = false;
        waits.end();
      }
      if (backoff && backoff.delay > 0) {
        const delay = backoff.delay;
        backoff.delay = 0;
        await waits.sleep(delay);
        backoff.slept += delay;
      }
      return tokenBucketWaits.run(waits, () => super.getSendToken());
    }
  })();
}

export interface SandboxRetryOptions {
  waits: SandboxWaits;
  /** The client's base delay for non-throttling errors (the SDK uses 25 ms for DynamoDB, 50 ms elsewhere). */
  baseDelay: number;
  /** Uniform in [0, 1): the jitter. */
  random: () => number;
}

class SandboxRetryStrategy extends AdaptiveRetryStrategy {
  constructor(private readonly options: SandboxRetryOptions) {
    let delayBase = options.baseDelay;
    super(maxAttempts, {
      maxAttempts,
      baseDelay: options.baseDelay,
      rateLimiter: sandboxRateLimiter(options.waits),
      // The SDK's full-jitter exponential backoff (DefaultRetryBackoffStrategy), slept on the sandbox
      // clock by the rate limiter above; the SDK's own sleep is told zero.
      backoff: {
        setDelayBase: (delay: number) => {
          delayBase = delay;
        },
        computeNextBackoffDelay: (retries: number) => {
          const delay = Math.floor(
            options.random() * Math.min(delayBase * 2 ** retries, MAXIMUM_RETRY_DELAY),
          );
          const backoff = pendingBackoff.getStore();
          if (backoff) backoff.delay = delay;
          return 0;
        },
      },
    });
    installTokenBucketTimer();
  }

  override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const backoff: PendingBackoff = { delay: 0, slept: 0, inflight: true };
    this.options.waits.begin();
    try {
      const next = (await pendingBackoff.run(backoff, () =>
        super.refreshRetryTokenForRetry(token, errorInfo),
      )) as StandardRetryToken & { $retryLog?: { acquisitionDelay: number } };
      // $metadata.totalRetryDelay adds this up, as it does for the SDK's own sleeps.
      if (next.$retryLog) next.$retryLog.acquisitionDelay = backoff.slept;
      return next;
    } finally {
      if (backoff.inflight) this.options.waits.end();
    }
  }
}

export function sandboxRetryStrategy(options: SandboxRetryOptions): RetryStrategyV2 {
  return new SandboxRetryStrategy(options);
}
