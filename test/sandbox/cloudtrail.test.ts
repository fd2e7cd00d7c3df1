import { ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { SandboxAccount } from "../../local/sandbox/account.js";
import { SandboxClock } from "../../local/sandbox/clock.js";
import type { CloudTrailEnvelope, Mutation } from "../../local/sandbox/cloudtrail.js";
import { assumedRole, iamUser } from "../../local/sandbox/identity.js";
import { failure, fixture, HTTP_LISTENER, plugged, redirectToHttps, scenario } from "./helpers.js";

type Event = { detail: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The fixture with what differs per run (ids, keys, unique principal ids) left open. */
function expectedFrom(event: Event, overrides: Record<string, unknown>): unknown {
  return {
    ...event,
    id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    detail: {
      ...event.detail,
      requestID: expect.any(String),
      eventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...overrides,
    },
  };
}

async function replay(name: string, identity: Parameters<SandboxAccount["call"]>[3]) {
  const { state, steps, region } = scenario(name);
  const sandbox = new SandboxAccount({ state, region, clock: new SandboxClock("2026-03-01T09:00:05Z") });
  const echoed: CloudTrailEnvelope[] = [];
  sandbox.onMutation((mutation) => {
    echoed.push(sandbox.cloudTrailEvent(mutation));
  });
  const call = steps[0]?.call;
  if (!call) throw new Error(`${name} does not start with a call step`);
  await sandbox.call(call.service, call.action, call.input, identity);
  return { sandbox, echoed };
}

describe("CloudTrail echo", () => {
  it("writes an ELBv2 ModifyListener as CloudTrail does (lowercased first letters, listeners response)", async () => {
    // Prepare
    const expected = fixture<Event>("events/elbv2-modify-listener.json");
    const identity = iamUser("111122223333", "deploy-bot", {
      sourceIp: "203.0.113.24",
      userAgent: expected.detail.userAgent as unknown as string,
    });

    // Act
    const { echoed } = await replay("alb-redirect-restored", identity);

    // Assess
    expect(echoed).toHaveLength(1);
    expect(echoed[0]).toEqual(
      expectedFrom(expected, {
        userIdentity: {
          ...expected.detail.userIdentity,
          principalId: expect.stringMatching(/^AIDA[0-9A-Z]{17}$/),
          accessKeyId: expect.stringMatching(/^AKIA[0-9A-Z]{16}$/),
        },
      }),
    );
  });

  it("writes a CloudFront UpdateDistribution as CloudTrail does (hidden comment, eTag, us-east-1)", async () => {
    // Prepare
    const expected = fixture<Event>("events/cloudfront-update-distribution.json");
    const identity = assumedRole("arn:aws:iam::111122223333:role/ops-admin", "dave", {
      sourceIp: "203.0.113.24",
      userAgent: expected.detail.userAgent as unknown as string,
    });
    const userIdentity = expected.detail.userIdentity as {
      sessionContext: { sessionIssuer: Record<string, unknown> };
    };
    const issuer = userIdentity.sessionContext.sessionIssuer;

    // Act
    const { echoed } = await replay("cloudfront-origin-back-to-https", identity);

    // Assess
    expect(echoed[0]).toEqual(
      expectedFrom(expected, {
        userIdentity: {
          ...expected.detail.userIdentity,
          principalId: expect.stringMatching(/^AROA[0-9A-Z]{17}:dave$/),
          accessKeyId: expect.stringMatching(/^ASIA[0-9A-Z]{16}$/),
          sessionContext: {
            sessionIssuer: { ...issuer, principalId: expect.stringMatching(/^AROA[0-9A-Z]{17}$/) },
            webIdFederationData: {},
            attributes: { creationDate: "2026-03-01T09:00:05Z", mfaAuthenticated: "false" },
          },
        },
        responseElements: {
          ...expected.detail.responseElements,
          eTag: expect.stringMatching(/^E[0-9A-Z]{13}$/),
        },
      }),
    );
  });

  it("names the remediator role as session issuer when the pipeline makes the change", async () => {
    // Prepare
    const sandbox = plugged();
    const mutations: Mutation[] = [];
    sandbox.onMutation((m) => {
      mutations.push(m);
    });

    // Act
    await clients
      .elbv2("us-west-2")
      .send(
        new ModifyListenerCommand({ ListenerArn: HTTP_LISTENER, DefaultActions: [redirectToHttps] as never }),
      );
    await sandbox.settle();

    // Assess
    expect(mutations).toEqual(sandbox.mutations);
    const event = sandbox.cloudTrailEvent(mutations[0] as Mutation);
    expect(event).toMatchObject({
      source: "aws.elasticloadbalancing",
      region: "us-west-2",
      time: "2026-03-01T09:00:00Z",
      detail: {
        eventName: "ModifyListener",
        awsRegion: "us-west-2",
        userIdentity: {
          type: "AssumedRole",
          arn: "arn:aws:sts::111122223333:assumed-role/driftwarden-remediator/driftwarden-remediator",
          sessionContext: {
            sessionIssuer: {
              type: "Role",
              arn: "arn:aws:iam::111122223333:role/driftwarden-remediator",
              accountId: "111122223333",
              userName: "driftwarden-remediator",
            },
          },
        },
        requestParameters: {
          listenerArn: HTTP_LISTENER,
          defaultActions: [
            { type: "redirect", redirectConfig: { protocol: "HTTPS", statusCode: "HTTP_301" } },
          ],
        },
        responseElements: { listeners: [{ listenerArn: HTTP_LISTENER, port: 80, protocol: "HTTP" }] },
      },
    });
    expect(event.detail.requestID).toBe(mutations[0]?.requestId);
  });

  it("records no mutation and echoes nothing for reads and refused calls", async () => {
    // Prepare
    const sandbox = plugged();
    const echoed: unknown[] = [];
    sandbox.onMutation((m) => {
      echoed.push(m);
    });

    // Act
    await sandbox.call("elbv2", "DescribeListeners", { ListenerArns: [HTTP_LISTENER] }, sandbox.remediator());
    await sandbox
      .call(
        "elbv2",
        "ModifyListener",
        { ListenerArn: HTTP_LISTENER, DefaultActions: [] },
        sandbox.remediator(),
      )
      .catch(() => undefined);

    // Assess
    expect(sandbox.mutations).toEqual([]);
    expect(echoed).toEqual([]);
  });
});

describe("refused changes in CloudTrail", () => {
  it("records a refused mutating call with its error and no response, as CloudTrail does", async () => {
    // Prepare
    const sandbox = plugged();
    const seen: unknown[] = [];
    sandbox.onFailedCall((failure) => seen.push(sandbox.failedCallEvent(failure)));
    sandbox.throttle({ service: "elbv2", action: "ModifyListener", times: 1 });

    // Act
    const error = await failure(
      sandbox.call(
        "elbv2",
        "ModifyListener",
        { ListenerArn: HTTP_LISTENER, DefaultActions: [redirectToHttps] },
        sandbox.remediator(),
      ),
    );

    // Assess
    expect(error.name).toBe("Throttling");
    expect(sandbox.mutations).toHaveLength(0);
    expect(seen).toMatchObject([
      {
        "detail-type": "AWS API Call via CloudTrail",
        detail: {
          eventName: "ModifyListener",
          errorCode: "Throttling",
          responseElements: null,
          requestParameters: { listenerArn: HTTP_LISTENER },
          userIdentity: { sessionContext: { sessionIssuer: { arn: sandbox.remediatorRoleArn } } },
        },
      },
    ]);
  });

  it("records nothing for a refused read", async () => {
    // Prepare
    const sandbox = plugged();
    const seen: unknown[] = [];
    sandbox.onFailedCall((failed) => seen.push(failed));

    // Act
    await failure(
      sandbox.call(
        "elbv2",
        "DescribeListeners",
        { ListenerArns: [`${HTTP_LISTENER}0`] },
        sandbox.remediator(),
      ),
    );

    // Assess
    expect(seen).toEqual([]);
  });
});
