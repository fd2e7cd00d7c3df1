import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTlsProbe } from "../../../functions/controls/cloudfront-tls-to-origin/probe.js";
import type { OriginProbe } from "../../../functions/controls/types.js";
import {
  closedPort,
  createCa,
  createLeaf,
  type Pem,
  type Running,
  startHangUpServer,
  startHttpServer,
  startSilentServer,
  startTlsServer,
} from "./tls-servers.js";

const origin = "origin.test";
const day = 24 * 60 * 60 * 1000;

describe("cloudfront-tls-to-origin TLS probe against loopback servers", () => {
  let ca: Pem;
  const servers: Record<string, Running> = {};
  let probe: OriginProbe;

  beforeAll(async () => {
    ca = await createCa("driftwarden test CA");
    const otherCa = await createCa("someone else's CA");
    const now = Date.now();
    const [valid, wrongName, expired, notYetValid, selfSigned, foreign] = await Promise.all([
      createLeaf(origin, { ca }),
      createLeaf("elsewhere.test", { ca }),
      createLeaf(origin, { ca, notBefore: new Date(now - 10 * day), notAfter: new Date(now - day) }),
      createLeaf(origin, { ca, notBefore: new Date(now + day), notAfter: new Date(now + 10 * day) }),
      createLeaf(origin),
      createLeaf(origin, { ca: otherCa }),
    ]);
    servers.valid = await startTlsServer(valid);
    servers.tls12only = await startTlsServer({ ...valid, maxVersion: "TLSv1.2" });
    servers.wrongName = await startTlsServer(wrongName);
    servers.expired = await startTlsServer(expired);
    servers.notYetValid = await startTlsServer(notYetValid);
    servers.selfSigned = await startTlsServer(selfSigned);
    servers.foreign = await startTlsServer(foreign);
    // SECLEVEL=0 lets OpenSSL 3 actually offer TLS 1.0/1.1 server-side, like a legacy origin would.
    servers.tls11 = await startTlsServer({
      ...valid,
      minVersion: "TLSv1",
      maxVersion: "TLSv1.1",
      ciphers: "DEFAULT:@SECLEVEL=0",
    });
    servers.http = await startHttpServer();
    servers.silent = await startSilentServer();
    servers.hangUp = await startHangUpServer();
    probe = createTlsProbe({ timeoutMs: 2000, ca: ca.cert, lookupHost: () => "127.0.0.1" });
  });

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  it.each([
    { server: "valid", protocol: "TLSv1.3" },
    { server: "tls12only", protocol: "TLSv1.2" },
  ])("$server: ok with $protocol and the certificate in the detail", async ({ server, protocol }) => {
    // Prepare
    const port = servers[server]?.port ?? 0;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result).toMatchObject({ status: "ok", protocol });
    expect(result.detail).toContain(`subject CN=${origin}`);
    expect(result.detail).toContain("issuer CN=driftwarden test CA");
    expect(result.detail).toMatch(/valid .+ to .+/);
  });

  it.each([
    {
      server: "wrongName",
      detail:
        /wrong name: certificate is not valid for origin\.test \(ERR_TLS_CERT_ALTNAME_INVALID: .*DNS:elsewhere\.test\)/,
    },
    { server: "expired", detail: /expired certificate \(CERT_HAS_EXPIRED\)/ },
    { server: "notYetValid", detail: /not yet valid \(CERT_NOT_YET_VALID\)/ },
    { server: "selfSigned", detail: /untrusted: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/ },
    { server: "foreign", detail: /untrusted certificate: .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/ },
  ])("$server: invalid-certificate saying why", async ({ server, detail }) => {
    // Prepare
    const port = servers[server]?.port ?? 0;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result.status).toBe("invalid-certificate");
    expect(result.detail).toMatch(detail);
  });

  it("checks the name the origin is configured with, not the address it was reached at", async () => {
    // Prepare
    const port = servers.valid?.port ?? 0;

    // Act
    const result = await probe({ host: "api.origin.test", port });

    // Assess
    expect(result.status).toBe("invalid-certificate");
    expect(result.detail).toContain("api.origin.test");
  });

  it("tls-too-old when the server speaks at most TLS 1.1", async () => {
    // Prepare
    const port = servers.tls11?.port ?? 0;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    // Node 22's OpenSSL answers a TLS 1.2+ ClientHello with a protocol_version alert.
    expect(result.status).toBe("tls-too-old");
    expect(result.detail).toContain("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
  });

  it("no-https when the port speaks plain HTTP", async () => {
    // Prepare
    const port = servers.http?.port ?? 0;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result.status).toBe("no-https");
    expect(result.detail).toMatch(
      /does not speak TLS on port \d+ \((ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG)\)/,
    );
  });

  it("no-https when the port accepts the connection and hangs up before any TLS", async () => {
    // Prepare
    const port = servers.hangUp?.port ?? 0;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result.status).toBe("no-https");
    expect(result.detail).toContain(`connection accepted on port ${port}`);
  });

  it("unreachable when nothing listens on the port", async () => {
    // Prepare
    const port = await closedPort();

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result.status).toBe("unreachable");
    expect(result.detail).toContain("ECONNREFUSED");
  });

  it("unreachable within the timeout when the server never answers", async () => {
    // Prepare
    const port = servers.silent?.port ?? 0;
    const quick = createTlsProbe({ timeoutMs: 300, ca: ca.cert, lookupHost: () => "127.0.0.1" });
    const started = Date.now();

    // Act
    const result = await quick({ host: origin, port });

    // Assess
    const elapsed = Date.now() - started;
    expect(result.status).toBe("unreachable");
    expect(result.detail).toContain("no TLS handshake within 300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  it("unreachable when the name does not resolve", async () => {
    // Prepare
    const failing = createTlsProbe({
      timeoutMs: 500,
      lookupHost: () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND missing.test"), { code: "ENOTFOUND" });
      },
    });

    // Act
    const result = await failing({ host: "missing.test", port: 443 });

    // Assess
    expect(result).toEqual({
      status: "unreachable",
      detail: "cannot resolve missing.test: getaddrinfo ENOTFOUND missing.test",
    });
  });

  it("unreachable for a port that cannot exist", async () => {
    // Prepare
    const port = 70000;

    // Act
    const result = await probe({ host: origin, port });

    // Assess
    expect(result.status).toBe("unreachable");
  });

  it("trusts only the bundled roots without a ca option, so a private CA's certificate is untrusted", async () => {
    // Prepare
    const port = servers.valid?.port ?? 0;
    const publicRootsOnly = createTlsProbe({ timeoutMs: 2000, lookupHost: () => "127.0.0.1" });

    // Act
    const result = await publicRootsOnly({ host: origin, port });

    // Assess
    expect(result.status).toBe("invalid-certificate");
    expect(result.detail).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});
