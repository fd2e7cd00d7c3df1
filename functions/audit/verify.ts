import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { GetPublicKeyCommand } from "@aws-sdk/client-kms";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../lib/clients/dynamo.js";
import { kms } from "../lib/clients/kms.js";
import { genesisSignature, type Seal, sealMessage } from "./seal.js";
import { type AuditStoreOptions, genesisHash, hashOf, type LedgerRecord } from "./store.js";

/**
 * `driftwarden audit verify`: re-computes every record's hash, checks that
 * sequence numbers run without a gap and each record names its predecessor's
 * hash, verifies every seal's signature with the deployment's seal key (its
 * public key from KMS GetPublicKey; never a key a seal names itself) and that
 * seals chain, and that what each seal covers is still there as it was signed.
 * Each finding names the record or seal it concerns.
 */
export type FindingKind =
  | "changed"
  | "missing"
  | "moved"
  | "unlinked"
  | "cut-off"
  | "rewritten"
  | "seal-forged"
  | "seal-foreign-key"
  | "seal-missing"
  | "seal-unlinked"
  | "seal-stale"
  | "never-sealed"
  | "unsealed";

export interface Finding {
  kind: FindingKind;
  /** False for what is expected between two seals (records newer than the last seal). */
  problem: boolean;
  seq?: number;
  seal?: number;
  message: string;
}

export interface VerifyReport {
  records: number;
  seals: number;
  lastSeal?: { n: number; upTo: number; at: string };
  findings: Finding[];
  ok: boolean;
}

export interface VerifyOptions extends AuditStoreOptions {
  /** The deployment's seal key (ARN): the only key whose seals count. */
  sealKeyArn: string;
  /** The deployment's time, taken once the ledger is read (a CLI learns a local runtime's clock from its answers). */
  now: Date | (() => Date);
  /** A last seal older than this means sealing stopped, or the newest seals were removed. */
  maxSealAgeSeconds: number;
}

interface LedgerItems {
  records: Map<number, LedgerRecord>;
  seals: Map<number, Seal>;
  headHint?: number;
  markers: number[];
}

const RECORD = /^seq#(\d{12})$/;
const SEAL = /^seal#(\d{12})$/;

async function readEverything(options: AuditStoreOptions): Promise<LedgerItems> {
  const items: LedgerItems = { records: new Map(), seals: new Map(), markers: [] };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo(options.region).send(
      new ScanCommand({ TableName: options.table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const { pk, ...rest } = item as { pk: string } & Record<string, unknown>;
      const record = RECORD.exec(pk);
      const seal = SEAL.exec(pk);
      if (record) items.records.set(Number(record[1]), rest as unknown as LedgerRecord);
      else if (seal) items.seals.set(Number(seal[1]), rest as unknown as Seal);
      else if (pk === "head" && typeof rest.lastSeq === "number") items.headHint = rest.lastSeq;
      else if (pk.startsWith("idem#") && typeof rest.seq === "number") items.markers.push(rest.seq);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function publicKey(options: VerifyOptions): Promise<KeyObject> {
  const result = await kms(options.region).send(new GetPublicKeyCommand({ KeyId: options.sealKeyArn }));
  if (!result.PublicKey) throw new TypeError(`KMS GetPublicKey of ${options.sealKeyArn} returned no key`);
  return createPublicKey({ key: Buffer.from(result.PublicKey), format: "der", type: "spki" });
}

/** `record 7 (execution run-7, outcome fixed, listener ..., at ...)`: enough to find it elsewhere. */
function describe(seq: number, record: LedgerRecord | undefined): string {
  if (!record) return `record ${seq}`;
  const what =
    record.kind === "exemption" || record.kind === "resume" ? record.entry : `outcome ${record.outcome}`;
  return `record ${seq} (${record.auditId}, ${what}, ${record.resource}, at ${record.at})`;
}

function ranges(numbers: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

const span = ([from, to]: [number, number], noun: string) =>
  from === to ? `${noun} ${from}` : `${noun}s ${from}-${to}`;

function checkRecords(items: LedgerItems, findings: Finding[]): number {
  const { records } = items;
  const last = Math.max(0, ...records.keys());
  const missing: number[] = [];
  for (let seq = 1; seq <= last; seq++) {
    const record = records.get(seq);
    if (!record) {
      missing.push(seq);
      continue;
    }
    if (record.seq !== seq) {
      findings.push({
        kind: "moved",
        problem: true,
        seq,
        message: `${describe(seq, record)} sits at position ${seq} but says it is record ${record.seq}: records were reordered or moved`,
      });
    }
    if (hashOf(record) !== record.hash) {
      findings.push({
        kind: "changed",
        problem: true,
        seq,
        message: `${describe(seq, record)} was changed: its content no longer matches its hash`,
      });
    }
    const previous = records.get(seq - 1);
    const expected = seq === 1 ? genesisHash : previous?.hash;
    if (expected !== undefined && record.prevHash !== expected) {
      findings.push({
        kind: "unlinked",
        problem: true,
        seq,
        message: `${describe(seq, record)} does not follow record ${seq - 1}: ${seq === 1 ? "the first record must start the chain" : `record ${seq - 1} was replaced, or records were reordered`}`,
      });
    }
  }
  for (const range of ranges(missing)) {
    findings.push({
      kind: "missing",
      problem: true,
      seq: range[0],
      message: `${span(range, "record")} ${range[0] === range[1] ? "is" : "are"} missing: deleted from the ledger`,
    });
  }
  // The head hint and the append markers are not trusted, but they remember records the ledger no longer has.
  const remembered = Math.max(items.headHint ?? 0, ...items.markers);
  if (remembered > last) {
    findings.push({
      kind: "cut-off",
      problem: true,
      seq: last + 1,
      message: `${span([last + 1, remembered], "record")} ${last + 1 === remembered ? "was" : "were"} written but ${last + 1 === remembered ? "is" : "are"} gone: the end of the ledger was cut off after record ${last}`,
    });
  }
  return last;
}

function checkSeals(
  items: LedgerItems,
  key: KeyObject,
  options: VerifyOptions,
  lastRecord: number,
  findings: Finding[],
): Seal | undefined {
  const { seals, records } = items;
  const last = Math.max(0, ...seals.keys());
  const missing: number[] = [];
  let latestGood: Seal | undefined;
  let previous: Seal | undefined;
  let coveredUpTo = 0;
  for (let n = 1; n <= last; n++) {
    const seal = seals.get(n);
    if (!seal) {
      missing.push(n);
      previous = undefined;
      continue;
    }
    if (seal.keyId !== options.sealKeyArn) {
      findings.push({
        kind: "seal-foreign-key",
        problem: true,
        seal: n,
        message: `seal ${n} names the key ${seal.keyId}, not this deployment's seal key ${options.sealKeyArn}: it was not made by driftwarden`,
      });
      previous = seal;
      continue;
    }
    let signed = false;
    try {
      signed =
        seal.n === n && verify("sha256", sealMessage(seal), key, Buffer.from(seal.signature, "base64"));
    } catch {
      signed = false;
    }
    if (!signed) {
      findings.push({
        kind: "seal-forged",
        problem: true,
        seal: n,
        message: `seal ${n} is forged or was changed: its signature does not verify with the seal key`,
      });
      previous = seal;
      continue;
    }
    const expectedPrev = n === 1 ? genesisSignature : previous?.signature;
    if (expectedPrev !== undefined && seal.prevSignature !== expectedPrev) {
      findings.push({
        kind: "seal-unlinked",
        problem: true,
        seal: n,
        message: `seal ${n} does not follow seal ${n - 1}: seals were replaced or reordered`,
      });
    }
    const record = records.get(seal.upTo);
    if (seal.upTo > 0 && !record) {
      findings.push({
        kind: "cut-off",
        problem: true,
        seq: seal.upTo,
        seal: n,
        message: `seal ${n} (${seal.at}) covers records up to ${seal.upTo}, but record ${seal.upTo} is gone${seal.upTo > lastRecord ? `: the ledger was cut off after record ${lastRecord}` : ""}`,
      });
    } else if (
      seal.upTo > 0 &&
      record &&
      (record.hash !== seal.recordHash || hashOf(record) !== seal.recordHash)
    ) {
      findings.push({
        kind: "rewritten",
        problem: true,
        seq: seal.upTo,
        seal: n,
        message: `${describe(seal.upTo, record)} is not the record seal ${n} signed: records ${coveredUpTo + 1}-${seal.upTo} were rewritten after ${seal.at}`,
      });
    }
    coveredUpTo = Math.max(coveredUpTo, seal.upTo);
    latestGood = seal;
    previous = seal;
  }
  for (const range of ranges(missing)) {
    findings.push({
      kind: "seal-missing",
      problem: true,
      seal: range[0],
      message: `${span(range, "seal")} ${range[0] === range[1] ? "is" : "are"} missing: deleted from the ledger`,
    });
  }
  return latestGood;
}

export async function verifyLedger(options: VerifyOptions): Promise<VerifyReport> {
  const items = await readEverything(options);
  const findings: Finding[] = [];
  const lastRecord = checkRecords(items, findings);
  const key = await publicKey(options);
  const lastSeal = checkSeals(items, key, options, lastRecord, findings);
  const at = typeof options.now === "function" ? options.now() : options.now;
  const maxAgeMs = options.maxSealAgeSeconds * 1000;
  if (lastSeal) {
    const age = at.getTime() - Date.parse(lastSeal.at);
    if (age > maxAgeMs) {
      findings.push({
        kind: "seal-stale",
        problem: true,
        seal: lastSeal.n,
        message: `the last seal (seal ${lastSeal.n}, ${lastSeal.at}) is older than ${Math.round(options.maxSealAgeSeconds / 60)} minutes: sealing stopped, or the newest seals were deleted along with the records after them`,
      });
    }
    if (lastRecord > lastSeal.upTo) {
      findings.push({
        kind: "unsealed",
        problem: false,
        seq: lastSeal.upTo + 1,
        message: `${span([lastSeal.upTo + 1, lastRecord], "record")} came after the last seal (${lastSeal.at}); the next seal covers ${lastSeal.upTo + 1 === lastRecord ? "it" : "them"}`,
      });
    }
  } else if (lastRecord > 0) {
    const first = items.records.get(1);
    const old = first ? at.getTime() - Date.parse(first.at) > maxAgeMs : true;
    findings.push({
      kind: "never-sealed",
      problem: old,
      message: old
        ? `the ledger holds ${lastRecord} records and no valid seal: sealing never ran, or every seal was removed`
        : `the ledger holds ${lastRecord} records, none sealed yet (the first seal is due within ${Math.round(options.maxSealAgeSeconds / 60)} minutes)`,
    });
  }
  findings.sort((a, b) => (a.seq ?? a.seal ?? 0) - (b.seq ?? b.seal ?? 0));
  return {
    records: items.records.size,
    seals: items.seals.size,
    ...(lastSeal ? { lastSeal: { n: lastSeal.n, upTo: lastSeal.upTo, at: lastSeal.at } } : {}),
    findings,
    ok: findings.every((finding) => !finding.problem),
  };
}
