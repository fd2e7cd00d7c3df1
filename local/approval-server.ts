import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context } from "aws-lambda";
import {
  handler as approvalHandler,
  type FunctionUrlEvent,
  type FunctionUrlResult,
} from "../functions/approvals/endpoint.js";
import { asFunction } from "./invocation.js";
import { lambdaContext } from "./stepfunctions.js";

/**
 * The approval endpoint on 127.0.0.1: each node:http request becomes the
 * event a Lambda function URL would deliver (payload format 2.0), the
 * deployed handler answers it, and its result is written back as the
 * function URL would write it. A browser on this machine gets what on-call
 * gets from the deployed URL.
 */
export type FunctionUrlHandler = (event: FunctionUrlEvent, context: Context) => Promise<unknown>;

export interface ApprovalServerOptions {
  handler?: FunctionUrlHandler;
  host?: string;
  /** Preferred port; when it is taken, a free one is used (the returned `url` says which). */
  port?: number;
  /** Where a handler failure is reported (the browser only sees a 502, as from a function URL). */
  onError?: (error: unknown) => void;
}

export interface ApprovalServer {
  /** Base URL of the approval page (the `approvalUrl` the runtime signs links for). */
  url: string;
  close(): Promise<void>;
}

/**
 * Where `driftwarden demo` serves the approval page when the port is free;
 * `simulate` signs its emails' links for this address, so a report shows
 * links as a deployment's emails do.
 */
export const LOCAL_APPROVAL_PORT = 4780;
export const LOCAL_APPROVAL_URL = `http://127.0.0.1:${LOCAL_APPROVAL_PORT}/`;

// Function URLs refuse request payloads above 6 MB.
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** requestContext.time as function URLs print it: 12/Mar/2020:19:03:58 +0000. */
function requestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

// Function URLs pass text bodies as they are and base64-encode everything else (form posts included).
function isTextBody(contentType: string): boolean {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type === "application/xml" ||
    type === "application/javascript"
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function functionUrlEvent(
  req: IncomingMessage,
  body: Buffer,
  at: Date = new Date(),
): FunctionUrlEvent {
  const host = String(req.headers.host ?? "127.0.0.1");
  const url = new URL(req.url ?? "/", `http://${host}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "cookie") continue;
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
  const contentType = String(req.headers["content-type"] ?? "");
  const base64 = body.length > 0 && !isTextBody(contentType);
  const sourceIp = (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "driftwarden-local",
      domainName: host,
      domainPrefix: host.split(".")[0] ?? host,
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: String(req.headers["user-agent"] ?? ""),
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: requestTime(at),
      timeEpoch: at.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString(base64 ? "base64" : "utf8") } : {}),
    isBase64Encoded: base64,
  };
}

/** Writes a handler result as a function URL does, including its inference for non-structured results. */
export function writeResult(res: ServerResponse, result: unknown): void {
  const structured =
    result !== null && typeof result === "object" && "statusCode" in (result as Record<string, unknown>);
  if (!structured) {
    const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
    return;
  }
  const out = result as FunctionUrlResult;
  const headers: Record<string, string | number | boolean | string[]> = { ...(out.headers ?? {}) };
  if (out.cookies?.length) headers["set-cookie"] = out.cookies;
  const body = out.body ? Buffer.from(out.body, out.isBase64Encoded ? "base64" : "utf8") : Buffer.alloc(0);
  headers["content-length"] = body.length;
  res.writeHead(out.statusCode ?? 200, headers as Record<string, string | string[]>);
  res.end(res.req.method === "HEAD" ? undefined : body);
}

export async function startApprovalServer(options: ApprovalServerOptions = {}): Promise<ApprovalServer> {
  const deployed = approvalHandler as unknown as FunctionUrlHandler;
  const handler: FunctionUrlHandler =
    options.handler ?? ((event, context) => asFunction("approvalEndpoint", () => deployed(event, context)));
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.stderr.write(`approval server: ${(error as Error).stack ?? String(error)}\n`));
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (body === "too-large") {
        res.writeHead(413, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Request Entity Too Large" }));
        return;
      }
      try {
        const result = await handler(functionUrlEvent(req, body), lambdaContext("driftwarden-approvals"));
        writeResult(res, result);
      } catch (error) {
        onError(error);
        // What a function URL answers when the function throws.
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Internal Server Error" }));
      }
    })().catch((error: unknown) => {
      onError(error);
      res.destroy();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await listen(options.port ?? 0);
  } catch (error) {
    // The preferred port is taken (another demo, another program): any free port serves as well.
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || !options.port) throw error;
    await listen(0);
  }
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
