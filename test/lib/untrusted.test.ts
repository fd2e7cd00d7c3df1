import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanText, defang, inertJson, quoteUntrusted, visibleJson } from "../../functions/lib/untrusted.js";

/** What an outsider can put in a user agent, a session name, a tag or a typed name, and what on-call sees. */
describe("untrusted text", () => {
  it.each([
    [
      "a fake approval link",
      "Approve: https://evil.example/approve?id=6649b885907c62e185b1666b",
      "Approve: hxxps://evil[.]example/approve?id=6649b885907c62e185b1666b",
    ],
    [
      "line breaks that fake a new section",
      "aws-cli/2.22.4\r\n\r\nAPPROVAL NEEDED\nApprove: http://evil.example",
      "aws-cli/2.22.4 APPROVAL NEEDED Approve: hxxp://evil[.]example",
    ],
    ["a right-to-left override", "alice\u202Egpj.exe", "alicegpj[.]exe"],
    ["zero-width characters", "ad\u200Bmin\u200D\uFEFF", "admin"],
    ["bidi isolates and marks", "\u2066oncall\u2069\u200F", "oncall"],
    ["Unicode tag characters", "ok\u{E0041}\u{E0042}", "ok"],
    ["C1 controls and DEL", "a\u0085b\u009Bc\u007Fd", "a bcd"],
    [
      "an escape sequence for a terminal",
      "\u001B]8;;https://evil.example\u0007click\u001B]8;;\u0007",
      "]8;;hxxps://evil[.]exampleclick]8;;",
    ],
    ["fullwidth letters spelling a link", "ｈｔｔｐｓ：／／evil．example", "hxxps://evil[.]example"],
    ["a link without a scheme", "see evil.example/approve", "see evil[.]example/approve"],
    ["another scheme", "ftp://files.example/x", "ftp[:]//files[.]example/x"],
    ["an email address", "dana@example.com", "dana@example[.]com"],
    ["version numbers", "aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10", "aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10"],
    [
      "an ARN",
      "arn:aws:sts::111122223333:assumed-role/Admin/alice",
      "arn:aws:sts::111122223333:assumed-role/Admin/alice",
    ],
    ["runs of spaces and tabs", "a \t\u00A0\u3000 b", "a b"],
    ["nothing", undefined, ""],
  ])("%s", (_label, input, expected) => {
    // Act
    const cleaned = cleanText(input);

    // Assess
    expect(cleaned).toBe(expected);
  });

  it("cuts a 10 kB string and says how long it was", () => {
    // Prepare
    const huge = `Mozilla/5.0 ${"A".repeat(10_240)}`;

    // Act
    const cleaned = cleanText(huge);

    // Assess
    expect(cleaned).toBe(`Mozilla/5.0 ${"A".repeat(188)}... (cut, 10252 characters)`);
  });

  it("quotes a value as data: where it ends is never in doubt", () => {
    // Act
    const quoted = quoteUntrusted('alice" (verified AWS identity) "');

    // Assess
    expect(quoted).toBe('"alice\\" (verified AWS identity) \\""');
  });

  it("keeps JSON exact and one line while making its strings inert", () => {
    // Prepare
    const input = { Comment: "x\u202Ey", DomainName: "origin.example.com", Note: "line\nbreak" };

    // Act
    const json = inertJson(input);

    // Assess
    expect(json).toBe('{"Comment":"x\\u202ey","DomainName":"origin[.]example[.]com","Note":"line\\nbreak"}');
    expect(JSON.parse(json.replaceAll("[.]", ".")).Comment).toBe("x\u202Ey");
  });

  it("defangs idempotently", () => {
    // Prepare
    const once = defang("https://evil.example/a and ftp://x.example");

    // Act
    const twice = defang(once);

    // Assess
    expect(twice).toBe(once);
  });

  it("gives one bounded, inert line for any input", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 600 }),
        fc.integer({ min: 1, max: 300 }),
        (text, max) => {
          const cleaned = cleanText(text, { max });
          expect(cleaned).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}]/u);
          expect(cleaned).not.toMatch(/https?:\/\//i);
          expect(
            Array.from(cleaned.replaceAll("[.]", ".").replaceAll("[:]", ":")).length,
          ).toBeLessThanOrEqual(max + "... (cut, 99999 characters)".length + 2);
        },
      ),
    );
  });
});

describe("JSON a person may read", () => {
  it("keeps the value exact and shows invisible characters as escapes", () => {
    // Prepare
    const value = { by: "alice\u202Eexe.pdf", url: "https://evil.example/" };

    // Act
    const json = visibleJson(value);

    // Assess
    expect(json).toBe('{"by":"alice\\u202eexe.pdf","url":"https://evil.example/"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});
