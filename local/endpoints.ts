import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalRuntime } from "./runtime.js";
import type { SandboxIdentity } from "./sandbox/identity.js";

/**
 * AWS endpoints on loopback for the calls the CLI makes, spoken in the real
 * wire protocols so the unmodified SDK clients of another process
 * (`driftwarden approve` in a second terminal) can talk to a running local
 * runtime: Step Functions (awsJson1_0), KMS (awsJson1_1: `audit verify` reads
 * the seal key), STS GetCallerIdentity (awsQuery), and DynamoDB passed through
 * to the runtime's DynamoDB-compatible server, so one endpoint URL serves every
 * client.
 *
 * Every response carries the local account's clock in its `Date` header, as
 * AWS responses carry AWS's: the local account keeps its own time, and a
 * client in another process learns it from there.
 */
export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export interface LocalEndpointsOptions {
  /** Answers a Step Functions API action the way the SDK client expects its output. */
  stepFunctions: (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Answers a KMS API action (blobs as Uint8Array both ways, as the SDK client has them). */
  kms?: (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Who the caller is, as STS GetCallerIdentity answers. */
  callerIdentity: () => Promise<CallerIdentity>;
  /** The DynamoDB-compatible server (dynalite) DynamoDB requests are passed to. */
  dynamoEndpoint: string;
  clock: () => Date;
  host?: string;
  port?: number;
}

export interface LocalEndpoints {
  /** http://127.0.0.1:<port>: the `endpoint` for sfn, sts and DynamoDB clients. */
  endpoint: string;
  close(): Promise<void>;
}

const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const MAX_BODY_BYTES = 1024 * 1024;

function xml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

/** awsJson timestamps are epoch seconds and blobs base64; Date's and Uint8Array's own JSON forms would not deserialize. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => v !== undefined && key !== "$metadata")
        .map(([key, v]) => [key, toWire(v)]),
    );
  }
  return value;
}

// KMS request members that are blobs: base64 on the wire, bytes to the stand-in.
const KMS_BLOBS = ["Message", "Mac", "Signature", "Plaintext", "CiphertextBlob"];

function kmsFromWire(
  kms: NonNullable<LocalEndpointsOptions["kms"]>,
): (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown>> {
  return (action, input) => {
    const decoded = { ...input };
    for (const name of KMS_BLOBS) {
      const value = decoded[name];
      if (typeof value === "string") decoded[name] = new Uint8Array(Buffer.from(value, "base64"));
    }
    return kms(action, decoded);
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function errorName(error: unknown): string {
  return error instanceof Error && error.name && error.name !== "Error" ? error.name : "InternalFailure";
}

function isServerFault(error: unknown): boolean {
  return (error as { $fault?: string }).$fault === "server" || errorName(error) === "InternalFailure";
}

export async function startLocalEndpoints(options: LocalEndpointsOptions): Promise<LocalEndpoints> {
  const send = (
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    requestId: string,
  ): void => {
    res.writeHead(status, {
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      "x-amzn-requestid": requestId,
      date: options.clock().toUTCString(),
    });
    res.end(body);
  };

  const jsonService = async (
    res: ServerResponse,
    json: string,
    answer: (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>,
    action: string,
    body: Buffer,
    requestId: string,
  ) => {
    let input: Record<string, unknown>;
    try {
      input = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      send(
        res,
        400,
        json,
        JSON.stringify({ __type: "SerializationException", message: "not JSON" }),
        requestId,
      );
      return;
    }
    try {
      const output = await answer(action, input);
      send(res, 200, json, JSON.stringify(toWire(output)), requestId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      send(
        res,
        isServerFault(error) ? 500 : 400,
        json,
        JSON.stringify({ __type: errorName(error), message }),
        requestId,
      );
    }
  };

  const sts = async (res: ServerResponse, form: URLSearchParams, requestId: string) => {
    const action = form.get("Action") ?? "";
    const type = "text/xml";
    if (action !== "GetCallerIdentity") {
      const body = `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${xml(
        `Could not find operation ${action} for version 2011-06-15 (the local endpoint answers GetCallerIdentity only)`,
      )}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      send(res, 400, type, body, requestId);
      return;
    }
    const who = await options.callerIdentity();
    const body = `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>${xml(who.Arn)}</Arn>
    <UserId>${xml(who.UserId)}</UserId>
    <Account>${xml(who.Account)}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
    send(res, 200, type, body, requestId);
  };

  const dynamo = (req: IncomingMessage, res: ServerResponse, body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const target = new URL(options.dynamoEndpoint);
      const headers = { ...req.headers, host: target.host };
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, { ...reply.headers, date: options.clock().toUTCString() });
          reply.pipe(res);
          reply.on("end", resolve);
          reply.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    void (async () => {
      const body = await readBody(req);
      const target = String(req.headers["x-amz-target"] ?? "");
      const contentType = String(req.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim();
      if (req.method === "POST" && target.startsWith("AWSStepFunctions.")) {
        const action = target.slice("AWSStepFunctions.".length);
        await jsonService(res, "application/x-amz-json-1.0", options.stepFunctions, action, body, requestId);
      } else if (req.method === "POST" && target.startsWith("TrentService.") && options.kms) {
        await jsonService(
          res,
          "application/x-amz-json-1.1",
          kmsFromWire(options.kms),
          target.slice(13),
          body,
          requestId,
        );
      } else if (target.startsWith("DynamoDB_20120810.")) {
        await dynamo(req, res, body);
      } else if (req.method === "POST" && contentType === "application/x-www-form-urlencoded") {
        await sts(res, new URLSearchParams(body.toString("utf8")), requestId);
      } else {
        send(
          res,
          400,
          "application/x-amz-json-1.0",
          JSON.stringify({
            __type: "UnknownOperationException",
            message: `the local endpoint serves Step Functions, KMS, STS GetCallerIdentity and DynamoDB only (X-Amz-Target "${target}")`,
          }),
          requestId,
        );
      }
    })().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      send(
        res,
        500,
        "application/x-amz-json-1.0",
        JSON.stringify({ __type: "InternalFailure", message: (error as Error).message }),
        requestId,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The endpoints of a running local runtime, answering STS as `caller` (the demo's on-call person). */
export function startRuntimeEndpoints(
  runtime: LocalRuntime,
  caller: SandboxIdentity,
): Promise<LocalEndpoints> {
  return startLocalEndpoints({
    stepFunctions: (action, input) => runtime.stepFunctions(action, input),
    kms: async (action, input) =>
      (await runtime.sandbox.call("kms", action, input, caller)) as Record<string, unknown>,
    callerIdentity: async () =>
      (await runtime.sandbox.call("sts", "GetCallerIdentity", {}, caller)) as unknown as CallerIdentity,
    dynamoEndpoint: runtime.dynamo.endpoint,
    clock: () => runtime.clock.now(),
  });
}

/** What the CLI needs in its environment to act on this local runtime (cli/ reads it). */
export function localCliEnvironment(
  runtime: LocalRuntime,
  endpoints: LocalEndpoints,
): Record<string, string> {
  return {
    DRIFTWARDEN_LOCAL_ENDPOINT: endpoints.endpoint,
    DRIFTWARDEN_APPROVALS_TABLE: runtime.resources.approvalsTable,
    DRIFTWARDEN_EXEMPTIONS_TABLE: runtime.resources.exemptionsTable,
    DRIFTWARDEN_AUDIT_TABLE: runtime.resources.auditTable,
    DRIFTWARDEN_HISTORY_TABLE: runtime.resources.historyTable,
    DRIFTWARDEN_STATE_MACHINE_ARN: runtime.resources.stateMachineArn,
    DRIFTWARDEN_SWEEP_STATE_MACHINE_ARN: runtime.sweeper.stateMachineArn,
    ...(runtime.resources.auditSealKeyArn
      ? { DRIFTWARDEN_AUDIT_SEAL_KEY: runtime.resources.auditSealKeyArn }
      : {}),
    AWS_REGION: runtime.resources.region,
  };
}
