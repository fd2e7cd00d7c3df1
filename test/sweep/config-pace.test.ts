import { afterEach, describe, expect, it } from "vitest";
import { useClock } from "../../functions/lib/clock.js";
import { CONFIG_QUERY_PACE, pacedTurn } from "../../functions/sweep/config-pace.js";

/** The sweep's pace for AWS Config queries, on a clock the test moves. */
let time = Date.parse("2026-03-01T09:00:00Z");
afterEach(() => useClock(undefined));

function manualClock(): void {
  useClock(
    () => new Date(time),
    async (ms) => {
      time += ms;
    },
  );
}

async function turns(client: object, count: number): Promise<number[]> {
  const start = time;
  const at: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await pacedTurn(client);
    at.push(time - start);
  }
  return at;
}

describe("the pace of a sweep's Config queries", () => {
  it("lets a burst through, then one query per 1/rate seconds", async () => {
    // Prepare
    manualClock();
    const { burst, perSecond } = CONFIG_QUERY_PACE;

    // Act
    const at = await turns({}, burst + 8);

    // Assess
    expect(at.slice(0, burst)).toEqual(Array(burst).fill(0));
    const gaps = at.slice(burst).map((t, i) => t - (at[burst + i - 1] ?? 0));
    expect(gaps).toEqual(Array(8).fill(Math.ceil(1000 / perSecond)));
    // In any window of w ms, at most burst + rate * w queries.
    for (let i = 0; i < at.length; i += 1) {
      for (let j = i; j < at.length; j += 1) {
        const window = (at[j] ?? 0) - (at[i] ?? 0);
        expect(j - i + 1).toBeLessThanOrEqual(burst + (window / 1000) * perSecond);
      }
    }
  });

  it("keeps one pace per client: another region's queries do not wait for this one's", async () => {
    // Prepare
    manualClock();
    const ireland = {};
    const virginia = {};
    await turns(ireland, CONFIG_QUERY_PACE.burst);

    // Act
    const at = await turns(virginia, CONFIG_QUERY_PACE.burst);

    // Assess
    expect(at).toEqual(Array(CONFIG_QUERY_PACE.burst).fill(0));
  });

  it("refills while idle: after a quiet second the burst is back", async () => {
    // Prepare
    manualClock();
    const client = {};
    await turns(client, CONFIG_QUERY_PACE.burst + 2);
    time += 1000;

    // Act
    const at = await turns(client, CONFIG_QUERY_PACE.burst);

    // Assess
    expect(at).toEqual(Array(CONFIG_QUERY_PACE.burst).fill(0));
  });
});
