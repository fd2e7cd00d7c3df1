import { performance } from "node:perf_hooks";
import { parseConfig } from "../functions/lib/config.js";
import { largeAccount } from "./large-account.js";
import { LocalRuntime } from "./runtime.js";

/**
 * Intake under load on the local runtime: what one event costs (the calls
 * intake makes and its wall time, for an event about a compliant listener),
 * and a burst of the same changes reported many times over (CloudTrail
 * delivers at least once; a deploy repeats itself): how many workflows it
 * starts and how many changes they make.
 */
const account = "111122223333";
const region = "eu-west-1";
const only = {
  "alb-tls-policy": { mode: "off" },
  "alb-drop-invalid-headers": { mode: "off" },
  "alb-deletion-protection": { mode: "off" },
  "alb-waf-attached": { mode: "off" },
};

async function start(
  loadBalancers: number,
  driftEvery: number,
): Promise<{ runtime: LocalRuntime; listeners: string[] }> {
  const generated = largeAccount({
    account,
    region,
    loadBalancers,
    listenersPerLoadBalancer: 2,
    distributions: 0,
    driftEvery,
  });
  const runtime = await LocalRuntime.start({
    account,
    region,
    clock: "2026-03-01T09:00:00Z",
    config: parseConfig({ homeRegion: region, watchedRegions: [region], controls: only }),
    state: generated.state,
  });
  const listeners = generated.state.elbv2.listeners
    .filter((l) => l.Protocol === "HTTP")
    .map((l) => l.ListenerArn);
  return { runtime, listeners };
}

function intakeCalls(runtime: LocalRuntime): number {
  let calls = 0;
  for (const [key, count] of runtime.sandbox.callCounts) if (key.startsWith("intake ")) calls += count.made;
  return calls;
}

const redirect = [
  {
    Type: "redirect",
    RedirectConfig: {
      Protocol: "HTTPS",
      Port: "443",
      Host: "#{host}",
      Path: "/#{path}",
      Query: "#{query}",
      StatusCode: "HTTP_301",
    },
  },
];

/** Each of `events` CloudTrail events about a compliant listener, handled one by one. */
export async function intakeCostPerEvent(events: number): Promise<{ calls: number; ms: number }> {
  // Every listener compliant: intake re-reads, judges, and starts nothing.
  const { runtime, listeners } = await start(events, events + 1);
  try {
    const [first] = listeners;
    if (!first) throw new Error("no listener");
    // Warm the clients and the code paths once, outside the measurement.
    await runtime.change(
      "elbv2",
      "ModifyListener",
      { ListenerArn: first, DefaultActions: redirect },
      runtime.person(),
    );
    const before = intakeCalls(runtime);
    let elapsed = 0;
    for (const listener of listeners.slice(1, events + 1)) {
      await runtime.call("elbv2", "ModifyListener", { ListenerArn: listener, DefaultActions: redirect });
      const mutation = runtime.sandbox.mutations.at(-1);
      if (!mutation) continue;
      const started = performance.now();
      runtime.deliver(runtime.sandbox.cloudTrailEvent(mutation));
      await runtime.settle();
      elapsed += performance.now() - started;
    }
    const handled = Math.max(1, Math.min(events, listeners.length - 1));
    return { calls: (intakeCalls(runtime) - before) / handled, ms: elapsed / handled };
  } finally {
    await runtime.close();
  }
}

/**
 * `events` events spread over `resources` drifted listeners: `at-once`
 * delivers them all before any is handled, `one-by-one` lets each settle
 * (its workflow included) before the next arrives.
 */
export async function burst(
  events: number,
  resources: number,
  delivery: "at-once" | "one-by-one" = "at-once",
): Promise<{ executions: number; mutations: number; errors: string[] }> {
  const { runtime, listeners } = await start(resources, 1);
  try {
    const person = runtime.person();
    const envelopes: Record<string, unknown>[] = [];
    for (const listener of listeners) {
      // The drift: someone points the HTTP listener at a target group again.
      await runtime.call(
        "elbv2",
        "ModifyListener",
        {
          ListenerArn: listener,
          DefaultActions: [
            {
              Type: "forward",
              TargetGroupArn: listener.replace(
                /listener\/app\/([^/]+)\/.*$/,
                "targetgroup/$1/0000000000000000",
              ),
            },
          ],
        },
        person,
      );
      const mutation = runtime.sandbox.mutations.at(-1);
      if (mutation)
        envelopes.push(runtime.sandbox.cloudTrailEvent(mutation) as unknown as Record<string, unknown>);
    }
    const before = runtime.sandbox.mutations.length;
    for (let i = 0; i < events; i++) {
      const envelope = envelopes[i % envelopes.length] as Record<string, unknown>;
      // Each delivery of the same change is its own event, as a repeated deploy or a redelivery is.
      runtime.deliver({ ...envelope, id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}` });
      if (delivery === "one-by-one") await runtime.settle();
    }
    await runtime.settle();
    const report = await runtime.report("burst");
    return {
      executions: report.executions.length,
      mutations: runtime.sandbox.mutations.length - before,
      errors: report.errors.map((e) => e.message),
    };
  } finally {
    await runtime.close();
  }
}
