import { describe, expect, it } from "vitest";
import { metadata as albMetadata } from "../../functions/controls/alb-http-to-https-redirect/metadata.js";
import { metadata as cloudfrontMetadata } from "../../functions/controls/cloudfront-tls-to-origin/metadata.js";
import {
  buildNotification,
  type NotificationFacts,
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

  it("says what drifted, who changed it, when, the exact change, the outcome and the audit id", () => {
    // Prepare / Act
    const { message } = buildNotification(facts());

    // Assess
    expect(message).toContain("What drifted: listener ... (port 80): default action is forward");
    expect(message).toContain("Changed by: arn:aws:iam::111122223333:user/deploy-bot (IAMUser)");
    expect(message).toContain("Source IP: 203.0.113.24");
    expect(message).toContain("User agent: aws-cli/2.22.4");
    expect(message).toContain("API call: ModifyListener at 2026-03-01T09:00:05Z");
    expect(message).toContain(`Change made:\n  elbv2:ModifyListener {"ListenerArn":"${listener}"}`);
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
    expect(message).toContain("Change proposed:");
    expect(message).not.toContain("Change made:");
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
