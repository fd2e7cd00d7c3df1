import {
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from "node:crypto";
import {
  DisabledException,
  DryRunOperationException,
  InvalidKeyUsageException,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  NotFoundException,
  UnsupportedOperationException,
} from "@aws-sdk/client-kms";
import { modeled, unmodeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import type { Json } from "./json.js";
import { type CallContext, type SandboxService, unsupported } from "./service.js";

/**
 * AWS KMS for the keys driftwarden uses: HMAC keys (GenerateMac / VerifyMac)
 * that sign approval links, and asymmetric signing keys (Sign / Verify /
 * GetPublicKey) that seal the audit ledger. Key material never leaves the
 * stand-in, as it never leaves KMS. Requests are checked in the order KMS
 * checks them: parameters, the key, its state, its usage, then the algorithm.
 */
export const macAlgorithms = {
  HMAC_SHA_224: { spec: "HMAC_224", hash: "sha224" },
  HMAC_SHA_256: { spec: "HMAC_256", hash: "sha256" },
  HMAC_SHA_384: { spec: "HMAC_384", hash: "sha384" },
  HMAC_SHA_512: { spec: "HMAC_512", hash: "sha512" },
} as const;
type MacAlgorithm = keyof typeof macAlgorithms;

const signingAlgorithms = {
  ECDSA_SHA_256: { spec: "ECC_NIST_P256", hash: "sha256" },
  ECDSA_SHA_384: { spec: "ECC_NIST_P384", hash: "sha384" },
} as const;
type SigningAlgorithm = keyof typeof signingAlgorithms;

const hmacKeyBytes = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 } as const;
const curves = { ECC_NIST_P256: "P-256", ECC_NIST_P384: "P-384" } as const;

export type KmsKeySpec = keyof typeof hmacKeyBytes | keyof typeof curves;
type KeyUsage = "GENERATE_VERIFY_MAC" | "SIGN_VERIFY";

// KMS's limits for GenerateMac/VerifyMac and Sign/Verify messages, and for the MAC and signature blobs.
const MAX_MESSAGE_BYTES = 4096;
const MAX_MAC_BYTES = 6144;
const MAX_SIGNATURE_BYTES = 6144;

interface KmsKey {
  keyId: string;
  arn: string;
  region: string;
  spec: KmsKeySpec;
  usage: KeyUsage;
  description: string;
  enabled: boolean;
  createdAt: Date;
  secret?: Buffer;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f-]+)$/;

/** KMS speaks JSON: its validation errors are ValidationException (the query APIs' ValidationError). */
function member(path: string, value: unknown, constraint: string): Error {
  const shown = value === undefined || value === null ? "null" : `'${String(value)}'`;
  return unmodeled(
    "kms",
    "ValidationException",
    `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A blob member as the SDK hands it over (a Uint8Array; a string is sent as its UTF-8 bytes). */
function blob(input: Json, key: string, path: string, max: number): Buffer {
  const value = input[key];
  if (value === undefined || value === null) throw member(path, undefined, "Member must not be null");
  const bytes =
    typeof value === "string"
      ? Buffer.from(value, "utf8")
      : value instanceof Uint8Array
        ? Buffer.from(value)
        : undefined;
  if (!bytes) throw member(path, "<blob>", "Member must be a blob");
  if (bytes.length < 1) throw member(path, "<blob>", "Member must have length greater than or equal to 1");
  if (bytes.length > max) {
    throw member(path, "<blob>", `Member must have length less than or equal to ${max}`);
  }
  return bytes;
}

function requiredString(input: Json, key: string, path: string): string {
  const value = input[key];
  if (value === undefined || value === null || value === "") {
    throw member(path, undefined, "Member must not be null");
  }
  if (typeof value !== "string") throw member(path, value, "Member must be a string");
  return value;
}

function oneOf<T extends string>(input: Json, key: string, path: string, values: readonly T[]): T {
  const value = requiredString(input, key, path);
  if (!values.includes(value as T)) {
    throw member(path, value, `Member must satisfy enum value set: [${values.join(", ")}]`);
  }
  return value as T;
}

export class KmsService implements SandboxService {
  /** Key use is not an account change CloudTrail echoes to driftwarden's rules. */
  readonly mutating: ReadonlySet<string> = new Set();
  private readonly keys = new Map<string, KmsKey>();

  constructor(
    private readonly account: string,
    private readonly ids: IdSource,
    private readonly now: () => Date,
  ) {}

  handle(action: string, input: Json, ctx: CallContext): Json {
    switch (action) {
      case "CreateKey":
        return { KeyMetadata: this.metadata(this.create(input, ctx.region)) };
      case "DescribeKey":
        return { KeyMetadata: this.metadata(this.resolve(input, ctx.region)) };
      case "EnableKey":
      case "DisableKey": {
        const key = this.resolve(input, ctx.region);
        key.enabled = action === "EnableKey";
        return {};
      }
      case "GenerateMac":
        return this.generateMac(input, ctx.region);
      case "VerifyMac":
        return this.verifyMac(input, ctx.region);
      case "Sign":
        return this.sign(input, ctx.region);
      case "Verify":
        return this.verify(input, ctx.region);
      case "GetPublicKey":
        return this.getPublicKey(input, ctx.region);
      default:
        throw unsupported("kms", action);
    }
  }

  private create(input: Json, region: string): KmsKey {
    const spec = oneOf<KmsKeySpec>(input, "KeySpec", "keySpec", [
      ...(Object.keys(hmacKeyBytes) as KmsKeySpec[]),
      ...(Object.keys(curves) as KmsKeySpec[]),
    ]);
    const usage = oneOf<KeyUsage>(input, "KeyUsage", "keyUsage", ["GENERATE_VERIFY_MAC", "SIGN_VERIFY"]);
    const isHmac = spec in hmacKeyBytes;
    if (isHmac !== (usage === "GENERATE_VERIFY_MAC")) {
      throw unmodeled(
        "kms",
        "ValidationException",
        `KeyUsage ${usage} is not compatible with KeySpec ${spec}. ${isHmac ? "HMAC keys must use GENERATE_VERIFY_MAC." : "Only HMAC keys can use GENERATE_VERIFY_MAC."}`,
      );
    }
    const keyId = this.ids.uuid("kms-key");
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${region}:${this.account}:key/${keyId}`,
      region,
      spec,
      usage,
      description: typeof input.Description === "string" ? input.Description : "",
      enabled: true,
      createdAt: this.now(),
    };
    if (isHmac) {
      key.secret = randomBytes(hmacKeyBytes[spec as keyof typeof hmacKeyBytes]);
    } else {
      const pair = generateKeyPairSync("ec", { namedCurve: curves[spec as keyof typeof curves] });
      key.privateKey = pair.privateKey;
      key.publicKey = pair.publicKey;
    }
    this.keys.set(key.arn, key);
    return key;
  }

  /** A key id or key ARN of this account and region; KMS answers NotFoundException for anything else. */
  private resolve(input: Json, region: string): KmsKey {
    const given = requiredString(input, "KeyId", "keyId");
    let arn: string;
    const parsed = KEY_ARN.exec(given);
    if (parsed) arn = given;
    else if (KEY_ID.test(given)) arn = `arn:aws:kms:${region}:${this.account}:key/${given}`;
    else if (given.startsWith("alias/") || given.includes(":alias/")) {
      throw modeled(NotFoundException, `Alias ${given} is not found.`);
    } else throw modeled(NotFoundException, `Invalid keyId '${given}'`);
    const key = this.keys.get(arn);
    if (!key || key.region !== region) throw modeled(NotFoundException, `Key '${arn}' does not exist`);
    return key;
  }

  /** The key, usable now for `action`: enabled and of the usage the action needs. */
  private usable(input: Json, region: string, action: string, usage: KeyUsage): KmsKey {
    const key = this.resolve(input, region);
    if (!key.enabled) throw modeled(DisabledException, `${key.arn} is disabled.`);
    if (key.usage !== usage) {
      throw modeled(
        InvalidKeyUsageException,
        `${key.arn} key usage is ${key.usage} which is not valid for ${action}.`,
      );
    }
    return key;
  }

  private compatible(key: KmsKey, algorithm: string, spec: string): void {
    if (spec !== key.spec) {
      throw modeled(
        InvalidKeyUsageException,
        `Algorithm ${algorithm} is incompatible with key spec ${key.spec}.`,
      );
    }
  }

  private dryRun(input: Json, action: string): void {
    if (input.DryRun === true) {
      throw modeled(
        DryRunOperationException,
        `The request would have succeeded, but the DryRun option is set for ${action}.`,
      );
    }
  }

  private mac(input: Json, region: string, action: string) {
    const message = blob(input, "Message", "message", MAX_MESSAGE_BYTES);
    const algorithm = oneOf<MacAlgorithm>(
      input,
      "MacAlgorithm",
      "macAlgorithm",
      Object.keys(macAlgorithms) as MacAlgorithm[],
    );
    const key = this.usable(input, region, action, "GENERATE_VERIFY_MAC");
    this.compatible(key, algorithm, macAlgorithms[algorithm].spec);
    const mac = createHmac(macAlgorithms[algorithm].hash, key.secret as Buffer)
      .update(message)
      .digest();
    return { key, algorithm, mac };
  }

  private generateMac(input: Json, region: string): Json {
    const { key, algorithm, mac } = this.mac(input, region, "GenerateMac");
    this.dryRun(input, "GenerateMac");
    return { Mac: new Uint8Array(mac), MacAlgorithm: algorithm, KeyId: key.arn };
  }

  private verifyMac(input: Json, region: string): Json {
    const given = blob(input, "Mac", "mac", MAX_MAC_BYTES);
    const { key, algorithm, mac } = this.mac(input, region, "VerifyMac");
    // KMS does not answer MacValid: false; a MAC that does not match is an error.
    if (given.length !== mac.length || !timingSafeEqual(given, mac)) {
      throw modeled(KMSInvalidMacException, "");
    }
    this.dryRun(input, "VerifyMac");
    return { KeyId: key.arn, MacValid: true, MacAlgorithm: algorithm };
  }

  private signing(input: Json, region: string, action: string) {
    const message = blob(input, "Message", "message", MAX_MESSAGE_BYTES);
    const algorithm = requiredString(input, "SigningAlgorithm", "signingAlgorithm");
    const messageType = input.MessageType ?? "RAW";
    if (messageType !== "RAW" && messageType !== "DIGEST") {
      throw member("messageType", messageType, "Member must satisfy enum value set: [RAW, DIGEST]");
    }
    const key = this.usable(input, region, action, "SIGN_VERIFY");
    const known = signingAlgorithms[algorithm as SigningAlgorithm];
    if (!known) {
      throw modeled(
        InvalidKeyUsageException,
        `Algorithm ${algorithm} is incompatible with key spec ${key.spec}.`,
      );
    }
    this.compatible(key, algorithm, known.spec);
    if (messageType === "DIGEST") {
      // Node's crypto cannot sign a precomputed digest with ECDSA; say so instead of signing something else.
      throw unmodeled(
        "kms",
        "InvalidAction",
        `The sandbox account does not implement kms:${action} with MessageType DIGEST`,
      );
    }
    return { key, algorithm: algorithm as SigningAlgorithm, message, hash: known.hash };
  }

  private sign(input: Json, region: string): Json {
    const { key, algorithm, message, hash } = this.signing(input, region, "Sign");
    this.dryRun(input, "Sign");
    // DER-encoded ECDSA signatures, as KMS returns them.
    const signature = sign(hash, message, key.privateKey as KeyObject);
    return { KeyId: key.arn, Signature: new Uint8Array(signature), SigningAlgorithm: algorithm };
  }

  private verify(input: Json, region: string): Json {
    const signature = blob(input, "Signature", "signature", MAX_SIGNATURE_BYTES);
    const { key, algorithm, message, hash } = this.signing(input, region, "Verify");
    let valid = false;
    try {
      valid = verify(hash, message, key.publicKey as KeyObject, signature);
    } catch {
      // Not a DER signature at all: as invalid as a wrong one.
    }
    if (!valid) throw modeled(KMSInvalidSignatureException, "");
    this.dryRun(input, "Verify");
    return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
  }

  private getPublicKey(input: Json, region: string): Json {
    const key = this.resolve(input, region);
    if (!key.enabled) throw modeled(DisabledException, `${key.arn} is disabled.`);
    if (!key.publicKey) {
      throw modeled(
        UnsupportedOperationException,
        `${key.arn} key usage is ${key.usage} which is not valid for GetPublicKey.`,
      );
    }
    const der = key.publicKey.export({ type: "spki", format: "der" });
    return {
      KeyId: key.arn,
      PublicKey: new Uint8Array(der),
      KeySpec: key.spec,
      CustomerMasterKeySpec: key.spec,
      KeyUsage: key.usage,
      SigningAlgorithms: Object.entries(signingAlgorithms)
        .filter(([, known]) => known.spec === key.spec)
        .map(([name]) => name),
    };
  }

  private metadata(key: KmsKey): Json {
    const hmac = key.usage === "GENERATE_VERIFY_MAC";
    return {
      AWSAccountId: this.account,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: key.createdAt,
      Enabled: key.enabled,
      Description: key.description,
      KeyUsage: key.usage,
      KeyState: key.enabled ? "Enabled" : "Disabled",
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      CustomerMasterKeySpec: key.spec,
      KeySpec: key.spec,
      MultiRegion: false,
      ...(hmac
        ? {
            MacAlgorithms: Object.entries(macAlgorithms)
              .filter(([, known]) => known.spec === key.spec)
              .map(([name]) => name),
          }
        : {
            SigningAlgorithms: Object.entries(signingAlgorithms)
              .filter(([, known]) => known.spec === key.spec)
              .map(([name]) => name),
          }),
    };
  }
}
