import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { humanTime } from "../../functions/lib/human-time.js";
import { type Harness, listenerArn, outcomes, settleApprovals, startHarness } from "./support.js";

/**
 * A new on-call engineer gets the approval email, opens the approve link in a
 * real browser, reads what is asked, enters their name and approves.
 */
const screenshots = fileURLToPath(new URL("../../test-results/", import.meta.url));

let browser: Browser;
let harness: Harness;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await harness?.close();
});

describe("approving from a browser", () => {
  it("opens the emailed link, shows the request, approves it; the workflow ends fixed", async () => {
    // Prepare
    harness = await startHarness();
    const report = await harness.runtime.report("emailed");
    const email = report.notifications.find((n) => n.subject.includes("APPROVAL NEEDED"));
    const approveUrl = /^Approve: (\S+)$/m.exec(email?.message ?? "")?.[1];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();

    // Act
    await page.goto(approveUrl ?? "about:blank");
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    const details = await page.locator("dl").textContent();
    await page.screenshot({ path: `${screenshots}approval-page.png`, fullPage: true });
    await page.getByLabel(/your name or email/i).fill("dana@example.com");
    await page.getByRole("button", { name: /approve this fix/i }).click();
    await page.getByRole("heading", { name: "Approved" }).waitFor();
    const confirmation = await page.locator("main").textContent();
    await page.screenshot({ path: `${screenshots}approval-approved.png`, fullPage: true });
    await context.close();
    await harness.runtime.settle();
    const after = await harness.runtime.report("approved in a browser");

    // Assess
    expect(heading).toBe("Approve this fix?");
    for (const fact of [
      "alb-http-to-https-redirect (ELB.1)",
      harness.approval.resource,
      "arn:aws:sts::111122223333:assumed-role/Admin/carol",
      'Source IP: "203.0.113.24"',
      'User agent: "AWS Internal"',
      "load balancer intranet has no HTTPS listener",
      "elbv2:ModifyListener",
      '"Protocol": "HTTPS"',
      humanTime(harness.approval.expiresAt),
    ]) {
      expect(details ?? "").toContain(fact);
    }
    expect(confirmation ?? "").toContain(
      'Approved by "dana@example[.]com" (typed on the approval page, unverified)',
    );
    expect(await harness.record()).toMatchObject({
      status: "approved",
      decidedBy: "dana@example.com",
      decidedVia: { channel: "web", sourceIp: "127.0.0.1", userAgent: expect.stringContaining("Chrome") },
    });
    expect(outcomes(after)).toEqual(["fixed"]);
    expect(after.calls.map((c) => c.action)).toEqual(["ModifyListener"]);
  });

  async function openPage(url: string) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(url);
    return { page, close: () => context.close() };
  }

  it("tells on-call a request was replaced by a newer one when the resource changed", async () => {
    // Prepare: the listener changes; a CLI approval of the old plan makes the workflow re-plan and ask again
    harness = await startHarness();
    await harness.runtime.call("elbv2", "ModifyListener", {
      ListenerArn: listenerArn,
      DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "503" } }],
    });
    await harness.runtime.decide("approved", "arn:aws:sts::111122223333:assumed-role/OnCall/dana", {
      channel: "cli",
      verified: true,
    });
    await settleApprovals(harness.runtime);

    // Act
    const { page, close } = await openPage(harness.approveUrl);
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    const text = await page.locator("main").textContent();
    const forms = await page.locator("form").count();
    await page.screenshot({ path: `${screenshots}approval-superseded.png`, fullPage: true });
    await close();

    // Assess
    expect(heading).toBe("Replaced by a newer request");
    expect(text).toContain("a new request went out by email");
    expect(forms).toBe(0);
  });

  it("says a decision that did not reach the workflow was not recorded, and the request is still open", async () => {
    // Prepare: Step Functions refuses the delivery past every retry
    harness = await startHarness();
    harness.runtime.sandbox.throttle({ service: "sfn", action: "SendTaskSuccess", times: 20 });
    const { page, close } = await openPage(harness.approveUrl);

    // Act
    await page.getByLabel(/your name or email/i).fill("dana@example.com");
    await page.getByRole("button", { name: /approve this fix/i }).click();
    await page.getByRole("heading", { name: "Decision not recorded" }).waitFor();
    const text = await page.locator("main").textContent();
    await page.screenshot({ path: `${screenshots}approval-not-delivered.png`, fullPage: true });
    await page.getByRole("link", { name: "Open the approval page again" }).click();
    const reopened = await page.getByRole("heading", { level: 1 }).textContent();
    await close();

    // Assess
    expect(text).toContain("it was not recorded and nothing was changed");
    expect(reopened).toBe("Approve this fix?");
    expect((await harness.record())?.status).toBe("pending");
  });

  it("shows an expired request as expired, without a form", async () => {
    // Prepare
    harness = await startHarness();
    await harness.runtime.advance("PT24H");

    // Act
    const { page, close } = await openPage(harness.approveUrl);
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    const forms = await page.locator("form").count();
    await page.screenshot({ path: `${screenshots}approval-expired.png`, fullPage: true });
    await close();

    // Assess
    expect(heading).toBe("Approval expired");
    expect(forms).toBe(0);
    expect(outcomes(await harness.runtime.report("expired"))).toEqual(["approval-expired"]);
  });
});
