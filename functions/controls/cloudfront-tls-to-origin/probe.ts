import { isIP } from "node:net";
import tls, { type PeerCertificate } from "node:tls";
import type { OriginProbe, ProbeResult } from "../types.js";

export interface TlsProbeOptions {
  /** The whole attempt (connect + handshake) must finish within this; a silent origin is unreachable. */
  timeoutMs?: number;
  /** Trust anchors replacing Node's bundled roots (tests trust their own CA). */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Address to connect to for a host name. SNI and certificate name checks still
   * use the origin's name, so tests can serve "origin.test" from 127.0.0.1.
   */
  lookupHost?: (host: string) => string | Promise<string>;
}

/** OpenSSL verification codes that mean the chain does not lead to a trusted root. */
const untrustedCodes = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REJECTED",
  "CERT_REVOKED",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "CERT_CHAIN_TOO_LONG",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
]);

/** The peer answered with TLS, but only with versions older than TLS 1.2. */
const oldVersionCodes = new Set([
  "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
  "ERR_SSL_UNSUPPORTED_PROTOCOL",
  "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
  "ERR_SSL_UNSUPPORTED_SSL_VERSION",
  "ERR_SSL_VERSION_TOO_LOW",
]);

/**
 * The peer answered with TLS but found nothing in common with a TLS 1.2+ offer:
 * on legacy origins that means old cipher suites, so it counts as too old.
 */
const noCommonCipherCodes = new Set([
  "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
  "ERR_SSL_NO_SHARED_CIPHER",
  "ERR_SSL_NO_CIPHERS_AVAILABLE",
  "ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY",
]);

/** What OpenSSL says when the bytes coming back are not TLS records at all (typically plain HTTP). */
const notTlsCodes = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
  "ERR_SSL_HTTPS_PROXY_REQUEST",
  "ERR_SSL_RECORD_LAYER_FAILURE",
  "ERR_SSL_UNKNOWN_PROTOCOL",
]);

function certificateSummary(cert: PeerCertificate | undefined): string {
  if (!cert || Object.keys(cert).length === 0) return "no certificate details";
  const name = (entity: Record<string, unknown> | undefined) =>
    entity
      ? Object.entries(entity)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(", ")
      : "?";
  const parts = [`subject ${name(cert.subject as unknown as Record<string, unknown>)}`];
  parts.push(`issuer ${name(cert.issuer as unknown as Record<string, unknown>)}`);
  if (cert.subjectaltname) parts.push(`names ${cert.subjectaltname}`);
  parts.push(`valid ${cert.valid_from} to ${cert.valid_to}`);
  return parts.join("; ");
}

function classifyCertificateError(code: string, host: string, message: string): ProbeResult | undefined {
  if (code === "CERT_HAS_EXPIRED")
    return { status: "invalid-certificate", detail: `expired certificate (${code})` };
  if (code === "CERT_NOT_YET_VALID") {
    return { status: "invalid-certificate", detail: `certificate not yet valid (${code})` };
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return {
      status: "invalid-certificate",
      detail: `wrong name: certificate is not valid for ${host} (${code}: ${message})`,
    };
  }
  if (code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN") {
    return { status: "invalid-certificate", detail: `untrusted: self-signed certificate (${code})` };
  }
  if (untrustedCodes.has(code)) {
    return { status: "invalid-certificate", detail: `untrusted certificate: ${message} (${code})` };
  }
  return undefined;
}

function classifyError(
  error: NodeJS.ErrnoException,
  context: { host: string; port: number; tcpConnected: boolean },
): ProbeResult {
  const code = error.code ?? "";
  const message = error.message.split("\n")[0] ?? "";
  const certificate = classifyCertificateError(code, context.host, message);
  if (certificate) return certificate;
  if (oldVersionCodes.has(code)) {
    return { status: "tls-too-old", detail: `the origin only speaks TLS versions older than 1.2 (${code})` };
  }
  if (noCommonCipherCodes.has(code)) {
    return {
      status: "tls-too-old",
      detail: `the origin aborted the TLS 1.2+ handshake: no cipher suite or parameters in common (${code})`,
    };
  }
  if (notTlsCodes.has(code)) {
    return { status: "no-https", detail: `the origin does not speak TLS on port ${context.port} (${code})` };
  }
  if (context.tcpConnected) {
    // The port accepted a connection, then hung up or failed mid-handshake:
    // something listens there, but not a TLS server CloudFront could use.
    return {
      status: "no-https",
      detail: `connection accepted on port ${context.port} but the TLS handshake failed: ${message}${code ? ` (${code})` : ""}`,
    };
  }
  return {
    status: "unreachable",
    detail: `cannot connect to ${context.host}:${context.port}: ${message}${code ? ` (${code})` : ""}`,
  };
}

/**
 * A real TLS handshake, as CloudFront would make it with OriginSslProtocols
 * TLSv1.2 and https-only: SNI with the origin name, TLS 1.2 or newer, a chain to
 * a trusted root and a certificate valid for that name. It never sends a request.
 */
export function createTlsProbe(options: TlsProbeOptions = {}): OriginProbe {
  const timeoutMs = options.timeoutMs ?? 5000;
  return async ({ host, port }) => {
    let address = host;
    if (options.lookupHost) {
      try {
        address = await options.lookupHost(host);
      } catch (error) {
        return { status: "unreachable", detail: `cannot resolve ${host}: ${(error as Error).message}` };
      }
    }
    return new Promise<ProbeResult>((resolve) => {
      let tcpConnected = false;
      let settled = false;
      let socket: tls.TLSSocket;
      try {
        socket = tls.connect({
          host: address,
          port,
          // RFC 6066 forbids IP literals as SNI; Node warns and drops them anyway.
          ...(isIP(host) ? {} : { servername: host }),
          minVersion: "TLSv1.2",
          rejectUnauthorized: true,
          ...(options.ca ? { ca: options.ca } : {}),
          // Connecting to a looked-up address must not change which name the certificate is checked against.
          checkServerIdentity: (_hostname, cert) => tls.checkServerIdentity(host, cert),
        });
      } catch (error) {
        // Invalid input (a port out of range) is thrown synchronously rather than emitted.
        resolve({
          status: "unreachable",
          detail: `cannot connect to ${host}:${port}: ${(error as Error).message}`,
        });
        return;
      }
      const finish = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      };
      const timer = setTimeout(() => {
        finish({
          status: "unreachable",
          detail: tcpConnected
            ? `connected to ${host}:${port} but no TLS handshake within ${timeoutMs} ms`
            : `no connection to ${host}:${port} within ${timeoutMs} ms`,
        });
      }, timeoutMs);
      socket.once("connect", () => {
        tcpConnected = true;
      });
      socket.once("secureConnect", () => {
        const protocol = socket.getProtocol() ?? "unknown";
        finish({
          status: "ok",
          protocol,
          detail: `${protocol} with ${socket.getCipher().name}; certificate ${certificateSummary(socket.getPeerCertificate())}`,
        });
      });
      socket.once("error", (error: NodeJS.ErrnoException) => {
        finish(classifyError(error, { host, port, tcpConnected }));
      });
      socket.once("close", () => {
        finish(
          tcpConnected
            ? {
                status: "no-https",
                detail: `connection accepted on port ${port} but closed before the TLS handshake finished`,
              }
            : {
                status: "unreachable",
                detail: `connection to ${host}:${port} closed before it was established`,
              },
        );
      });
    });
  };
}
