import { now, sleep } from "../lib/clock.js";

/**
 * AWS publishes no request rate for SelectResourceConfig, and the adaptive
 * retry's limiter learns a rate only from throttles, then keeps probing above
 * it. A sweep sends its Config queries at a steady pace instead, per region:
 * the account's other Config users (rules, the console, other tools) keep
 * their share and a large sweep is not thrown back on retries. A lower real
 * rate is still met by adaptive retry. At this pace, 2,000 load balancers
 * with 10,000 listeners and 2,000 distributions take about 35 seconds.
 */
export const CONFIG_QUERY_PACE = { burst: 4, perSecond: 4 } as const;

interface Bucket {
  tokens: number;
  at: number;
}

/** Per client: a warm function keeps its pace across pages, and each region has its own client. */
const buckets = new WeakMap<object, Bucket>();

/** Waits until the pace allows one more query on `client`, and takes that turn. */
export async function pacedTurn(client: object): Promise<void> {
  const { burst, perSecond } = CONFIG_QUERY_PACE;
  for (;;) {
    const at = now().getTime();
    const last = buckets.get(client) ?? { tokens: burst, at };
    // A clock that steps back (a new sandbox reusing a client) refills nothing rather than draining.
    const tokens = Math.min(burst, last.tokens + (Math.max(0, at - last.at) / 1000) * perSecond);
    if (tokens >= 1) {
      buckets.set(client, { tokens: tokens - 1, at });
      return;
    }
    buckets.set(client, { tokens, at });
    await sleep(Math.ceil(((1 - tokens) / perSecond) * 1000));
  }
}
