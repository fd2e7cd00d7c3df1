import { describe, expect, it } from "vitest";
import { CSRF_MAX_AGE_SECONDS, issueCsrfToken, verifyCsrfToken } from "../../functions/approvals/csrf.js";
import { approvalLinks, signLink, verifyLink } from "../../functions/approvals/links.js";
import { escapeHtml } from "../../functions/approvals/page.js";

const key = "k".repeat(43);
const id = "3f2a9c0d1e4b5a6978877665";
const at = new Date("2026-03-01T09:00:00Z");
const expires = Math.floor(at.getTime() / 1000) + 86_400;
const sig = signLink(key, id, "approve", expires);
const valid = { id, decision: "approve", expires: String(expires), sig };

describe("signed approval links", () => {
  it("verify with the key that signed them", () => {
    // Act
    const result = verifyLink(key, valid, at);

    // Assess
    expect(result).toEqual({ ok: true, decision: "approve", expires });
  });

  it.each([
    { name: "forged signature", params: { ...valid, sig: "A".repeat(43) }, reason: "bad-signature" },
    { name: "decision changed to reject", params: { ...valid, decision: "reject" }, reason: "bad-signature" },
    { name: "unknown decision", params: { ...valid, decision: "approve-all" }, reason: "bad-signature" },
    { name: "another id", params: { ...valid, id: "3f2a9c0d1e4b5a6978877666" }, reason: "bad-signature" },
    { name: "later expiry", params: { ...valid, expires: String(expires + 1) }, reason: "bad-signature" },
    {
      name: "expiry in another spelling",
      params: { ...valid, expires: `${expires}.0` },
      reason: "bad-signature",
    },
    { name: "expiry as an exponent", params: { ...valid, expires: "1.7725e9" }, reason: "bad-signature" },
    { name: "truncated signature", params: { ...valid, sig: sig.slice(0, 20) }, reason: "bad-signature" },
    {
      name: "signed with another key",
      params: { ...valid, sig: signLink("other", id, "approve", expires) },
      reason: "bad-signature",
    },
  ])("refuse a $name", ({ params, reason }) => {
    // Act
    const result = verifyLink(key, params, at);

    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it("expire at their expiry, and only a genuine link learns that", () => {
    // Prepare
    const after = new Date(expires * 1000);

    // Act
    const genuine = verifyLink(key, valid, after);
    const forged = verifyLink(key, { ...valid, sig: "A".repeat(43) }, after);

    // Assess
    expect(genuine).toEqual({ ok: false, reason: "expired" });
    expect(forged).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("are only made when the deployment has an approval endpoint and a key", () => {
    // Act
    const none = approvalLinks({ approvalUrl: undefined, signingKey: key }, id, at);
    const links = approvalLinks(
      { approvalUrl: "https://abc.lambda-url.eu-west-1.on.aws/", signingKey: key },
      id,
      at,
    );

    // Assess
    expect(none).toEqual({});
    expect(new URL(links.approveUrl ?? "").searchParams.get("decision")).toBe("approve");
    expect(new URL(links.rejectUrl ?? "").searchParams.get("decision")).toBe("reject");
  });
});

describe("CSRF tokens", () => {
  const binding = { id, decision: "approve" as const };
  const token = issueCsrfToken(key, binding, at);
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

  it.each([
    {
      name: "the same approval and decision",
      check: () => verifyCsrfToken(key, token, binding, later(60)),
      expected: { ok: true },
    },
    {
      name: "at the end of its life",
      check: () => verifyCsrfToken(key, token, binding, later(CSRF_MAX_AGE_SECONDS)),
      expected: { ok: true },
    },
    {
      name: "after its life",
      check: () => verifyCsrfToken(key, token, binding, later(CSRF_MAX_AGE_SECONDS + 1)),
      expected: { ok: false, reason: "stale" },
    },
    {
      name: "another decision",
      check: () => verifyCsrfToken(key, token, { id, decision: "reject" }, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "another approval",
      check: () => verifyCsrfToken(key, token, { ...binding, id: "000000000000000000000000" }, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "another key",
      check: () => verifyCsrfToken("other", token, binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "a moved issue time",
      check: () =>
        verifyCsrfToken(
          key,
          token.replace(/^\d+/, (t) => String(Number(t) + 600)),
          binding,
          later(600),
        ),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "a token from the future",
      check: () => verifyCsrfToken(key, issueCsrfToken(key, binding, later(3600)), binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "garbage",
      check: () => verifyCsrfToken(key, "<script>", binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "the link signature used as a token",
      check: () => verifyCsrfToken(key, `${expires}.${sig}`, binding, at),
      expected: { ok: false, reason: "invalid" },
    },
  ])("$name", ({ check, expected }) => {
    // Act
    const result = check();

    // Assess
    expect(result).toEqual(expected);
  });
});

describe("escapeHtml", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`" onmouseover='x'`, "&quot; onmouseover=&#39;x&#39;"],
    ["a & b", "a &amp; b"],
    [undefined, ""],
  ])("escapes %j", (input, expected) => {
    // Act
    const escaped = escapeHtml(input);

    // Assess
    expect(escaped).toBe(expected);
  });
});
