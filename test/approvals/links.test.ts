import { DisabledException, DisableKeyCommand } from "@aws-sdk/client-kms";
import { beforeEach, describe, expect, it } from "vitest";
import { CSRF_MAX_AGE_SECONDS, issueCsrfToken, verifyCsrfToken } from "../../functions/approvals/csrf.js";
import { verifyLink } from "../../functions/approvals/link-check.js";
import { approvalLinks, type LinkKey, signLink } from "../../functions/approvals/links.js";
import { escapeHtml } from "../../functions/approvals/page.js";
import { clients } from "../../functions/lib/aws.js";
import { failure, plugged } from "../sandbox/helpers.js";

const region = "eu-west-1";
const id = "3f2a9c0d1e4b5a6978877665";
const at = new Date("2026-03-01T09:00:00Z");
const expires = Math.floor(at.getTime() / 1000) + 86_400;

let key: LinkKey;
let otherKey: LinkKey;
let sig: string;
let valid: { id: string; decision: string; expires: string; sig: string };

beforeEach(async () => {
  // A KMS HMAC key of the sandbox account, and one of "another deployment".
  const sandbox = plugged();
  key = { keyArn: sandbox.createKey("HMAC_256", "approval links", region), region };
  otherKey = { keyArn: sandbox.createKey("HMAC_256", "another deployment", region), region };
  sig = await signLink(key, id, expires);
  valid = { id, decision: "approve", expires: String(expires), sig };
});

describe("approval links signed with a KMS HMAC key", () => {
  it("verify with the key that made them (KMS VerifyMac)", async () => {
    // Act
    const result = await verifyLink(key, valid, at);

    // Assess
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result).toEqual({ ok: true, decision: "approve", expires });
  });

  it("open the other decision with the same MAC: the holder of a link may approve or reject", async () => {
    // Act
    const result = await verifyLink(key, { ...valid, decision: "reject" }, at);

    // Assess
    expect(result).toEqual({ ok: true, decision: "reject", expires });
  });

  it.each([
    { name: "forged signature", params: () => ({ ...valid, sig: "A".repeat(43) }) },
    { name: "unknown decision", params: () => ({ ...valid, decision: "approve-all" }) },
    { name: "another id", params: () => ({ ...valid, id: "3f2a9c0d1e4b5a6978877666" }) },
    { name: "later expiry", params: () => ({ ...valid, expires: String(expires + 1) }) },
    { name: "expiry in another spelling", params: () => ({ ...valid, expires: `${expires}.0` }) },
    { name: "expiry as an exponent", params: () => ({ ...valid, expires: "1.7725e9" }) },
    { name: "truncated signature", params: () => ({ ...valid, sig: sig.slice(0, 20) }) },
    { name: "id that was never an approval id", params: () => ({ ...valid, id: "../../etc/passwd" }) },
  ])("refuse a $name", async ({ params }) => {
    // Act
    const result = await verifyLink(key, params(), at);

    // Assess
    expect(result).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuse a link made with another deployment's key", async () => {
    // Prepare
    const foreign = await signLink(otherKey, id, expires);

    // Act
    const result = await verifyLink(key, { ...valid, sig: foreign }, at);

    // Assess
    expect(result).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("expire at their expiry, and only a genuine link learns that", async () => {
    // Prepare
    const after = new Date(expires * 1000);

    // Act
    const genuine = await verifyLink(key, valid, after);
    const forged = await verifyLink(key, { ...valid, sig: "A".repeat(43) }, after);

    // Assess
    expect(genuine).toEqual({ ok: false, reason: "expired" });
    expect(forged).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("do not pass a KMS failure off as a forged link", async () => {
    // Prepare
    await clients.kms(region).send(new DisableKeyCommand({ KeyId: key.keyArn }));

    // Act
    const error = await failure(verifyLink(key, valid, at));

    // Assess
    expect(error).toBeInstanceOf(DisabledException);
  });

  it("are only made when the deployment has an approval endpoint and a key; both carry one MAC", async () => {
    // Act
    const none = await approvalLinks({ approvalUrl: undefined, approvalKeyArn: key.keyArn, region }, id, at);
    const keyless = await approvalLinks(
      { approvalUrl: "https://abc.lambda-url.eu-west-1.on.aws/", region },
      id,
      at,
    );
    const links = await approvalLinks(
      { approvalUrl: "https://abc.lambda-url.eu-west-1.on.aws/", approvalKeyArn: key.keyArn, region },
      id,
      at,
    );

    // Assess
    expect(none).toEqual({});
    expect(keyless).toEqual({});
    const approve = new URL(links.approveUrl ?? "");
    const reject = new URL(links.rejectUrl ?? "");
    expect(approve.searchParams.get("decision")).toBe("approve");
    expect(reject.searchParams.get("decision")).toBe("reject");
    expect(approve.searchParams.get("sig")).toBe(reject.searchParams.get("sig"));
    expect(
      await verifyLink(
        key,
        Object.fromEntries(reject.searchParams) as typeof valid,
        new Date(at.getTime() - 1),
      ),
    ).toMatchObject({ ok: true, decision: "reject" });
  });
});

describe("CSRF tokens, keyed by the verified link MAC", () => {
  const linkMac = "k".repeat(43);
  const otherLinkMac = "q".repeat(43);
  const binding = { id, decision: "approve" as const };
  const token = issueCsrfToken(linkMac, binding, at);
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

  it.each([
    {
      name: "the same approval and decision",
      check: () => verifyCsrfToken(linkMac, token, binding, later(60)),
      expected: { ok: true },
    },
    {
      name: "at the end of its life",
      check: () => verifyCsrfToken(linkMac, token, binding, later(CSRF_MAX_AGE_SECONDS)),
      expected: { ok: true },
    },
    {
      name: "after its life",
      check: () => verifyCsrfToken(linkMac, token, binding, later(CSRF_MAX_AGE_SECONDS + 1)),
      expected: { ok: false, reason: "stale" },
    },
    {
      name: "another decision",
      check: () => verifyCsrfToken(linkMac, token, { id, decision: "reject" }, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "another approval",
      check: () => verifyCsrfToken(linkMac, token, { ...binding, id: "000000000000000000000000" }, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "another link's MAC",
      check: () => verifyCsrfToken(otherLinkMac, token, binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "a moved issue time",
      check: () =>
        verifyCsrfToken(
          linkMac,
          token.replace(/^\d+/, (t) => String(Number(t) + 600)),
          binding,
          later(600),
        ),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "a token from the future",
      check: () => verifyCsrfToken(linkMac, issueCsrfToken(linkMac, binding, later(3600)), binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "garbage",
      check: () => verifyCsrfToken(linkMac, "<script>", binding, at),
      expected: { ok: false, reason: "invalid" },
    },
    {
      name: "the link signature used as a token",
      check: () => verifyCsrfToken(linkMac, `${expires}.${linkMac}`, binding, at),
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
