import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import { generate } from "selfsigned";

/**
 * Certificates and loopback servers for probe tests. Everything is generated at
 * test time so that no private key ever lives in the repository.
 */
const day = 24 * 60 * 60 * 1000;

export interface Pem {
  key: string;
  cert: string;
}

export async function createCa(commonName: string): Promise<Pem> {
  const now = Date.now();
  const ca = await generate([{ name: "commonName", value: commonName }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(now - day),
    notAfterDate: new Date(now + 30 * day),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { key: ca.private, cert: ca.cert };
}

export interface LeafOptions {
  /** Signing CA; self-signed when absent. */
  ca?: Pem;
  notBefore?: Date;
  notAfter?: Date;
}

export async function createLeaf(dnsName: string, options: LeafOptions = {}): Promise<Pem> {
  const now = Date.now();
  const leaf = await generate([{ name: "commonName", value: dnsName }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: options.notBefore ?? new Date(now - day),
    notAfterDate: options.notAfter ?? new Date(now + 30 * day),
    ...(options.ca ? { ca: options.ca } : {}),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: dnsName }] },
    ],
  });
  return { key: leaf.private, cert: leaf.cert };
}

export interface Running {
  port: number;
  close: () => Promise<void>;
}

async function listen(server: net.Server, sockets: Set<net.Socket>): Promise<Running> {
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startTlsServer(options: tls.TlsOptions): Promise<Running> {
  const server = tls.createServer(options, (socket) => {
    socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  });
  // A client aborting a handshake it does not like is the expected outcome of most tests.
  server.on("tlsClientError", () => {});
  return listen(server, new Set());
}

export function startHttpServer(): Promise<Running> {
  const server = http.createServer((_request, response) => {
    response.end("plain http");
  });
  return listen(server, new Set());
}

/** Accepts TCP connections and never says a word: a hung origin or a black-holing middlebox. */
export function startSilentServer(): Promise<Running> {
  const server = net.createServer(() => {});
  return listen(server, new Set());
}

/** Accepts TCP connections and closes them at once, before any TLS: a port owned by something else. */
export function startHangUpServer(): Promise<Running> {
  const server = net.createServer((socket) => {
    socket.destroy();
  });
  return listen(server, new Set());
}

/** A loopback port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const running = await listen(net.createServer(), new Set());
  await running.close();
  return running.port;
}
