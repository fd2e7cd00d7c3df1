import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { SignCommand } from "@aws-sdk/client-kms";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../lib/clients/dynamo.js";
import { kms } from "../lib/clients/kms.js";
import { stableJson } from "../lib/digest.js";
import { ConcurrentModificationError } from "../lib/errors.js";
import { type AuditStoreOptions, genesisHash, ledgerTail, readRecord } from "./store.js";

/**
 * Seals of the audit ledger, in the manner of CloudTrail's digest files: a seal
 * states how far the ledger went (the last sequence number and that record's
 * hash) and carries the previous seal's signature, and it is signed with a KMS
 * asymmetric key that no driftwarden role but the sealer may use. The hash chain
 * shows a record changed, deleted or reordered inside the ledger; seals show
 * the ledger was not rewritten from some point on, nor cut short: records a seal
 * covers must still be there, and seals keep coming (every run of the schedule
 * seals, changes or not), so a last seal that is too old means sealing stopped
 * or the newest seals were removed with the records after them.
 *
 * Items: `seal#<12 digits>` (numbered from 1) and `sealhead`, a hint of the
 * last seal's number that verification never trusts.
 */
export const SEAL_ALGORITHM = "ECDSA_SHA_256";
export const genesisSignature = "genesis";

export interface SealFacts {
  /** The seal's own number: 1, 2, 3, ... */
  n: number;
  /** The last record the seal covers (0: the ledger was empty). */
  upTo: number;
  /** That record's hash (`genesis` for an empty ledger). */
  recordHash: string;
  /** The signature of seal n-1 (`genesis` for the first seal): seals chain as records do. */
  prevSignature: string;
  at: string;
}

export interface Seal extends SealFacts {
  /** The KMS key that signed it; verification checks it is the deployment's, not whatever a seal names. */
  keyId: string;
  algorithm: typeof SEAL_ALGORITHM;
  /** DER-encoded ECDSA signature over `sealMessage`, base64. */
  signature: string;
}

export function sealKey(n: number): string {
  return `seal#${String(n).padStart(12, "0")}`;
}

/** The bytes a seal's signature covers: its facts, canonical JSON, under a domain prefix. */
export function sealMessage(facts: SealFacts): Uint8Array {
  const { n, upTo, recordHash, prevSignature, at } = facts;
  return new TextEncoder().encode(
    `driftwarden audit seal\n${stableJson({ n, upTo, recordHash, prevSignature, at })}`,
  );
}

const db = (options: AuditStoreOptions) => dynamo(options.region);

export async function readSeal(options: AuditStoreOptions, n: number): Promise<Seal | undefined> {
  const result = await db(options).send(
    new GetCommand({ TableName: options.table, Key: { pk: sealKey(n) }, ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  const { pk: _pk, ...seal } = result.Item;
  return seal as Seal;
}

/** The newest seal, probing forward from the hint. */
export async function latestSeal(options: AuditStoreOptions): Promise<Seal | undefined> {
  const hint = await db(options).send(
    new GetCommand({ TableName: options.table, Key: { pk: "sealhead" }, ConsistentRead: true }),
  );
  let n = (hint.Item as { lastSeal?: number } | undefined)?.lastSeal ?? 0;
  let latest = n > 0 ? await readSeal(options, n) : undefined;
  for (;;) {
    const next = await readSeal(options, n + 1);
    if (!next) return latest;
    latest = next;
    n += 1;
  }
}

export interface SealOptions extends AuditStoreOptions {
  /** ARN of the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs seals. */
  keyArn: string;
  now: Date;
}

const maxSealAttempts = 10;

/** Seals the ledger as it is now: one new seal, whether or not records were added since the last. */
export async function sealLedger(options: SealOptions): Promise<Seal> {
  for (let attempt = 1; attempt <= maxSealAttempts; attempt++) {
    const previous = await latestSeal(options);
    const upTo = await ledgerTail(options);
    const record = upTo > 0 ? await readRecord(options, upTo) : undefined;
    const facts: SealFacts = {
      n: (previous?.n ?? 0) + 1,
      upTo,
      recordHash: record?.hash ?? genesisHash,
      prevSignature: previous?.signature ?? genesisSignature,
      at: options.now.toISOString(),
    };
    const signed = await kms(options.region).send(
      new SignCommand({
        KeyId: options.keyArn,
        Message: sealMessage(facts),
        MessageType: "RAW",
        SigningAlgorithm: SEAL_ALGORITHM,
      }),
    );
    if (!signed.Signature) throw new TypeError(`KMS Sign with ${options.keyArn} returned no signature`);
    const seal: Seal = {
      ...facts,
      keyId: signed.KeyId ?? options.keyArn,
      algorithm: SEAL_ALGORITHM,
      signature: Buffer.from(signed.Signature).toString("base64"),
    };
    try {
      await db(options).send(
        new PutCommand({
          TableName: options.table,
          Item: { pk: sealKey(seal.n), ...seal },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      // Another sealer took this number: seal again after theirs.
      if (error instanceof ConditionalCheckFailedException) continue;
      throw error;
    }
    await advanceSealHead(options, seal.n);
    return seal;
  }
  throw new ConcurrentModificationError(
    `the audit ledger ${options.table} could not be sealed after ${maxSealAttempts} attempts: other sealers kept taking the next number`,
    options.table,
  );
}

async function advanceSealHead(options: AuditStoreOptions, n: number): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { pk: "sealhead" },
        UpdateExpression: "SET lastSeal = :n",
        ConditionExpression: "attribute_not_exists(lastSeal) OR lastSeal < :n",
        ExpressionAttributeValues: { ":n": n },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
