import { createPublicKey, verify } from "node:crypto";
import {
  CreateKeyCommand,
  DisabledException,
  DisableKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  KMSServiceException,
  NotFoundException,
  SignCommand,
  UnsupportedOperationException,
  VerifyCommand,
  VerifyMacCommand,
} from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import { failure, plugged } from "./helpers.js";

const region = "eu-west-1";
const kms = () => clients.kms(region);
const message = new TextEncoder().encode("approval-link\nabc\n1772442000");

function keys() {
  const sandbox = plugged();
  return {
    sandbox,
    hmac: sandbox.createKey("HMAC_256", "approval links", region),
    other: sandbox.createKey("HMAC_256", "another deployment", region),
    seal: sandbox.createKey("ECC_NIST_P256", "audit seals", region),
  };
}

async function macOf(keyId: string, text = message): Promise<Uint8Array> {
  const { Mac } = await kms().send(
    new GenerateMacCommand({ KeyId: keyId, Message: text, MacAlgorithm: "HMAC_SHA_256" }),
  );
  if (!Mac) throw new Error("no MAC");
  return Mac;
}

describe("KMS HMAC keys", () => {
  it("generate a 32-byte HMAC-SHA-256 that VerifyMac accepts for the same key and message", async () => {
    // Prepare
    const { hmac } = keys();

    // Act
    const mac = await macOf(hmac);
    const verified = await kms().send(
      new VerifyMacCommand({ KeyId: hmac, Message: message, Mac: mac, MacAlgorithm: "HMAC_SHA_256" }),
    );

    // Assess
    expect(mac).toHaveLength(32);
    expect(verified).toMatchObject({ KeyId: hmac, MacValid: true, MacAlgorithm: "HMAC_SHA_256" });
  });

  it.each([
    [
      "another message",
      async (_k: string, mac: Uint8Array) => ({ Message: new TextEncoder().encode("x"), Mac: mac }),
    ],
    [
      "a MAC from another key",
      async (_k: string, _m: Uint8Array, other: string) => ({ Message: message, Mac: await macOf(other) }),
    ],
    ["a truncated MAC", async (_k: string, mac: Uint8Array) => ({ Message: message, Mac: mac.slice(0, 16) })],
  ])("refuse %s with KMSInvalidMacException, never MacValid: false", async (_case, change) => {
    // Prepare
    const { hmac, other } = keys();
    const mac = await macOf(hmac);

    // Act
    const error = await failure(
      kms().send(
        new VerifyMacCommand({
          KeyId: hmac,
          MacAlgorithm: "HMAC_SHA_256",
          ...(await change(hmac, mac, other)),
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(KMSInvalidMacException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it.each([
    {
      name: "a key that does not exist",
      key: () => "arn:aws:kms:eu-west-1:111122223333:key/0b1f4e3a-0000-4000-8000-000000000000",
      type: NotFoundException,
      message:
        "Key 'arn:aws:kms:eu-west-1:111122223333:key/0b1f4e3a-0000-4000-8000-000000000000' does not exist",
    },
    {
      name: "a key of another region",
      key: (k: ReturnType<typeof keys>) => k.hmac.replace("eu-west-1", "us-east-1"),
      type: NotFoundException,
      message: "does not exist",
    },
    {
      name: "a signing key",
      key: (k: ReturnType<typeof keys>) => k.seal,
      type: InvalidKeyUsageException,
      message: "key usage is SIGN_VERIFY which is not valid for GenerateMac.",
    },
  ])("refuse GenerateMac with $name", async ({ key, type, message: text }) => {
    // Prepare
    const k = keys();

    // Act
    const error = await failure(
      kms().send(new GenerateMacCommand({ KeyId: key(k), Message: message, MacAlgorithm: "HMAC_SHA_256" })),
    );

    // Assess
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(text);
  });

  it("refuse a MAC algorithm the key spec does not support", async () => {
    // Prepare
    const { hmac } = keys();

    // Act
    const error = await failure(
      kms().send(new GenerateMacCommand({ KeyId: hmac, Message: message, MacAlgorithm: "HMAC_SHA_384" })),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidKeyUsageException);
  });

  it("refuse a message over 4096 bytes with a ValidationException", async () => {
    // Prepare
    const { hmac } = keys();

    // Act
    const error = await failure(
      kms().send(
        new GenerateMacCommand({ KeyId: hmac, Message: new Uint8Array(4097), MacAlgorithm: "HMAC_SHA_256" }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(KMSServiceException);
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain("Member must have length less than or equal to 4096");
  });

  it("stop working once disabled", async () => {
    // Prepare
    const { hmac } = keys();
    const mac = await macOf(hmac);
    await kms().send(new DisableKeyCommand({ KeyId: hmac }));

    // Act
    const error = await failure(
      kms().send(
        new VerifyMacCommand({ KeyId: hmac, Message: message, Mac: mac, MacAlgorithm: "HMAC_SHA_256" }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(DisabledException);
    expect(error.message).toBe(`${hmac} is disabled.`);
  });

  it("cannot be created with a signing key usage", async () => {
    // Prepare
    plugged();

    // Act
    const error = await failure(
      kms().send(new CreateKeyCommand({ KeySpec: "HMAC_256", KeyUsage: "SIGN_VERIFY" })),
    );

    // Assess
    expect(error.name).toBe("ValidationException");
  });
});

describe("KMS asymmetric signing keys", () => {
  it("sign with ECDSA_SHA_256; the public key verifies the signature outside KMS, and Verify agrees", async () => {
    // Prepare
    const { seal } = keys();

    // Act
    const { Signature } = await kms().send(
      new SignCommand({
        KeyId: seal,
        Message: message,
        MessageType: "RAW",
        SigningAlgorithm: "ECDSA_SHA_256",
      }),
    );
    const published = await kms().send(new GetPublicKeyCommand({ KeyId: seal }));
    const verified = await kms().send(
      new VerifyCommand({
        KeyId: seal,
        Message: message,
        Signature,
        SigningAlgorithm: "ECDSA_SHA_256",
      }),
    );

    // Assess
    const publicKey = createPublicKey({
      key: Buffer.from(published.PublicKey ?? []),
      format: "der",
      type: "spki",
    });
    expect(verify("sha256", message, publicKey, Buffer.from(Signature ?? []))).toBe(true);
    expect(published).toMatchObject({
      KeyId: seal,
      KeySpec: "ECC_NIST_P256",
      KeyUsage: "SIGN_VERIFY",
      SigningAlgorithms: ["ECDSA_SHA_256"],
    });
    expect(verified).toMatchObject({ SignatureValid: true, SigningAlgorithm: "ECDSA_SHA_256" });
  });

  it("refuse a signature of another message with KMSInvalidSignatureException", async () => {
    // Prepare
    const { seal } = keys();
    const { Signature } = await kms().send(
      new SignCommand({ KeyId: seal, Message: message, SigningAlgorithm: "ECDSA_SHA_256" }),
    );

    // Act
    const error = await failure(
      kms().send(
        new VerifyCommand({
          KeyId: seal,
          Message: new TextEncoder().encode("seal #2"),
          Signature,
          SigningAlgorithm: "ECDSA_SHA_256",
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(KMSInvalidSignatureException);
  });

  it.each([
    [
      "Sign on an HMAC key",
      (k: ReturnType<typeof keys>) =>
        new SignCommand({ KeyId: k.hmac, Message: message, SigningAlgorithm: "ECDSA_SHA_256" }),
      InvalidKeyUsageException,
    ],
    [
      "GetPublicKey of an HMAC key",
      (k: ReturnType<typeof keys>) => new GetPublicKeyCommand({ KeyId: k.hmac }),
      UnsupportedOperationException,
    ],
    [
      "an RSA algorithm on an ECC key",
      (k: ReturnType<typeof keys>) =>
        new SignCommand({ KeyId: k.seal, Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" }),
      InvalidKeyUsageException,
    ],
  ] as const)("refuse %s", async (_case, command, type) => {
    // Prepare
    const k = keys();

    // Act
    const error = await failure(kms().send(command(k) as never));

    // Assess
    expect(error).toBeInstanceOf(type);
  });
});
