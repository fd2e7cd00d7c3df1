import { describe, expect, it } from "vitest";
import { humanizeTimes, humanTime } from "../../functions/lib/human-time.js";

describe("times for people", () => {
  it.each([
    ["an ISO instant with milliseconds", "2026-03-02T09:00:05.123Z", {}, "Mon 2 Mar 09:00 UTC"],
    [
      "another zone, summer time",
      "2026-07-02T09:00:00Z",
      { timeZone: "Europe/Berlin" },
      "Thu 2 Jul 11:00 CEST",
    ],
    [
      "a year other than the reference's",
      "2025-12-31T23:30:00Z",
      { reference: new Date("2026-01-01T00:10:00Z") },
      "Wed 31 Dec 2025 23:30 UTC",
    ],
    ["not a time", "soon", {}, "soon"],
  ])("%s", (_label, at, options, expected) => {
    // Act
    const shown = humanTime(at, options);

    // Assess
    expect(shown).toBe(expected);
  });

  it("makes every instant in a sentence human", () => {
    // Act
    const text = humanizeTimes("fixed 3 times since 2026-03-23T09:00:00.000Z, last at 2026-03-23T09:36:07Z");

    // Assess
    expect(text).toBe("fixed 3 times since Mon 23 Mar 09:00 UTC, last at Mon 23 Mar 09:36 UTC");
  });
});
