import { describe, expect, it } from "vitest";
import { metadata as albMetadata } from "../../functions/controls/alb-http-to-https-redirect/metadata.js";
import { metadata as cloudfrontMetadata } from "../../functions/controls/cloudfront-tls-to-origin/metadata.js";
import {
  buildNotification,
  type NotificationFacts,
  resourceLabel,
  sanitizeSubject,
} from "../../functions/notify/message.js";
import { outcomes } from "../../functions/workflow/types.js";

const listener =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:listener/app/shop-prod/0f9e8d7c6b5a4930/8c7b6a5948372615";

function facts(overrides: Partial<NotificationFacts> = {}): NotificationFacts {
  return {
    outcome: "fixed",
    control: albMetadata,
    input: {
      control: albMetadata.id,
      resource: listener,
      region: "us-west-2",
      account: "111122223333",
      trigger: "cloudtrail",
      actor: {
        arn: "arn:aws:iam::111122223333:user/deploy-bot",
        type: "IAMUser",
        sourceIp: "203.0.113.24",
        userAgent: "aws-cli/2.22.4",
        eventName: "ModifyListener",
        eventTime: "2026-03-01T09:00:05Z",
      },
      eventId: "5e3a5cd0-005d-4033-8027-00000004cb4e",
      eventTime: "2026-03-01T09:00:05Z",
      driftDigest: "e2f37400abcb5c92",
    },
    finding: "listener ... (port 80): default action is forward",
    changes: [{ service: "elbv2", action: "ModifyListener", input: { ListenerArn: listener } }],
    changesMade: true,
    riskReasons: [],
    auditId: "alb-http-to-https-redirect-3cc65977ad66-e2f37400abcb5c92",
    executionId: "arn:aws:states:us-west-2:111122223333:execution:driftwarden-remediation:x",
    ...overrides,
  };
}

describe("notifications", () => {
  it.each(outcomes.map((outcome) => [outcome]))("a %s subject follows SNS's rules", (outcome) => {
    // Prepare / Act
    const { subject } = buildNotification(facts({ outcome, control: cloudfrontMetadata }));

    // Assess
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject).toContain("[driftwarden]");
  });

  it.each([
    ["line breaks", "a\nb\r\nc", "a b c"],
    ["non-ASCII", "Überwachung → café", "Uberwachung cafe"],
    ["overlong", "x".repeat(150), `${"x".repeat(96)}...`],
    ["empty", "\n\n", "driftwarden notification"],
  ])("sanitizes %s", (_label, input, expected) => {
    expect(sanitizeSubject(input)).toBe(expected);
  });

  it.each([
    [
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/0f9e8d7c6b5a4930/8c7b6a5948372615",
      "listener shop/8c7b6a5948372615",
    ],
    [
      "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/0f9e8d7c6b5a4930",
      "load balancer shop",
    ],
    ["arn:aws:cloudfront::111122223333:distribution/E1QSDF4EXAMPLE", "distribution E1QSDF4EXAMPLE"],
  ])("names %s as %s in subjects and first lines", (arn, label) => {
    expect(resourceLabel(arn)).toBe(label);
  });

  it("says what drifted, who changed it, when, the exact change, the outcome and the audit id", () => {
    // Prepare / Act
    const { message } = buildNotification(facts());

    // Assess
    expect(message).toContain("What drifted: listener ... (port 80): default action is forward");
    expect(message).toContain('Changed by: "arn:aws:iam::111122223333:user/deploy-bot" (IAMUser)');
    expect(message).toContain('Source IP: "203.0.113.24"');
    expect(message).toContain('User agent: "aws-cli/2.22.4"');
    expect(message).toContain("API call: ModifyListener at Sun 1 Mar 09:00 UTC");
    expect(message).toContain(`Exact change made:\n  elbv2:ModifyListener {"ListenerArn":"${listener}"}`);
    expect(message).toContain("Outcome: fixed");
    expect(message).toContain("Audit id: alb-http-to-https-redirect-3cc65977ad66-e2f37400abcb5c92");
  });

  it("carries the attributes subscribers filter on", () => {
    // Prepare / Act
    const { attributes } = buildNotification(facts({ outcome: "awaiting-approval" }));

    // Assess
    expect(attributes).toEqual({
      severity: "HIGH",
      control: "alb-http-to-https-redirect",
      outcome: "awaiting-approval",
      account: "111122223333",
      region: "us-west-2",
    });
  });

  it("proposes (does not claim) a change that was not made, and says why a person must decide", () => {
    // Prepare / Act
    const { message } = buildNotification(
      facts({ outcome: "awaiting-approval", changesMade: false, riskReasons: ["no HTTPS listener"] }),
    );

    // Assess
    expect(message).toContain("Exact change proposed:");
    expect(message).not.toContain("Exact change made:");
    expect(message).toContain(
      "Change: ModifyListener on listener shop-prod/8c7b6a5948372615 (proposed, not made",
    );
    expect(message).toContain("Why a person must decide:\n  - no HTTPS listener");
  });

  it("names an unknown actor when the sweep found the drift", () => {
    // Prepare / Act
    const base = facts();
    const { message } = buildNotification({
      ...base,
      input: { ...base.input, actor: null, trigger: "sweep" },
    });

    // Assess
    expect(message).toContain("Changed by: unknown");
  });
});

const approveUrl = "https://abc.lambda-url.us-west-2.on.aws/?id=a1&decision=approve&expires=1&sig=x";
const rejectUrl = "https://abc.lambda-url.us-west-2.on.aws/?id=a1&decision=reject&expires=1&sig=y";
const approval = {
  id: "a1",
  expiresAt: "2026-03-02T09:00:05.123Z",
  approveUrl,
  rejectUrl,
  cli: { table: "driftwarden-production-ApprovalsTable-abc", region: "eu-west-1" },
};

describe("notifications read on a phone", () => {
  it.each([
    ["fixed", "FIXED: nothing to do: driftwarden fixed listener shop-prod/8c7b6a5948372615"],
    [
      "awaiting-approval",
      "APPROVAL NEEDED: approve or reject the fix for listener shop-prod/8c7b6a5948372615",
    ],
    ["blocked", "BLOCKED: fix listener shop-prod/8c7b6a5948372615 by hand"],
    ["failed", "FAILED: check listener shop-prod/8c7b6a5948372615 now"],
    ["rejected", "REJECTED: listener shop-prod/8c7b6a5948372615 still drifts"],
  ] as const)("a %s email starts with what to do and the resource's short name", (outcome, first) => {
    // Prepare / Act
    const { message } = buildNotification(facts({ outcome, changesMade: outcome === "fixed" }));

    // Assess
    expect(message.split("\n")[0]).toContain(first);
  });

  it("puts why and the change one line each before any ARN or JSON", () => {
    // Prepare / Act
    const lines = buildNotification(facts()).message.split("\n");
    const why = lines.findIndex((line) => line.startsWith("Why: "));
    const change = lines.findIndex((line) => line.startsWith("Change: "));
    const firstArn = lines.findIndex((line) => line.includes("arn:aws:"));
    const firstJson = lines.findIndex((line) => line.includes("{"));

    // Assess
    expect(why).toBe(1);
    expect(change).toBe(2);
    expect(firstArn).toBeGreaterThan(change);
    expect(firstJson).toBeGreaterThan(change);
  });

  it("writes times for people, with their zone and without milliseconds", () => {
    // Prepare / Act
    const { message } = buildNotification(
      facts({ outcome: "awaiting-approval", changesMade: false, approval }),
    );

    // Assess
    expect(message).toContain("Decide by Mon 2 Mar 09:00 UTC.");
    expect(message).toContain("Reported at: Sun 1 Mar 09:00 UTC");
    expect(message).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it("shows a time in another zone when the deployment names one", () => {
    // Prepare / Act
    const { message } = buildNotification(facts({ timeZone: "Europe/Berlin" }));

    // Assess
    expect(message).toContain("Reported at: Sun 1 Mar 10:00 CET");
  });
});

describe("approval emails", () => {
  it("put the links first, in a section no outside text precedes, naming where driftwarden's links start", () => {
    // Prepare
    const base = facts();
    const injected = {
      ...base.input,
      actor: {
        ...(base.input.actor as NonNullable<typeof base.input.actor>),
        userAgent: "Approve: https://evil.example/approve?id=a1\nReject: https://evil.example/x",
      },
    };

    // Act
    const { message } = buildNotification(
      facts({ outcome: "awaiting-approval", changesMade: false, approval, input: injected }),
    );
    const lines = message.split("\n");

    // Assess
    expect(lines.filter((line) => line.startsWith("Approve: "))).toEqual([`Approve: ${approveUrl}`]);
    expect(lines.filter((line) => line.startsWith("Reject: "))).toEqual([`Reject: ${rejectUrl}`]);
    expect(lines.indexOf(`Approve: ${approveUrl}`)).toBeLessThan(
      lines.findIndex((line) => line.startsWith("User agent: ")),
    );
    expect(message).toContain(
      "driftwarden's links always start with https://abc.lambda-url.us-west-2.on.aws/;",
    );
    expect(message).toContain(
      'User agent: "Approve: hxxps://evil[.]example/approve?id=a1 Reject: hxxps://evil[.]example/x"',
    );
    expect(message).not.toContain("https://evil");
  });

  it("name the variables the CLI needs next to the commands", () => {
    // Prepare / Act
    const { message } = buildNotification(
      facts({ outcome: "awaiting-approval", changesMade: false, approval }),
    );

    // Assess
    expect(message).toContain(
      "DRIFTWARDEN_APPROVALS_TABLE=driftwarden-production-ApprovalsTable-abc AWS_REGION=eu-west-1 npx driftwarden approve a1",
    );
    expect(message).toContain(
      'DRIFTWARDEN_APPROVALS_TABLE=driftwarden-production-ApprovalsTable-abc AWS_REGION=eu-west-1 npx driftwarden reject a1 --reason "..."',
    );
    expect(message).not.toContain("DRIFTWARDEN_LOCAL_ENDPOINT");
  });

  it("say that local links open the page the demo serves", () => {
    // Prepare / Act
    const { message } = buildNotification(
      facts({
        outcome: "awaiting-approval",
        changesMade: false,
        approval: { ...approval, approveUrl: "http://127.0.0.1:4780/?id=a1&sig=x", rejectUrl: undefined },
      }),
    );

    // Assess
    expect(message).toContain("driftwarden's links always start with http://127.0.0.1:4780/;");
    expect(message).toContain("the local approval page that `driftwarden demo` (npm start) serves");
    expect(message).toContain("also set DRIFTWARDEN_LOCAL_ENDPOINT");
  });
});

describe("decisions", () => {
  it.each([
    [
      "a name typed on the approval page",
      { kind: "approved", by: "alice", byVerified: false, channel: "web" },
      'Decision: approved by "alice" (typed on the approval page, unverified)',
    ],
    [
      "a CLI decision",
      {
        kind: "rejected",
        by: "arn:aws:sts::111122223333:assumed-role/OnCall/dana",
        byVerified: true,
        channel: "cli",
        reason: "freeze\nApprove: https://evil.example/",
      },
      'Decision: rejected by "arn:aws:sts::111122223333:assumed-role/OnCall/dana" (verified AWS identity), reason "freeze Approve: hxxps://evil[.]example/"',
    ],
  ])("show %s as what it is", (_label, decision, expected) => {
    // Prepare / Act
    const { message } = buildNotification(facts({ outcome: "rejected", changesMade: false, decision }));

    // Assess
    expect(message).toContain(expected);
  });
});

describe("where the drift comes from", () => {
  it.each([
    {
      name: "an Elastic Beanstalk environment, with its option-settings fix",
      owner: {
        kind: "elastic-beanstalk",
        name: "shop-prod",
        evidence: "tag elasticbeanstalk:environment-name",
      },
      shows: [
        'Owner: Elastic Beanstalk environment "shop-prod" (from tag elasticbeanstalk:environment-name)',
        "AWSEBV2LoadBalancerListener:",
      ],
    },
    {
      name: "a Terraform change, with the Terraform argument",
      owner: undefined,
      agent:
        "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.84.0",
      shows: ["Owner: Terraform (from a Terraform user agent)", 'resource "aws_lb_listener" "http"'],
    },
  ] as const)("names $name", ({ owner, shows, ...rest }) => {
    // Prepare
    const base = facts();
    const input =
      "agent" in rest
        ? {
            ...base.input,
            actor: { ...(base.input.actor as NonNullable<typeof base.input.actor>), userAgent: rest.agent },
          }
        : base.input;

    // Act
    const { message } = buildNotification(facts({ outcome: "suspended", changesMade: false, input, owner }));

    // Assess
    for (const text of shows) expect(message).toContain(text);
    expect(message.split("\n")[0]).toMatch(/keeps reverting listener shop-prod\/8c7b6a5948372615/);
  });

  it("says nothing of an owner for a person at the console", () => {
    // Prepare / Act
    const { message } = buildNotification(facts());

    // Assess
    expect(message).not.toContain("Owner:");
  });
});
