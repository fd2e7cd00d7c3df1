import { GetDistributionCommand } from "@aws-sdk/client-cloudfront";
import { DescribeListenersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clients, maxAttempts } from "../../functions/lib/aws.js";
import { ConfigurationError } from "../../functions/lib/errors.js";
import { assumedRole } from "../../local/sandbox/identity.js";
import { DISTRIBUTION, failure, HTTP_LISTENER, plugged } from "./helpers.js";

describe("the SDK plug-in", () => {
  it("answers STS GetCallerIdentity with the plugged identity", async () => {
    // Prepare
    plugged({}, () => assumedRole("arn:aws:iam::111122223333:role/ops/Admin", "carol"));

    // Act
    const identity = await clients.sts("eu-west-1").send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({
      Account: "111122223333",
      Arn: "arn:aws:sts::111122223333:assumed-role/Admin/carol",
      UserId: expect.stringMatching(/^AROA[0-9A-Z]{17}:carol$/),
      $metadata: { httpStatusCode: 200, requestId: expect.any(String) },
    });
  });

  it("gives plugged clients static credentials, so the SDK never looks for real ones", async () => {
    // Prepare
    plugged();

    // Act
    const credentials = await clients.elbv2("us-west-2").config.credentials();

    // Assess
    expect(credentials.accessKeyId).toBe("AKIASANDBOXEXAMPLE00");
  });

  it.each([
    [
      "ELBv2",
      () => clients.elbv2("us-west-2").send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
    ],
    ["CloudFront", () => clients.cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION }))],
  ])("makes no request over the network (%s)", async (_case, send) => {
    // Prepare
    plugged();
    const realFetch = globalThis.fetch;
    let requests = 0;
    globalThis.fetch = (() => {
      requests++;
      throw new Error("network used");
    }) as typeof fetch;

    // Act
    try {
      await send();
    } finally {
      globalThis.fetch = realFetch;
    }

    // Assess
    expect(requests).toBe(0);
  });

  it("hands services it does not implement to a registered handler", async () => {
    // Prepare
    const sandbox = plugged();
    const seen: unknown[] = [];
    sandbox.registerService("sfn", async (action, input, { region, identity }) => {
      seen.push({ action, input, region, identity: identity.arn });
      return {
        executionArn: "arn:aws:states:eu-west-1:111122223333:execution:fix:one",
        startDate: new Date(0),
      };
    });

    // Act
    const started = await clients.sfn("eu-west-1").send(
      new StartExecutionCommand({
        stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:fix",
        name: "one",
      }),
    );

    // Assess
    expect(started.executionArn).toBe("arn:aws:states:eu-west-1:111122223333:execution:fix:one");
    expect(seen).toEqual([
      {
        action: "StartExecution",
        input: { stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:fix", name: "one" },
        region: "eu-west-1",
        identity: "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/driftwarden-remediator",
      },
    ]);
  });

  it("refuses a service nobody registered instead of calling AWS", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      clients.sfn("eu-west-1").send(
        new StartExecutionCommand({
          stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:fix",
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain("sfn:StartExecution");
  });
});

describe("throttling", () => {
  it.each([
    [
      "elbv2",
      "DescribeListeners",
      () => clients.elbv2("us-west-2").send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
    ],
    [
      "cloudfront",
      "GetDistribution",
      () => clients.cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION })),
    ],
  ] as const)(
    "%s:%s: the SDK retries throttled attempts itself, as against AWS",
    async (service, action, send) => {
      // Prepare
      const sandbox = plugged();
      sandbox.throttle({ service, action, times: 2 });

      // Act
      const output = await send();

      // Assess
      expect(output.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 3 });
      expect(output.$metadata.totalRetryDelay).toBeGreaterThan(0);
    },
  );

  it.each([
    [
      "elbv2",
      "DescribeListeners",
      () => clients.elbv2("us-west-2").send(new DescribeListenersCommand({ ListenerArns: [HTTP_LISTENER] })),
    ],
    [
      "cloudfront",
      "GetDistribution",
      () => clients.cloudfront().send(new GetDistributionCommand({ Id: DISTRIBUTION })),
    ],
  ] as const)(
    "%s:%s: throttled beyond the SDK's attempts, the caller gets Throttling",
    async (service, action, send) => {
      // Prepare
      const sandbox = plugged();
      sandbox.throttle({ service, action, times: maxAttempts });
      const before = sandbox.clock.now().getTime();

      // Act
      const error = await failure(send());

      // Assess
      expect(error.name).toBe("Throttling");
      expect(error.$fault).toBe("client");
      expect(error.$retryable).toEqual({ throttling: true });
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: maxAttempts });
      // The backoff (and the rate limiter's token-bucket waits) passed on the sandbox clock, not in real time.
      const { totalRetryDelay } = error.$metadata as { totalRetryDelay: number };
      expect(totalRetryDelay).toBeGreaterThan(1000);
      expect(sandbox.clock.now().getTime() - before).toBeGreaterThanOrEqual(totalRetryDelay);
    },
  );
});

describe("the origin probe", () => {
  it.each([
    ["api-origin.example.org", "ok"],
    ["old.example.org", "tls-too-old"],
    ["unlisted.example.org", "unreachable"],
  ])("reports what the state says about %s", async (host, status) => {
    // Prepare
    const sandbox = plugged({
      state: { origins: { "api-origin.example.org": "ok", "old.example.org": "tls-too-old" } },
    });

    // Act
    const result = await sandbox.probe({ host, port: 443 });

    // Assess
    expect(result.status).toBe(status);
    expect(result.detail).toContain(`${host}:443`);
    expect(sandbox.probes).toEqual([{ host, port: 443, status }]);
  });
});
