/**
 * At most `limit` tasks of one key (a service in a region) in flight at once:
 * control-plane APIs (ELBv2, CloudFront, WAF) throttle at a few requests per
 * second shared with every other tool in the account, so a scan keeps a small
 * number of calls open per service and lets the SDK's adaptive retry pace them.
 */
export function keyedLimiter(limits: (key: string) => number) {
  const running = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();

  const release = (key: string) => {
    const next = waiting.get(key)?.shift();
    if (next) next();
    else running.set(key, (running.get(key) ?? 1) - 1);
  };

  return async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if ((running.get(key) ?? 0) < limits(key)) {
      running.set(key, (running.get(key) ?? 0) + 1);
    } else {
      // The slot is handed over by release(): the count stays as it was.
      await new Promise<void>((resolve) => {
        const queue = waiting.get(key) ?? [];
        queue.push(resolve);
        waiting.set(key, queue);
      });
    }
    try {
      return await task();
    } finally {
      release(key);
    }
  };
}
