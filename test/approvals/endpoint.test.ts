import { DisableKeyCommand } from "@aws-sdk/client-kms";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleApprovalRequest } from "../../functions/approvals/endpoint.js";
import { signLink } from "../../functions/approvals/links.js";
import { clients } from "../../functions/lib/aws.js";
import { functionUrlEvent } from "../../local/approval-server.js";
import {
  browserUserAgent,
  formFields,
  get,
  type Harness,
  type Json,
  listenerArn,
  openAndSubmit,
  outcomes,
  post,
  settleApprovals,
  startHarness,
  withParam,
} from "./support.js";

let harness: Harness;
const canaryGroup =
  "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/intranet-canary/0a1b2c3d4e5f6a7b";

afterEach(async () => {
  await harness?.close();
});

describe("approval request email", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it("carries signed approve and reject links to the endpoint, and never the task token", async () => {
    // Prepare
    const { approval, email, approveUrl, rejectUrl, server, runtime } = harness;

    // Act
    const links = [approveUrl, rejectUrl].map((url) => new URL(url));

    // Assess
    expect(approval.token.length).toBeGreaterThan(10);
    for (const [link, decision] of [
      [links[0], "approve"],
      [links[1], "reject"],
    ] as const) {
      expect(`${link?.origin}/`).toBe(server.url);
      expect(link?.searchParams.get("id")).toBe(approval.id);
      expect(link?.searchParams.get("decision")).toBe(decision);
      expect(Number(link?.searchParams.get("expires")) * 1000).toBe(Date.parse(approval.expiresAt));
      expect(link?.searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    const everything = JSON.stringify(runtime.sandbox.published) + approveUrl + rejectUrl;
    expect(everything).not.toContain(approval.token);
    expect(everything).not.toContain(Buffer.from(approval.token, "base64url").toString("utf8"));
    expect(links[0]?.searchParams.get("sig")).toBe(links[1]?.searchParams.get("sig"));
    expect(email.message).toContain(`Approval id: ${approval.id}`);
  });
});

describe("GET: the approval page", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it("shows the request and a form, with security headers and no script", async () => {
    // Act
    const page = await get(harness.approveUrl);

    // Assess
    expect(page.status).toBe(200);
    expect(Object.fromEntries(page.headers)).toMatchObject({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      "x-frame-options": "DENY",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    });
    expect(page.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.html).not.toMatch(/<script/i);
    for (const fact of [
      "alb-http-to-https-redirect",
      "ELB.1",
      harness.approval.resource.replace(/\//g, "/"),
      "arn:aws:sts::111122223333:assumed-role/Admin/carol",
      "Source IP: &quot;203.0.113.24&quot;",
      "User agent: &quot;AWS Internal&quot;",
      "API call: CreateListener",
      "no HTTPS listener",
      "elbv2:ModifyListener",
      "&quot;Protocol&quot;: &quot;HTTPS&quot;",
      harness.approval.expiresAt,
      '<form method="post">',
      'name="by" required',
    ]) {
      expect(page.html).toContain(fact);
    }
    expect(formFields(page.html)).toMatchObject({ id: harness.approval.id, decision: "approve" });
    expect(formFields(page.html).csrf).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
  });

  it("opens the other decision from the same link: its MAC covers the approval, not the choice", async () => {
    // Act
    const page = await get(withParam(harness.approveUrl, "decision", "reject"));

    // Assess
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Reject this fix?</h1>");
    expect(formFields(page.html)).toMatchObject({ id: harness.approval.id, decision: "reject" });
    expect((await harness.record())?.status).toBe("pending");
  });

  it("never decides, however often it is opened (mail scanners follow links)", async () => {
    // Act
    for (const url of [harness.approveUrl, harness.rejectUrl, harness.approveUrl]) await get(url);
    const head = await get(harness.rejectUrl, "HEAD");
    await harness.runtime.settle();

    // Assess
    expect(head.status).toBe(200);
    expect(head.html).toBe("");
    expect((await harness.record())?.status).toBe("pending");
    expect(outcomes(await harness.runtime.report("get"))).toEqual(["awaiting-approval"]);
    expect(harness.runtime.sfn.pendingTokens()).toHaveLength(1);
  });

  it("escapes what the event's author wrote (user agent, source)", async () => {
    // Prepare
    await harness.close();
    harness = await startHarness({
      event: (event) => {
        const detail = event.detail as Json;
        return { ...event, detail: { ...detail, userAgent: '<script>alert("x")</script><b onmouseover=1>' } };
      },
    });

    // Act
    const page = await get(harness.approveUrl);

    // Assess
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(/<script|<b onmouseover/i);
    // Quoted as data (inner quotes escaped), then HTML-escaped.
    expect(page.html).toContain(
      "User agent: &quot;&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;&lt;b onmouseover=1&gt;&quot;",
    );
  });
});

describe("links that do not open the page", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  const forged = "A".repeat(43);
  it.each([
    { name: "forged signature", change: (url: string) => withParam(url, "sig", forged), status: 403 },
    {
      name: "approve link with a later expiry",
      change: (url: string) =>
        withParam(url, "expires", String(Number(new URL(url).searchParams.get("expires")) + 86_400)),
      status: 403,
    },
    {
      name: "expiry spelled differently (same number)",
      change: (url: string) => withParam(url, "expires", `${new URL(url).searchParams.get("expires")}.0`),
      status: 403,
    },
    { name: "missing signature", change: (url: string) => withParam(url, "sig", ""), status: 400 },
    {
      name: "unknown id, correctly signed",
      change: async (url: string) => {
        const expires = Number(new URL(url).searchParams.get("expires"));
        const { approvalKeyArn, region } = harness.runtime.resources;
        const sig = await signLink(
          { keyArn: approvalKeyArn as string, region },
          "0123456789abcdef01234567",
          expires,
        );
        return withParam(withParam(url, "id", "0123456789abcdef01234567"), "sig", sig);
      },
      status: 404,
    },
  ])("$name: $status on GET and POST, nothing changes", async ({ change, status }) => {
    // Prepare
    const page = await get(harness.approveUrl);
    const url = await change(harness.approveUrl);
    const tampered = Object.fromEntries(new URL(url).searchParams);

    // Act
    const shown = await get(url);
    const submitted = await post(url, { ...formFields(page.html), ...tampered, by: "mallory" });
    await harness.runtime.settle();

    // Assess
    expect(shown.status).toBe(status);
    expect(submitted.status).toBe(status);
    expect(shown.html).toContain("Nothing was changed");
    expect(shown.html).not.toContain('<form method="post">');
    expect((await harness.record())?.status).toBe("pending");
    expect(harness.runtime.sfn.pendingTokens()).toHaveLength(1);
  });
});

describe("POST: deciding", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it("approves: records the name, source IP and user agent; the workflow applies the fix", async () => {
    // Act
    const result = await openAndSubmit(harness.approveUrl, { by: "  dana@example.com " });
    await harness.runtime.settle();

    // Assess
    expect(result.status).toBe(200);
    expect(result.html).toContain(
      "Approved by &quot;dana@example[.]com&quot; (typed on the approval page, unverified)",
    );
    const record = await harness.record();
    expect(record).toMatchObject({
      status: "approved",
      decidedBy: "dana@example.com",
      decidedByVerified: false,
      decidedAt: "2026-03-01T09:00:10.000Z",
      decidedVia: { channel: "web", sourceIp: "127.0.0.1", userAgent: browserUserAgent },
    });
    const report = await harness.runtime.report("approved");
    expect(outcomes(report)).toEqual(["fixed"]);
    expect(report.calls.map((c) => c.action)).toEqual(["ModifyListener"]);
    expect(report.audit.find((a) => a.outcome === "fixed")?.decision).toMatchObject({
      kind: "approved",
      by: "dana@example.com",
    });
  });

  it("rejects with the reason given; nothing is changed", async () => {
    // Act
    const result = await openAndSubmit(harness.rejectUrl, {
      by: "erin",
      reason: "intranet moves to HTTPS next week",
    });
    await harness.runtime.settle();

    // Assess
    expect(result.status).toBe(200);
    expect(await harness.record()).toMatchObject({
      status: "rejected",
      decidedBy: "erin",
      reason: "intranet moves to HTTPS next week",
    });
    const report = await harness.runtime.report("rejected");
    expect(outcomes(report)).toEqual(["rejected"]);
    expect(report.calls).toEqual([]);
  });

  it("a replayed POST shows who already decided and changes nothing", async () => {
    // Prepare
    const page = await get(harness.approveUrl);
    const fields = { ...formFields(page.html), by: "dana@example.com" };
    await post(harness.approveUrl, fields);
    await harness.runtime.settle();
    const callsBefore = (await harness.runtime.report("first")).calls.length;

    // Act
    const replayed = await post(harness.approveUrl, { ...fields, by: "mallory" });
    const reopened = await get(harness.rejectUrl);
    await harness.runtime.settle();

    // Assess
    expect(replayed.status).toBe(409);
    const decider = "&quot;dana@example[.]com&quot; (typed on the approval page, unverified)";
    expect(replayed.html).toContain(`already decided by ${decider}: approved`);
    expect(reopened.html).toContain(`already decided by ${decider}`);
    expect(reopened.status).toBe(409);
    expect(reopened.html).not.toContain('<form method="post">');
    expect(await harness.record()).toMatchObject({ status: "approved", decidedBy: "dana@example.com" });
    const report = await harness.runtime.report("replayed");
    expect(report.calls).toHaveLength(callsBefore);
    expect(outcomes(report)).toEqual(["fixed"]);
  });

  it.each([
    { name: "no CSRF token", fields: (f: Record<string, string>) => ({ ...f, csrf: "" }) },
    {
      name: "a made-up CSRF token",
      fields: (f: Record<string, string>) => ({ ...f, csrf: `${f.csrf?.split(".")[0]}.${"B".repeat(43)}` }),
    },
    {
      name: "the reject page's token on the approve form",
      fields: (f: Record<string, string>, other: Record<string, string>) => ({
        ...f,
        csrf: other.csrf ?? "",
      }),
    },
    {
      name: "a token issued in the future",
      fields: (f: Record<string, string>) => ({
        ...f,
        csrf: `${Number(f.csrf?.split(".")[0]) + 3600}.${f.csrf?.split(".")[1]}`,
      }),
    },
  ])("refuses $name with 403 and decides nothing", async ({ fields }) => {
    // Prepare
    const approvePage = formFields((await get(harness.approveUrl)).html);
    const rejectPage = formFields((await get(harness.rejectUrl)).html);

    // Act
    const result = await post(harness.approveUrl, {
      ...fields(approvePage, rejectPage),
      by: "dana@example.com",
    });
    await harness.runtime.settle();

    // Assess
    expect(result.status).toBe(403);
    expect(result.html).toContain("Nothing was changed");
    expect((await harness.record())?.status).toBe("pending");
  });

  it("refuses a form older than the CSRF token's life", async () => {
    // Prepare
    const page = await get(harness.approveUrl);
    await harness.runtime.advance("PT16M");

    // Act
    const result = await post(harness.approveUrl, { ...formFields(page.html), by: "dana@example.com" });

    // Assess
    expect(result.status).toBe(403);
    expect(result.html).toContain("more than 15 minutes ago");
    expect((await harness.record())?.status).toBe("pending");
  });

  it("asks again for the name when it is missing", async () => {
    // Act
    const result = await openAndSubmit(harness.approveUrl, { by: "   " });

    // Assess
    expect(result.status).toBe(400);
    expect(result.html).toContain("Enter your name or email");
    expect(formFields(result.html).csrf).toBeTruthy();
    expect((await harness.record())?.status).toBe("pending");
  });

  it.each([
    { name: "a JSON body", contentType: "application/json", body: "{}", status: 415 },
    { name: "a PUT", method: "PUT", status: 405 },
  ])("refuses $name ($status)", async ({ contentType, body, method, status }) => {
    // Act
    const response = await fetch(harness.approveUrl, {
      method: method ?? "POST",
      headers: contentType ? { "content-type": contentType } : {},
      body,
    });

    // Assess
    expect(response.status).toBe(status);
    expect((await harness.record())?.status).toBe("pending");
  });

  it("reads a form body whether or not the function URL base64-encoded it", async () => {
    // Prepare
    const fields = formFields((await get(harness.approveUrl)).html);
    const body = new URLSearchParams({ ...fields, by: "frank" }).toString();
    const event = functionUrlEvent(
      {
        method: "POST",
        url: "/",
        httpVersion: "1.1",
        headers: {
          host: "abc.lambda-url.us-west-2.on.aws",
          "content-type": "application/x-www-form-urlencoded",
        },
        socket: { remoteAddress: "192.0.2.44" },
      } as never,
      Buffer.from(body),
    );

    // Act
    const result = await handleApprovalRequest({ ...event, body, isBase64Encoded: false });
    await harness.runtime.settle();

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(result.statusCode).toBe(200);
    expect((await harness.record())?.decidedVia).toMatchObject({ sourceIp: "192.0.2.44", channel: "web" });
  });
});

describe("a request that can no longer be decided here", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it("was replaced by a newer one (the plan changed): 410 on GET and POST, nothing decided", async () => {
    // Prepare: the listener changes while on-call reads; deciding the old plan makes the workflow re-plan and re-ask
    const page = await get(harness.approveUrl);
    await harness.runtime.call("elbv2", "ModifyListener", {
      ListenerArn: listenerArn,
      DefaultActions: [{ Type: "forward", TargetGroupArn: canaryGroup }],
    });
    await harness.runtime.decide("approved", "arn:aws:sts::111122223333:assumed-role/OnCall/dana", {
      channel: "cli",
      verified: true,
    });
    await settleApprovals(harness.runtime);
    const [newer] = await harness.runtime.pendingApprovals();

    // Act
    const shown = await get(harness.approveUrl);
    const submitted = await post(harness.approveUrl, { ...formFields(page.html), by: "erin" });
    await harness.runtime.settle();

    // Assess
    expect(newer?.id).not.toBe(harness.approval.id);
    for (const response of [shown, submitted]) {
      expect(response.status).toBe(410);
      expect(response.html).toContain("Replaced by a newer request");
      expect(response.html).not.toContain('<form method="post">');
    }
    expect(shown.html).toContain(`approval ${newer?.id}`);
    expect((await harness.record())?.status).toBe("superseded");
    expect((await harness.runtime.pendingApprovals()).map((a) => a.id)).toEqual([newer?.id]);
  });

  it("was never sent (the workflow failed before the email went out): 410, no form, nothing decided", async () => {
    // Prepare: a signed link can exist though SNS refused the email; the workflow closed the record
    const page = await get(harness.approveUrl);
    const { resources } = harness.runtime;
    await clients.dynamo(resources.region).send(
      new UpdateCommand({
        TableName: resources.approvalsTable,
        Key: { id: harness.approval.id },
        UpdateExpression: "SET #status = :undelivered REMOVE notifiedAt",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":undelivered": "undelivered" },
      }),
    );

    // Act
    const shown = await get(harness.approveUrl);
    const submitted = await post(harness.approveUrl, { ...formFields(page.html), by: "dana@example.com" });

    // Assess
    for (const response of [shown, submitted]) {
      expect(response.status).toBe(410);
      expect(response.html).toContain("never sent to on-call");
      expect(response.html).not.toContain('<form method="post">');
    }
    expect((await harness.record())?.status).toBe("undelivered");
    expect((await harness.record())?.decidedBy).toBeUndefined();
  });

  it("is being decided by someone else right now: 409, and the page offers no form", async () => {
    // Prepare: a CLI decision has claimed the request and is being delivered to the workflow
    const { resources } = harness.runtime;
    await clients.dynamo(resources.region).send(
      new UpdateCommand({
        TableName: resources.approvalsTable,
        Key: { id: harness.approval.id },
        UpdateExpression: "SET #status = :deciding, decision = :approved, decidedBy = :by, decidedAt = :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":deciding": "deciding",
          ":approved": "approved",
          ":by": "arn:aws:sts::111122223333:assumed-role/OnCall/dana",
          ":at": harness.runtime.clock.now().toISOString(),
        },
      }),
    );

    // Act
    const shown = await get(harness.rejectUrl);

    // Assess
    expect(shown.status).toBe(409);
    expect(shown.html).toContain("Being decided");
    expect(shown.html).toContain("assumed-role/OnCall/dana");
    expect(shown.html).not.toContain('<form method="post">');
  });

  it("cannot be checked while KMS cannot answer: 503, nothing decided", async () => {
    // Prepare: the link key is disabled (an operator's mistake, or an attack on the key)
    const page = await get(harness.approveUrl);
    const { approvalKeyArn, region } = harness.runtime.resources;
    await clients.kms(region).send(new DisableKeyCommand({ KeyId: approvalKeyArn }));

    // Act
    const shown = await get(harness.approveUrl);
    const submitted = await post(harness.approveUrl, { ...formFields(page.html), by: "dana@example.com" });

    // Assess
    for (const response of [shown, submitted]) {
      expect(response.status).toBe(503);
      expect(response.html).toContain("Approvals unavailable right now");
      expect(response.headers.get("retry-after")).toBe("60");
    }
    expect((await harness.record())?.status).toBe("pending");
  });

  it("could not be delivered to the workflow: 503, not recorded, and the request stays open", async () => {
    // Prepare: Step Functions refuses the delivery past every retry
    harness.runtime.sandbox.throttle({ service: "sfn", action: "SendTaskSuccess", times: 20 });

    // Act
    const result = await openAndSubmit(harness.approveUrl, { by: "dana@example.com" });

    // Assess
    expect(result.status).toBe(503);
    expect(result.html).toContain("Decision not recorded");
    expect(result.html).toContain("The request is still open");
    expect(await harness.record()).toMatchObject({ status: "pending" });
    expect((await harness.record())?.decidedBy).toBeUndefined();
    expect((await get(harness.approveUrl)).status).toBe(200);
  });
});

describe("after the approval expired", () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it("shows expired (410) on GET and POST and changes nothing", async () => {
    // Prepare
    const page = await get(harness.approveUrl);
    await harness.runtime.advance("PT24H");

    // Act
    const shown = await get(harness.approveUrl);
    const submitted = await post(harness.approveUrl, { ...formFields(page.html), by: "dana@example.com" });

    // Assess
    expect(shown.status).toBe(410);
    expect(shown.html).toContain("expired");
    expect(submitted.status).toBe(410);
    expect((await harness.record())?.status).toBe("expired");
    const report = await harness.runtime.report("expired");
    expect(outcomes(report)).toEqual(["approval-expired"]);
    expect(report.calls).toEqual([]);
  });
});
