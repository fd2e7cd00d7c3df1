import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AnyControl, Change } from "../../functions/controls/types.js";
import { clients, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { eventsTable, tables } from "../../functions/lib/tables.js";
import { applyRound, reconcileRound } from "../../functions/workflow/apply.js";
import { readJournal } from "../../functions/workflow/journal.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";

/**
 * The apply engine's promise, on a real DynamoDB-compatible server: a retried
 * or re-run apply never repeats a call already made, resumes a multi-call fix
 * where it stopped, and reports exactly the calls driftwarden made, including
 * those of an attempt that died right after its call.
 */
let dynamo: LocalDynamo;
let table: string;

beforeAll(async () => {
  dynamo = await startLocalDynamo(tables, "eu-west-1");
  useDynamoEndpoint(dynamo.clientConfig);
  table = dynamo.tableName(eventsTable);
});

afterAll(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

/** A resource of named settings; each planned call sets one of them. */
class Resource {
  values: Record<string, string> = { a: "old", b: "old", c: "old" };
  readonly made: string[] = [];
  /** The next call of this setting dies right after it took effect (as a crashed Lambda would). */
  crashAfter = new Set<string>();
  /** The next call of this setting fails before taking effect (as a throttled call would). */
  failBefore = new Set<string>();
}

const set = (key: string): Change => ({
  service: "elbv2",
  action: "ModifyListener",
  input: { key, value: "new" },
});

function controlOf(resource: Resource): AnyControl {
  return {
    collect: async () => structuredClone(resource.values),
    inEffect: (snapshot: Record<string, string>, change: Change) =>
      snapshot[String(change.input.key)] === change.input.value,
    execute: async (_ctx: unknown, _arn: string, change: Change) => {
      const key = String(change.input.key);
      if (resource.failBefore.delete(key))
        throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
      resource.values[key] = String(change.input.value);
      resource.made.push(key);
      if (resource.crashAfter.delete(key))
        throw Object.assign(new Error("Runtime exited"), { name: "Lambda.Unknown" });
      return change;
    },
  } as unknown as AnyControl;
}

let round = 0;
let resource: Resource;
let target: Parameters<typeof applyRound>[0];

beforeEach(() => {
  round += 1;
  resource = new Resource();
  target = {
    control: controlOf(resource),
    ctx: { account: "111122223333", region: "eu-west-1", clients, now: () => new Date() },
    resource: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/1/2",
    changes: [set("a"), set("b"), set("c")],
    journal: { clients, table, region: "eu-west-1", key: `journal#execution-${round}#1` },
    now: () => new Date("2026-03-01T09:00:00Z"),
  };
});

describe("apply engine", () => {
  it("makes every call once and journals each", async () => {
    // Prepare: a fresh round

    // Act
    const made = await applyRound(target);

    // Assess
    expect(made).toEqual(target.changes);
    expect(resource.made).toEqual(["a", "b", "c"]);
    const journal = await readJournal(target.journal, target.journal.key);
    expect(Object.values(journal?.calls ?? {}).map((entry) => entry.state)).toEqual(["done", "done", "done"]);
  });

  it.each([
    ["the first call", "a", ["a", "b", "c"]],
    ["the second call", "b", ["a", "b", "c"]],
    ["the last call", "c", ["a", "b", "c"]],
  ])("resumes after the step died right after %s, repeating nothing", async (_label, key, calls) => {
    // Prepare
    resource.crashAfter.add(key);
    await expect(applyRound(target)).rejects.toMatchObject({ name: "Lambda.Unknown" });

    // Act: Step Functions retries the step
    const made = await applyRound(target);

    // Assess
    expect(resource.made).toEqual(calls);
    expect(made).toEqual(target.changes);
  });

  it("makes a call again when it failed before taking effect", async () => {
    // Prepare
    resource.failBefore.add("b");
    await expect(applyRound(target)).rejects.toMatchObject({ name: "Throttling" });

    // Act
    const made = await applyRound(target);

    // Assess
    expect(resource.made).toEqual(["a", "b", "c"]);
    expect(made).toEqual(target.changes);
  });

  it("does not claim a change someone else made between two attempts", async () => {
    // Prepare: the first attempt dies after "a"; meanwhile a person sets "c" by hand
    resource.crashAfter.add("a");
    await expect(applyRound(target)).rejects.toThrow();
    resource.values.c = "new";

    // Act
    const made = await applyRound(target);

    // Assess: "c" is live but was not driftwarden's call
    expect(resource.made).toEqual(["a", "b"]);
    expect(made).toEqual([set("a"), set("b")]);
  });

  it("reconciles a round that gave up: exactly the calls that took effect", async () => {
    // Prepare: "a" was made and journaled, "b" died after taking effect, "c" was never reached
    resource.crashAfter.add("b");
    await expect(applyRound(target)).rejects.toThrow();

    // Act
    const made = await reconcileRound(target);

    // Assess
    expect(made).toEqual([set("a"), set("b")]);
    expect(resource.made).toEqual(["a", "b"]);
  });

  it("reconciles an intent whose call never took effect as not made", async () => {
    // Prepare: "b" failed before taking effect, so its intent has no effect behind it
    resource.failBefore.add("b");
    await expect(applyRound(target)).rejects.toThrow();

    // Act
    const made = await reconcileRound(target);

    // Assess
    expect(made).toEqual([set("a")]);
  });

  it("reconciles a round that never started as no calls", async () => {
    // Prepare: nothing ran

    // Act
    const made = await reconcileRound(target);

    // Assess
    expect(made).toEqual([]);
  });
});
