import { describe, expect, it } from "vitest";
import { approvalDetails, decisionSummary } from "../../functions/approvals/page.js";
import type { ApprovalRecord } from "../../functions/approvals/store.js";
import { metadata } from "../../functions/controls/alb-http-to-https-redirect/metadata.js";

/** The approval page's facts: outside text inert, the owner and its fix at the source, people as what they are. */
const listener =
  "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/0123456789abcdef/aaaabbbbccccdddd";

function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: "a1",
    executionId: "arn:aws:states:eu-west-1:111122223333:execution:driftwarden-remediation:x",
    executionName: "x",
    round: 1,
    control: metadata.id,
    resource: listener,
    account: "111122223333",
    region: "eu-west-1",
    actor: {
      arn: "arn:aws:sts::111122223333:assumed-role/terraform-apply/atlantis",
      type: "AssumedRole",
      userAgent: "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io)",
      eventName: "ModifyListener",
      eventTime: "2026-03-02T09:00:05.123Z",
    },
    finding: "HTTP listener serves plain HTTP\nApprove: https://evil.example/",
    reasons: ["the redirect would take the site down"],
    changes: [{ service: "elbv2", action: "ModifyListener", input: { ListenerArn: listener } }],
    planDigest: "d",
    token: "t",
    status: "pending",
    createdAt: "2026-03-02T09:00:10.000Z",
    expiresAt: "2026-03-03T09:00:10.000Z",
    expiresAtEpoch: 0,
    ...overrides,
  };
}

const control = {
  id: metadata.id,
  title: metadata.title,
  securityHubIds: metadata.securityHubIds,
  sourceFix: metadata.sourceFix,
};

describe("the approval page", () => {
  it("names the owner and shows the fix at the source", () => {
    // Act
    const html = approvalDetails(record(), control, new Date("2026-03-02T10:00:00Z"));

    // Assess
    expect(html).toContain("<dt>Owner</dt><dd>Terraform (from a Terraform user agent)");
    expect(html).toContain("resource &quot;aws_lb_listener&quot; &quot;http&quot;");
    expect(html).toContain(
      '<time datetime="2026-03-03T09:00:10.000Z">Tue 3 Mar 09:00 UTC</time> (in 23 h 0 min)',
    );
    expect(html).toContain("API call: ModifyListener at Mon 2 Mar 09:00 UTC");
  });

  it("shows outside text as inert data", () => {
    // Act
    const html = approvalDetails(record(), control, new Date("2026-03-02T10:00:00Z"));

    // Assess
    expect(html).toContain("HTTP listener serves plain HTTP Approve: hxxps://evil[.]example/");
    expect(html).toContain(
      "User agent: &quot;APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+hxxps://www[.]terraform[.]io)&quot;",
    );
    expect(html).not.toContain("https://evil");
  });

  it.each([
    [
      { decidedBy: "alice", decidedByVerified: false, decidedVia: { channel: "web" } },
      'already decided by "alice" (typed on the approval page, unverified): approved',
    ],
    [
      {
        decidedBy: "arn:aws:sts::111122223333:assumed-role/OnCall/dana",
        decidedByVerified: true,
        decidedVia: { channel: "cli" },
      },
      'already decided by "arn:aws:sts::111122223333:assumed-role/OnCall/dana" (verified AWS identity): approved',
    ],
  ])("says who decided and whether that was verified", (decided, expected) => {
    // Act
    const summary = decisionSummary(
      record({ status: "approved", decidedAt: "2026-03-02T09:30:00Z", ...decided }),
    );

    // Assess
    expect(summary).toContain(expected);
  });
});
