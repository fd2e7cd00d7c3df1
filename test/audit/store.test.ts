import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditFacts,
  appendAudit,
  auditOfResource,
  genesisHash,
  hashOf,
  isOutcomeRecord,
  latestPerExecution,
  listAudit,
  readRecord,
  recordKey,
} from "../../functions/audit/store.js";
import { clients, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { auditTable, tables } from "../../functions/lib/tables.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";

/** The hash-chained audit ledger against a DynamoDB-compatible server (dynalite), with the deployed code. */
let dynamo: LocalDynamo;
let options: { table: string; region: string };

beforeAll(async () => {
  dynamo = await startLocalDynamo(tables, "eu-west-1");
  useDynamoEndpoint(dynamo.clientConfig);
  options = { table: dynamo.tableName(auditTable), region: "eu-west-1" };
});

afterAll(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

let sequence = 0;
const listener = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/1/2";

function facts(overrides: Partial<AuditFacts> = {}): AuditFacts {
  sequence += 1;
  return {
    executionId: `arn:aws:states:eu-west-1:111122223333:execution:driftwarden-remediation:run-${sequence}`,
    auditId: `run-${sequence}`,
    entry: "outcome",
    control: "alb-http-to-https-redirect",
    securityHubIds: ["ELB.1"],
    resource: listener,
    account: "111122223333",
    region: "eu-west-1",
    trigger: "cloudtrail",
    actor: { arn: "arn:aws:iam::111122223333:user/deploy-bot", type: "IAMUser" },
    eventId: "e-1",
    stateBefore: { defaultActions: [{ Type: "forward" }] },
    finding: "default action is forward",
    change: { made: true, calls: [{ service: "elbv2", action: "ModifyListener", input: {} }] },
    decision: { kind: "automatic" },
    outcome: "fixed",
    at: "2026-03-01T09:00:10.000Z",
    ...overrides,
  };
}

describe("audit ledger", () => {
  it("keeps every field of an outcome, chained to the record before it", async () => {
    // Prepare
    const first = facts();
    const second = facts({ outcome: "compliant" });

    // Act
    const a = await appendAudit(options, first);
    const b = await appendAudit(options, second);

    // Assess
    expect(a.record).toMatchObject(first);
    expect(b.record.seq).toBe(a.record.seq + 1);
    expect(b.record.prevHash).toBe(a.record.hash);
    expect(await readRecord(options, b.record.seq)).toEqual(b.record);
    expect(hashOf(b.record)).toBe(b.record.hash);
  });

  it("starts the chain at genesis", async () => {
    // Prepare / Act
    const first = (await listAudit(options))[0];

    // Assess
    expect(first?.seq).toBe(1);
    expect(first?.prevHash).toBe(genesisHash);
  });

  it("never appends a second record when a step is retried", async () => {
    // Prepare
    const outcome = facts();

    // Act
    const results = [
      await appendAudit(options, outcome),
      await appendAudit(options, { ...outcome, at: "later" }),
    ];

    // Assess
    expect(results.map((r) => r.written)).toEqual([true, false]);
    expect(results[1]?.record).toEqual(results[0]?.record);
    const all = (await listAudit(options)).filter((r) => r.executionId === outcome.executionId);
    expect(all).toHaveLength(1);
  });

  it("finds its own record when the attempt that wrote it died before finishing its marker", async () => {
    // Prepare: the record is in the ledger, its marker still says "appending" (no seq)
    const outcome = facts();
    const head = (await listAudit(options)).at(-1);
    const seq = (head?.seq ?? 0) + 1;
    const unsigned = { ...outcome, seq, prevHash: head?.hash ?? genesisHash };
    const record = { ...unsigned, hash: hashOf(unsigned) };
    const db = clients.dynamo(options.region);
    await db.send(new PutCommand({ TableName: options.table, Item: { pk: recordKey(seq), ...record } }));
    await db.send(
      new PutCommand({
        TableName: options.table,
        Item: { pk: `idem#${outcome.executionId}#outcome`, after: seq - 1 },
      }),
    );

    // Act
    const retried = await appendAudit(options, outcome);

    // Assess
    expect(retried).toEqual({ record, written: false });
    expect((await listAudit(options)).filter((r) => r.executionId === outcome.executionId)).toHaveLength(1);
  });

  it("keeps one unbroken chain when many executions append at once", async () => {
    // Prepare
    const batch = Array.from({ length: 12 }, (_, i) =>
      facts({ at: `2026-03-01T10:00:${String(i).padStart(2, "0")}Z` }),
    );

    // Act
    await Promise.all(batch.map((f) => appendAudit(options, f)));

    // Assess
    const all = await listAudit(options);
    all.forEach((record, i) => {
      expect(record.seq).toBe(i + 1);
      expect(record.prevHash).toBe(i === 0 ? genesisHash : all[i - 1]?.hash);
      expect(hashOf(record)).toBe(record.hash);
    });
    for (const f of batch) expect(all.filter((r) => r.executionId === f.executionId)).toHaveLength(1);
  });

  it("keeps an approval request and its outcome as two records; the latest is what the execution says now", async () => {
    // Prepare
    const waiting = facts({
      entry: "awaiting-approval#1",
      outcome: "awaiting-approval",
      decision: { kind: "pending" },
    });
    const final = {
      ...waiting,
      entry: "outcome",
      outcome: "fixed" as const,
      decision: { kind: "approved" as const },
    };

    // Act
    await appendAudit(options, waiting);
    await appendAudit(options, final);

    // Assess
    const mine = (await listAudit(options)).filter((r) => r.executionId === waiting.executionId);
    expect(mine.map((r) => r.outcome)).toEqual(["awaiting-approval", "fixed"]);
    expect(latestPerExecution(mine).map((r) => r.outcome)).toEqual(["fixed"]);
  });

  it("finds a resource's history through its index, oldest first, from a given time", async () => {
    // Prepare
    const resource = "arn:aws:cloudfront::111122223333:distribution/EHISTORY";
    await appendAudit(options, facts({ resource, at: "2026-03-02T09:00:00.000Z", outcome: "fixed" }));
    await appendAudit(options, facts({ resource, at: "2026-03-03T09:00:00.000Z", outcome: "suspended" }));

    // Act
    const everything = await auditOfResource(options, resource);
    const recent = await auditOfResource(options, resource, "2026-03-03T00:00:00.000Z");

    // Assess
    expect(everything.map((r) => (isOutcomeRecord(r) ? r.outcome : r.entry))).toEqual(["fixed", "suspended"]);
    expect(recent.map((r) => (isOutcomeRecord(r) ? r.outcome : r.entry))).toEqual(["suspended"]);
  });
});
