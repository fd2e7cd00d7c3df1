import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../functions/lib/errors.js";
import { SandboxClock } from "../../local/sandbox/clock.js";

describe("SandboxClock", () => {
  it("starts at the given time, or at the scenario default", () => {
    // Prepare / Act
    const given = new SandboxClock("2026-03-01T09:00:00Z");
    const fallback = new SandboxClock();

    // Assess
    expect(given.now().toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect(fallback.now().toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("fires timers in due order, each seeing its own due time, when an advance passes them", () => {
    // Prepare
    const clock = new SandboxClock("2026-03-01T09:00:00Z");
    const fired: string[] = [];
    const note = (name: string) => () => fired.push(`${name}@${clock.now().toISOString()}`);
    clock.schedule(new Date("2026-03-01T10:00:00Z"), note("late"));
    clock.schedule(new Date("2026-03-01T09:05:00Z"), note("early"));
    clock.schedule(new Date("2026-03-02T09:00:00Z"), note("tomorrow"));
    clock.schedule(new Date("2026-03-01T09:05:00Z"), note("early-too"));

    // Act
    clock.advance("PT1H");

    // Assess
    expect(fired).toEqual([
      "early@2026-03-01T09:05:00.000Z",
      "early-too@2026-03-01T09:05:00.000Z",
      "late@2026-03-01T10:00:00.000Z",
    ]);
    expect(clock.now().toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(clock.pending()).toEqual([new Date("2026-03-02T09:00:00Z")]);
  });

  it("fires timers scheduled by timers within the same advance, and skips cancelled ones", () => {
    // Prepare
    const clock = new SandboxClock("2026-03-01T09:00:00Z");
    const fired: string[] = [];
    clock.after(60_000, () => clock.after(60_000, () => fired.push(clock.isoSeconds())));
    clock.after(90_000, () => fired.push("cancelled")).cancel();

    // Act
    clock.advance(5 * 60_000);

    // Assess
    expect(fired).toEqual(["2026-03-01T09:02:00Z"]);
  });

  it("lets callers wait for async timers with settle()", async () => {
    // Prepare
    const clock = new SandboxClock();
    const done: number[] = [];
    clock.after(1_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(1);
    });

    // Act
    clock.advance(1_000);
    const before = [...done];
    await clock.settle();

    // Assess
    expect(before).toEqual([]);
    expect(done).toEqual([1]);
  });

  it.each([
    [() => new SandboxClock("yesterday"), "clock"],
    [() => new SandboxClock().advance("1 hour"), "advance"],
    [() => new SandboxClock().advance(-1), "advance"],
  ])("rejects bad times with a ConfigurationError (%#)", (attempt, field) => {
    // Prepare / Act / Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(field);
  });
});
