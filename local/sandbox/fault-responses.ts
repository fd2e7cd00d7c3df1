import { HttpResponse } from "@smithy/core/protocols";
import type { Fault } from "./faults.js";

/**
 * What AWS answers a throttled or failed attempt, on the wire and in the
 * request's own protocol, so that the SDK's deserializer builds the error
 * exactly as it builds AWS's: its class, `name`, `$fault`, `$metadata` and
 * `$retryable` are then what the SDK's retry strategy sees from AWS, for any
 * client, including ones added later.
 */

interface ErrorCode {
  code: string;
  status: number;
}

/**
 * Each service's own throttling error. SNS answers `Throttled` (HTTP 429,
 * which the SDK models as ThrottledException). KMS answers
 * `ThrottlingException` (HTTP 400): "You have exceeded the rate at which you
 * may call KMS" (AWS KMS Developer Guide, "Throttling AWS KMS requests").
 */
const throttling: Record<string, ErrorCode> = {
  elbv2: { code: "Throttling", status: 400 },
  cloudfront: { code: "Throttling", status: 400 },
  sts: { code: "Throttling", status: 400 },
  sns: { code: "Throttled", status: 429 },
  kms: { code: "ThrottlingException", status: 400 },
  dynamodb: { code: "ThrottlingException", status: 400 },
  sfn: { code: "ThrottlingException", status: 400 },
  wafv2: { code: "ThrottlingException", status: 400 },
  config: { code: "ThrottlingException", status: 400 },
};

const serverErrors: Record<500 | 503, ErrorCode & { message: string }> = {
  500: {
    code: "InternalFailure",
    status: 500,
    message: "We encountered an internal error. Please try again.",
  },
  503: {
    code: "ServiceUnavailable",
    status: 503,
    message: "Service is unavailable. Please try again later.",
  },
};

type Protocol = "json" | "query" | "rest-xml";

/** JSON protocols send a JSON body, awsQuery a form; what sends neither (CloudFront's GETs too) is REST-XML. */
function protocolOf(request: unknown): Protocol {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
  const contentType =
    Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  if (contentType.includes("json")) return "json";
  if (contentType.includes("x-www-form-urlencoded")) return "query";
  return "rest-xml";
}

function errorCode(fault: Fault, service: string, protocol: Protocol): ErrorCode & { message: string } {
  if (fault.kind === "server-error") return serverErrors[fault.status];
  const known = throttling[service] ?? {
    code: protocol === "json" ? "ThrottlingException" : "Throttling",
    status: 400,
  };
  return { ...known, message: "Rate exceeded" };
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function faultResponse(
  fault: Fault,
  service: string,
  request: unknown,
  requestId: string,
): HttpResponse {
  const protocol = protocolOf(request);
  const { code, status, message } = errorCode(fault, service, protocol);
  if (protocol === "json") {
    return new HttpResponse({
      statusCode: status,
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amzn-requestid": requestId,
        // REST-JSON services name the error in this header, awsJson ones in __type: both are set.
        "x-amzn-errortype": code,
      },
      body: Buffer.from(JSON.stringify({ __type: code, message })),
    });
  }
  const type = status >= 500 ? "Receiver" : "Sender";
  return new HttpResponse({
    statusCode: status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body: Buffer.from(
      `<?xml version="1.0"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${xml(requestId)}</RequestId></ErrorResponse>`,
    ),
  });
}
