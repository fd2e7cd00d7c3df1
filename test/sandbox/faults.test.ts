import { GetDistributionCommand } from "@aws-sdk/client-cloudfront";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  type Action,
  DescribeListenersCommand,
  ModifyListenerCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { PublishCommand } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { GetWebACLForResourceCommand } from "@aws-sdk/client-wafv2";
import { describe, expect, it } from "vitest";
import { clients, maxAttempts } from "../../functions/lib/aws.js";
import { FaultPlan, type Faults, type faultServices } from "../../local/sandbox/faults.js";
import { FunctionCrashedError, Invocation, runInvocation } from "../../local/sandbox/invocation.js";
import { failure, HTTP_LISTENER, LB, plugged, redirectToHttps } from "./helpers.js";

/** A fault plan for `rules`, with no crashes unless given. */
function faults(rules: Faults["rules"], extra: Partial<Faults> = {}): Faults {
  return { seed: 7, rules, crashAfter: [], ...extra };
}

/** One call of each service the contract names, made the way driftwarden makes it. */
const calls: Record<(typeof faultServices)[number], () => Promise<unknown>> = {
  elbv2: () =>
    clients.elbv2("us-west-2").send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
  cloudfront: () => clients.cloudfront().send(new GetDistributionCommand({ Id: "E1QSDF4EXAMPLE" })),
  sns: () =>
    clients
      .sns("us-west-2")
      .send(new PublishCommand({ TopicArn: "arn:aws:sns:us-west-2:111122223333:alerts", Message: "hello" })),
  sts: () => clients.sts("us-west-2").send(new GetCallerIdentityCommand({})),
  sfn: () =>
    clients.sfn("us-west-2").send(
      new DescribeExecutionCommand({
        executionArn: "arn:aws:states:us-west-2:111122223333:execution:driftwarden-remediation:x",
      }),
    ),
  dynamodb: () =>
    clients
      .dynamo("us-west-2")
      .send(new GetItemCommand({ TableName: "events", Key: { pk: { S: "event#1" } } })),
  kms: () => clients.kms("us-west-2").send(new DescribeKeyCommand({ KeyId: "alias/driftwarden-approvals" })),
  wafv2: () => clients.wafv2("us-west-2").send(new GetWebACLForResourceCommand({ ResourceArn: LB })),
};

/** Inside a function invocation, where faults apply; its failure, or its result. */
function invoked<T>(call: () => Promise<T>, id = "test-invocation"): Promise<T> {
  return runInvocation("driftwarden-test", id, call);
}

describe("fault plan", () => {
  it("meets the same faults for the same seed, and others for another", () => {
    // Prepare
    const rules = [{ service: "*" as const, action: "*", throttle: 0.3, serverError: 0.05 }];
    const draw = (seed: number) => {
      const plan = new FaultPlan({ ...faults(rules), seed });
      const invocation = new Invocation("driftwarden-test", "same-invocation");
      return Array.from(
        { length: 200 },
        (_, i) => plan.attempt("elbv2", i % 2 ? "ModifyListener" : "DescribeRules", invocation)?.kind ?? "-",
      );
    };

    // Act
    const [first, again, other] = [draw(7), draw(7), draw(8)];

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const throttled = first.filter((kind) => kind === "throttle").length;
    expect(throttled).toBeGreaterThan(35);
    expect(throttled).toBeLessThan(85);
  });

  it("draws per invocation, so concurrent invocations interleaving differently meet the same faults", () => {
    // Prepare
    const rules = [{ service: "elbv2" as const, action: "*", throttle: 0.5 }];
    const sequence = (plan: FaultPlan, invocation: Invocation) =>
      Array.from({ length: 20 }, () => plan.attempt("elbv2", "DescribeListeners", invocation)?.kind ?? "-");
    const alone = sequence(new FaultPlan(faults(rules)), new Invocation("f", "b"));

    // Act: another invocation's calls come first this time
    const plan = new FaultPlan(faults(rules));
    sequence(plan, new Invocation("f", "a"));
    const interleaved = sequence(plan, new Invocation("f", "b"));

    // Assess
    expect(interleaved).toEqual(alone);
  });
});

describe("faults beneath the SDK's retry layer", () => {
  it.each([
    ["elbv2", "Throttling", 400, "ElasticLoadBalancingV2ServiceException"],
    ["cloudfront", "Throttling", 400, "CloudFrontServiceException"],
    ["sns", "ThrottledException", 429, "ThrottledException"],
    ["sts", "Throttling", 400, "STSServiceException"],
    ["sfn", "ThrottlingException", 400, "SFNServiceException"],
    ["dynamodb", "ThrottlingException", 400, "ThrottlingException"],
    ["kms", "ThrottlingException", 400, "KMSServiceException"],
    ["wafv2", "ThrottlingException", 400, "WAFV2ServiceException"],
  ] as const)(
    "%s throttles with %s (HTTP %i), as the SDK builds it from AWS's answer",
    async (service, name, status, className) => {
      // Prepare
      const sandbox = plugged();
      sandbox.useFaults(faults([{ service, action: "*", throttle: 1 }]));

      // Act
      const error = await failure(invoked(calls[service]));

      // Assess: every attempt was throttled, so the SDK gave up after its own retries
      expect(error.name).toBe(name);
      expect(error.constructor.name).toBe(className);
      expect(error.$fault).toBe("client");
      expect(error.$metadata).toMatchObject({ httpStatusCode: status, attempts: maxAttempts });
      expect(sandbox.faultsInjected).toEqual({ throttle: maxAttempts, serverError: 0, crash: 0 });
    },
  );

  it.each([
    ["elbv2", "query"],
    ["cloudfront", "REST-XML"],
    ["dynamodb", "JSON"],
  ] as const)(
    "%s fails with 5xx server errors (%s), which the SDK retries as transient",
    async (service, _protocol) => {
      // Prepare
      const sandbox = plugged();
      sandbox.useFaults(faults([{ service, action: "*", serverError: 1 }]));

      // Act
      const error = await failure(invoked(calls[service]));

      // Assess
      expect(["InternalFailure", "ServiceUnavailable"]).toContain(error.name);
      expect(error.$fault).toBe("server");
      expect([500, 503]).toContain((error.$metadata as { httpStatusCode: number }).httpStatusCode);
      expect((error.$metadata as { attempts: number }).attempts).toBe(maxAttempts);
      expect(sandbox.faultsInjected.serverError).toBe(maxAttempts);
    },
  );

  it("lets the SDK retry a failNext fault and succeed, and counts it as a server error", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(faults([{ service: "elbv2", action: "DescribeListeners", failNext: 2 }]));

    // Act
    const output = await invoked(calls.elbv2);

    // Assess
    expect((output as { $metadata: { attempts: number } }).$metadata.attempts).toBe(3);
    expect(sandbox.faultsInjected).toEqual({ throttle: 0, serverError: 2, crash: 0 });
  });

  it("waits the SDK's backoff on the sandbox clock, not in real time", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(faults([{ service: "elbv2", action: "*", throttle: 1 }]));
    const [realStart, sandboxStart] = [Date.now(), sandbox.clock.now().getTime()];

    // Act
    const error = await failure(invoked(calls.elbv2));

    // Assess: throttling backs off from a one-second base, doubling
    const { totalRetryDelay } = error.$metadata as { totalRetryDelay: number };
    expect(sandbox.clock.now().getTime() - sandboxStart).toBeGreaterThanOrEqual(totalRetryDelay);
    expect(totalRetryDelay).toBeGreaterThan(1000);
    expect(Date.now() - realStart).toBeLessThan(totalRetryDelay);
  });

  it("faults only calls made inside a function invocation, never a scenario's own", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(faults([{ service: "*", action: "*", throttle: 1 }]));

    // Act
    const output = await calls.elbv2();

    // Assess
    expect((output as { $metadata: { attempts: number } }).$metadata.attempts).toBe(1);
    expect(sandbox.faultsInjected).toEqual({ throttle: 0, serverError: 0, crash: 0 });
  });

  it("records a refused attempt at a change as CloudTrail does, with its error, and applies nothing", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(faults([{ service: "elbv2", action: "ModifyListener", failNext: 1 }]));
    const modify = new ModifyListenerCommand({
      ListenerArn: HTTP_LISTENER,
      DefaultActions: [redirectToHttps as Action],
    });

    // Act
    await invoked(() => clients.elbv2("us-west-2").send(modify));

    // Assess
    expect(sandbox.failures.map((f) => [f.action, f.errorCode])).toEqual([
      ["ModifyListener", "InternalFailure"],
    ]);
    expect(sandbox.mutations.map((m) => m.action)).toEqual(["ModifyListener"]);
  });
});

describe("crashAfter", () => {
  it("kills the invocation right after its call succeeded: the change stays, nothing after it runs", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(faults([], { crashAfter: [{ service: "elbv2", action: "ModifyListener", times: 1 }] }));
    const after: string[] = [];

    // Act
    const error = await failure(
      invoked(async () => {
        await clients
          .elbv2("us-west-2")
          .send(
            new ModifyListenerCommand({
              ListenerArn: HTTP_LISTENER,
              DefaultActions: [redirectToHttps as Action],
            }),
          )
          .catch(() => after.push("caught the dying call"));
        await calls.elbv2().then(
          () => after.push("a later call succeeded"),
          (e: Error) => after.push(`a later call failed: ${e.name}`),
        );
        return "a result nobody sees";
      }),
    );

    // Assess
    expect(error).toBeInstanceOf(FunctionCrashedError);
    expect(error.message).toMatch(/Runtime exited .* after elbv2:ModifyListener/);
    expect(sandbox.mutations.map((m) => m.action)).toEqual(["ModifyListener"]);
    expect(after).toEqual(["caught the dying call", "a later call failed: Runtime.ExitError"]);
    expect(sandbox.faultsInjected).toEqual({ throttle: 0, serverError: 0, crash: 1 });
  });

  it("crashes only as many invocations as `times` says", async () => {
    // Prepare
    const sandbox = plugged();
    sandbox.useFaults(
      faults([], { crashAfter: [{ service: "elbv2", action: "DescribeListeners", times: 2 }] }),
    );

    // Act
    const outcomes = [];
    for (const id of ["first", "second", "third"]) {
      outcomes.push(
        await invoked(calls.elbv2, id).then(
          () => "ok",
          (e: Error) => e.name,
        ),
      );
    }

    // Assess
    expect(outcomes).toEqual(["Runtime.ExitError", "Runtime.ExitError", "ok"]);
  });
});
