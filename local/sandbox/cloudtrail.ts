import { roleId, roleName, type SandboxIdentity } from "./identity.js";
import { alnumOf, uuidOf } from "./ids.js";
import { isRecord, type Json } from "./json.js";

/** A successful change to a protected resource, as the sandbox applied it. */
export interface Mutation {
  /** 1-based position among the account's mutations (failed calls count among theirs). */
  seq: number;
  service: "elbv2" | "cloudfront" | "wafv2";
  action: string;
  input: Json;
  output: Json;
  identity: SandboxIdentity;
  /** Region of the resource (us-east-1 for CloudFront). */
  region: string;
  /** ISO-8601 instant of the sandbox clock. */
  time: string;
  requestId: string;
}

// A type alias rather than an interface, so an envelope is assignable to Record<string, unknown> like any event.
export type CloudTrailEnvelope = {
  version: "0";
  id: string;
  "detail-type": "AWS API Call via CloudTrail";
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Json;
};

const SOURCES = {
  elbv2: {
    source: "aws.elasticloadbalancing",
    eventSource: "elasticloadbalancing.amazonaws.com",
    apiVersion: "2015-12-01",
    host: (region: string) => `elasticloadbalancing.${region}.amazonaws.com`,
  },
  cloudfront: {
    source: "aws.cloudfront",
    eventSource: "cloudfront.amazonaws.com",
    apiVersion: "2020_05_31",
    host: () => "cloudfront.amazonaws.com",
  },
  wafv2: {
    source: "aws.wafv2",
    eventSource: "wafv2.amazonaws.com",
    apiVersion: "2019-07-29",
    host: (region: string) => `wafv2.${region}.amazonaws.com`,
  },
} as const;

const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function seconds(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** CloudTrail prints timestamps inside request/response elements the Java way: "Mar 1, 2026 9:00:05 AM". */
function javaDate(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/**
 * Request and response elements as CloudTrail writes them: the SDK structure
 * with the first letter of every key lowercased (HTTPPort -> hTTPPort,
 * ETag -> eTag), and CloudFront's free-text `comment` withheld.
 */
export function trailElements(value: unknown, hideComment: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => trailElements(item, hideComment));
  if (value instanceof Date) return javaDate(value);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || key === "$metadata") continue;
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    out[name] =
      hideComment && name === "comment" && typeof member === "string"
        ? HIDDEN
        : trailElements(member, hideComment);
  }
  return out;
}

function userIdentity(identity: SandboxIdentity, creationDate: string): Json {
  const base = {
    type: identity.type,
    principalId: identity.principalId,
    arn: identity.arn,
    accountId: identity.accountId,
  };
  const key = (prefix: string) => `${prefix}${alnumOf(`access-key/${identity.principalId}`, 16)}`;
  switch (identity.type) {
    case "AssumedRole": {
      const issuer = identity.sessionIssuerArn ?? issuerOf(identity);
      return {
        ...base,
        accessKeyId: key("ASIA"),
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: identity.principalId.split(":")[0] || roleId(issuer),
            arn: issuer,
            accountId: identity.accountId,
            userName: roleName(issuer),
          },
          webIdFederationData: {},
          attributes: { creationDate, mfaAuthenticated: "false" },
        },
      };
    }
    case "IAMUser":
      return {
        ...base,
        accessKeyId: key("AKIA"),
        userName: identity.userName ?? identity.arn.split("/").pop(),
      };
    case "Root":
      return { ...base, accessKeyId: key("AKIA") };
    default:
      return { type: identity.type, invokedBy: identity.principalId };
  }
}

/** arn:aws:sts::<account>:assumed-role/<role>/<session> -> arn:aws:iam::<account>:role/<role> */
function issuerOf(identity: SandboxIdentity): string {
  const [, partition = "aws"] = /^arn:([^:]+):/.exec(identity.arn) ?? [];
  const role = identity.arn.split("/")[1] ?? "";
  return `arn:${partition}:iam::${identity.accountId}:role/${role}`;
}

/**
 * The EventBridge event AWS delivers for a change: "AWS API Call via
 * CloudTrail", in the resource's region (us-east-1 for CloudFront, the only
 * region where its CloudTrail events reach EventBridge). Ids derive from the
 * mutation, so the same run gives the same events.
 */
export function cloudTrailEvent(mutation: Mutation, account: string): CloudTrailEnvelope {
  const source = SOURCES[mutation.service];
  const time = seconds(mutation.time);
  const hide = mutation.service === "cloudfront";
  const response = trailElements(mutation.output, hide) as Json;
  const seed = `${account}/${mutation.seq}/${mutation.requestId}`;
  return {
    version: "0",
    id: uuidOf(`${seed}/envelope`),
    "detail-type": "AWS API Call via CloudTrail",
    source: source.source,
    account,
    time,
    region: mutation.region,
    resources: [],
    detail: {
      eventVersion: "1.11",
      userIdentity: userIdentity(mutation.identity, time),
      eventTime: time,
      eventSource: source.eventSource,
      eventName: mutation.action,
      awsRegion: mutation.region,
      sourceIPAddress: mutation.identity.sourceIp ?? "198.51.100.10",
      userAgent: mutation.identity.userAgent ?? "aws-sdk-js/3 driftwarden-sandbox",
      requestParameters: trailElements(mutation.input, hide),
      responseElements: Object.keys(response).length > 0 ? response : null,
      requestID: mutation.requestId,
      eventID: uuidOf(`${seed}/event`),
      readOnly: false,
      eventType: "AwsApiCall",
      apiVersion: source.apiVersion,
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: "Management",
      tlsDetails: {
        tlsVersion: "TLSv1.3",
        cipherSuite: "TLS_AES_128_GCM_SHA256",
        clientProvidedHostHeader: source.host(mutation.region),
      },
    },
  };
}

/** A mutating call AWS refused: CloudTrail records it too, with the error and no response. */
export interface FailedCall extends Omit<Mutation, "output"> {
  errorCode: string;
  errorMessage: string;
}

export function failedCallEvent(failure: FailedCall, account: string): CloudTrailEnvelope {
  const { errorCode, errorMessage, ...call } = failure;
  // Seeded apart from successful changes, so the ids never collide.
  const envelope = cloudTrailEvent({ ...call, output: {}, requestId: `${call.requestId}/failed` }, account);
  const detail = envelope.detail as Json;
  detail.requestID = call.requestId;
  detail.responseElements = null;
  detail.errorCode = errorCode;
  detail.errorMessage = errorMessage;
  return envelope;
}
