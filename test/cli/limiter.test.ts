import { describe, expect, it } from "vitest";
import { keyedLimiter } from "../../cli/limiter.js";

/** A scan keeps only a few calls open per service and region, so it never starves the account's other tools. */
describe("keyedLimiter", () => {
  it.each([
    { limit: 1, tasks: 5 },
    { limit: 2, tasks: 7 },
    { limit: 4, tasks: 12 },
  ])(
    "keeps at most $limit of $tasks tasks of one key in flight, and runs them all",
    async ({ limit, tasks }) => {
      // Prepare
      const run = keyedLimiter(() => limit);
      let inFlight = 0;
      let most = 0;
      const task = (i: number) => async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2 + (i % 3)));
        inFlight -= 1;
        return i;
      };

      // Act
      const results = await Promise.all(
        Array.from({ length: tasks }, (_, i) => run("elbv2:eu-west-1", task(i))),
      );

      // Assess
      expect(most).toBe(limit);
      expect(results).toEqual(Array.from({ length: tasks }, (_, i) => i));
    },
  );

  it("limits each key on its own, and a failed task frees its slot", async () => {
    // Prepare
    const run = keyedLimiter(() => 1);
    const started: string[] = [];
    const slow = (name: string) => async () => {
      started.push(name);
      await new Promise((resolve) => setTimeout(resolve, 10));
    };

    // Act
    const failed = run("cloudfront:us-east-1", async () => {
      throw new Error("Throttling");
    }).catch((error: Error) => error.message);
    const both = Promise.all([
      run("elbv2:eu-west-1", slow("elbv2")),
      run("cloudfront:us-east-1", slow("cloudfront")),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const startedEarly = [...started];
    await both;

    // Assess
    expect(await failed).toBe("Throttling");
    expect(startedEarly.sort()).toEqual(["cloudfront", "elbv2"]);
  });
});
