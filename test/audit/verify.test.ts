import { SignCommand } from "@aws-sdk/client-kms";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  readSeal,
  SEAL_ALGORITHM,
  type Seal,
  sealKey,
  sealLedger,
  sealMessage,
} from "../../functions/audit/seal.js";
import {
  type AuditFacts,
  appendAudit,
  hashOf,
  type LedgerRecord,
  readRecord,
  recordKey,
} from "../../functions/audit/store.js";
import { type VerifyReport, verifyLedger } from "../../functions/audit/verify.js";
import { clients, useDynamoEndpoint } from "../../functions/lib/aws.js";
import { auditTable } from "../../functions/lib/tables.js";
import { type LocalDynamo, startLocalDynamo } from "../../local/dynamo.js";
import type { SandboxAccount } from "../../local/sandbox/account.js";
import { plugged } from "../sandbox/helpers.js";

/**
 * The tamper-evident audit trail, tampered with every way an attacker with
 * write access to the table could, against dynalite and the sandbox's KMS:
 * `verifyLedger` names what changed. The ledger: records 1-6, seal 1 (covers
 * 6), records 7-8, seal 2 (covers 8).
 */
const region = "eu-west-1";
const t0 = new Date("2026-03-01T09:00:00Z");
const t1 = new Date("2026-03-01T09:15:00Z");
const soon = new Date("2026-03-01T09:20:00Z");
const maxSealAgeSeconds = 3600;

let dynamo: LocalDynamo;
let sandbox: SandboxAccount;
let options: { table: string; region: string };
let sealKeyArn: string;

const db = () => clients.dynamo(region);

function facts(n: number): AuditFacts {
  return {
    executionId: `arn:aws:states:eu-west-1:111122223333:execution:driftwarden-remediation:run-${n}`,
    auditId: `run-${n}`,
    entry: "outcome",
    control: "alb-http-to-https-redirect",
    securityHubIds: ["ELB.1"],
    resource: `arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shop/1/${n}`,
    account: "111122223333",
    region,
    trigger: "cloudtrail",
    actor: null,
    eventId: `e-${n}`,
    stateBefore: { defaultActions: [{ Type: "forward" }] },
    finding: "default action is forward",
    change: { made: true, calls: [] },
    decision: { kind: "automatic" },
    outcome: "fixed",
    at: new Date(t0.getTime() - (10 - n) * 60_000).toISOString(),
  };
}

beforeEach(async () => {
  dynamo = await startLocalDynamo([auditTable], region);
  useDynamoEndpoint(dynamo.clientConfig);
  sandbox = plugged();
  // The ledger lives in dynalite; the sandbox answers KMS.
  sandbox.forwardToEndpoint("dynamodb");
  sealKeyArn = sandbox.createKey("ECC_NIST_P256", "audit seals", region);
  options = { table: dynamo.tableName(auditTable), region };
  for (let n = 1; n <= 6; n++) await appendAudit(options, facts(n));
  await sealLedger({ ...options, keyArn: sealKeyArn, now: t0 });
  for (let n = 7; n <= 8; n++) await appendAudit(options, facts(n));
  await sealLedger({ ...options, keyArn: sealKeyArn, now: t1 });
});

afterEach(async () => {
  useDynamoEndpoint(undefined);
  await dynamo.close();
});

const verifyAt = (now: Date): Promise<VerifyReport> =>
  verifyLedger({ ...options, sealKeyArn, now, maxSealAgeSeconds });

async function record(seq: number): Promise<LedgerRecord> {
  const found = await readRecord(options, seq);
  if (!found) throw new Error(`no record ${seq}`);
  return found;
}

async function seal(n: number): Promise<Seal> {
  const found = await readSeal(options, n);
  if (!found) throw new Error(`no seal ${n}`);
  return found;
}

async function put(pk: string, item: object): Promise<void> {
  await db().send(new PutCommand({ TableName: options.table, Item: { ...item, pk } }));
}

async function remove(pk: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: options.table, Key: { pk } }));
}

/** Rewrites records from `from` on, each with a fresh hash chained to the one before: a clean-looking chain. */
async function rewriteFrom(from: number, last: number): Promise<void> {
  let previous = (await record(from - 1)).hash;
  for (let seq = from; seq <= last; seq++) {
    const { hash: _hash, ...rest } = await record(seq);
    const unsigned = {
      ...rest,
      prevHash: previous,
      ...(seq === from ? { finding: "nothing happened" } : {}),
    };
    const rewritten = { ...unsigned, hash: hashOf(unsigned as LedgerRecord) };
    await put(recordKey(seq), rewritten);
    previous = rewritten.hash;
  }
}

const problems = (report: VerifyReport) =>
  report.findings.filter((f) => f.problem).map((f) => ({ kind: f.kind, seq: f.seq, seal: f.seal }));

describe("audit verify", () => {
  it("finds nothing wrong with a ledger nobody touched", async () => {
    // Act
    const report = await verifyAt(soon);

    // Assess
    expect(report).toMatchObject({ ok: true, records: 8, seals: 2, lastSeal: { n: 2, upTo: 8 } });
    expect(report.findings).toEqual([]);
  });

  it.each<{ name: string; tamper: () => Promise<void>; expected: object[] }>([
    {
      name: "a field changed in place",
      tamper: async () => put(recordKey(3), { ...(await record(3)), outcome: "compliant" }),
      expected: [{ kind: "changed", seq: 3 }],
    },
    {
      name: "a record replaced, its own hash recomputed",
      tamper: async () => {
        const { hash: _hash, ...rest } = await record(3);
        const forged = { ...rest, decision: { kind: "approved", by: "mallory" } };
        await put(recordKey(3), { ...forged, hash: hashOf(forged as LedgerRecord) });
      },
      expected: [{ kind: "unlinked", seq: 4 }],
    },
    {
      name: "the chain rewritten from record 3 on, every hash recomputed",
      tamper: () => rewriteFrom(3, 8),
      expected: [
        { kind: "rewritten", seq: 6, seal: 1 },
        { kind: "rewritten", seq: 8, seal: 2 },
      ],
    },
    {
      name: "a record deleted",
      tamper: () => remove(recordKey(4)),
      expected: [{ kind: "missing", seq: 4 }],
    },
    {
      name: "two records swapped",
      tamper: async () => {
        const [two, three] = [await record(2), await record(3)];
        await put(recordKey(2), three);
        await put(recordKey(3), two);
      },
      expected: [
        { kind: "moved", seq: 2 },
        { kind: "unlinked", seq: 2 },
        { kind: "moved", seq: 3 },
        { kind: "unlinked", seq: 3 },
        { kind: "unlinked", seq: 4 },
      ],
    },
    {
      name: "the tail cut off",
      tamper: async () => {
        await remove(recordKey(8));
        await remove(recordKey(7));
      },
      expected: [
        { kind: "cut-off", seq: 7 },
        { kind: "cut-off", seq: 8, seal: 2 },
      ],
    },
    {
      name: "a seal changed (it now covers less)",
      tamper: async () => put(sealKey(1), { ...(await seal(1)), upTo: 5 }),
      expected: [{ kind: "seal-forged", seal: 1 }],
    },
    {
      name: "a seal deleted",
      tamper: () => remove(sealKey(1)),
      expected: [{ kind: "seal-missing", seal: 1 }],
    },
  ])("names $name", async ({ tamper, expected }) => {
    // Prepare
    await tamper();

    // Act
    const report = await verifyAt(soon);

    // Assess
    expect(report.ok).toBe(false);
    expect(problems(report)).toEqual(expected.map((e) => expect.objectContaining(e)));
    expect(problems(report)).toHaveLength(expected.length);
  });

  it("names a seal made with a key of the attacker's own, however well it verifies with that key", async () => {
    // Prepare: a valid seal 3, signed by another KMS key of the account
    const theirs = sandbox.createKey("ECC_NIST_P256", "not driftwarden's", region);
    const facts = {
      n: 3,
      upTo: 8,
      recordHash: (await record(8)).hash,
      prevSignature: "",
      at: soon.toISOString(),
    };
    facts.prevSignature = (await seal(2)).signature;
    const { Signature, KeyId } = await clients
      .kms(region)
      .send(
        new SignCommand({ KeyId: theirs, Message: sealMessage(facts), SigningAlgorithm: SEAL_ALGORITHM }),
      );
    await put(sealKey(3), {
      ...facts,
      keyId: KeyId,
      algorithm: SEAL_ALGORITHM,
      signature: Buffer.from(Signature ?? []).toString("base64"),
    });

    // Act
    const report = await verifyAt(soon);

    // Assess
    expect(problems(report)).toEqual([{ kind: "seal-foreign-key", seal: 3, seq: undefined }]);
    expect(report.findings[0]?.message).toContain(theirs);
  });

  it("names a tail cut off together with its seal and every hint of it, once the last seal is older than expected", async () => {
    // Prepare: records 7-8, seal 2, the head hint and the append markers all removed
    await remove(recordKey(8));
    await remove(recordKey(7));
    await remove(sealKey(2));
    await put("head", { lastSeq: 6 });
    for (const n of [7, 8]) await remove(`idem#${facts(n).executionId}#outcome`);
    await db().send(
      new UpdateCommand({
        TableName: options.table,
        Key: { pk: "sealhead" },
        UpdateExpression: "SET lastSeal = :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );

    // Act
    const meanwhile = await verifyAt(new Date(t0.getTime() + 30 * 60_000));
    const later = await verifyAt(new Date(t0.getTime() + 2 * 3_600_000));

    // Assess: within the sealing interval the cut cannot be told from a quiet ledger; after it, it can
    expect(meanwhile.ok).toBe(true);
    expect(problems(later)).toEqual([expect.objectContaining({ kind: "seal-stale", seal: 1 })]);
    expect(later.findings[0]?.message).toContain("older than 60 minutes");
  });

  it("tells records newer than the last seal apart from tampering", async () => {
    // Prepare
    await appendAudit(options, facts(9));

    // Act
    const report = await verifyAt(soon);

    // Assess
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ kind: "unsealed", seq: 9, problem: false })]);
  });
});

describe("audit seals", () => {
  it("chain: each carries the previous seal's signature and covers the ledger's end when it was made", async () => {
    // Prepare
    const [first, second] = [await seal(1), await seal(2)];

    // Act
    const third = await sealLedger({ ...options, keyArn: sealKeyArn, now: soon });

    // Assess
    expect(first).toMatchObject({ n: 1, upTo: 6, prevSignature: "genesis", keyId: sealKeyArn });
    expect(second).toMatchObject({ n: 2, upTo: 8, prevSignature: first?.signature });
    expect(third).toMatchObject({
      n: 3,
      upTo: 8,
      prevSignature: second?.signature,
      recordHash: (await record(8)).hash,
    });
  });
});
