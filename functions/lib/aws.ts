import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { KMSClient } from "@aws-sdk/client-kms";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { WAFV2Client } from "@aws-sdk/client-wafv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Pluggable } from "@smithy/types";

/**
 * Every AWS client driftwarden uses comes from here. A client plugin registered
 * with `useClientPlugin` is applied to each client as it is created: that is how
 * the local runtime plugs its sandbox account in under the SDK without the
 * handlers knowing (nothing deployed registers one).
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK plugins are generic over every client's input/output union
type AnyPlugin = Pluggable<any, any>;

export type ServiceName =
  | "elbv2"
  | "cloudfront"
  | "sns"
  | "sts"
  | "sfn"
  | "dynamodb"
  | "kms"
  | "wafv2"
  | "config";

export interface ClientTarget {
  service: ServiceName;
  region: string;
}

export interface ClientPluginRegistration {
  /** Called for each new client with the service it talks to and its region. */
  plugin: (client: ClientTarget) => AnyPlugin;
  /**
   * Extra client configuration (endpoint, credentials, retry strategy) for
   * local stand-ins; a function gives each client its own (a retry strategy
   * holds per-client state, as the SDK's default one does).
   */
  config?: Record<string, unknown> | ((client: ClientTarget) => Record<string, unknown>);
}

/**
 * Attempts per call, the first included. The SDK's adaptive mode backs off
 * (throttling: up to 1 s, 2 s, 4 s, 8 s with full jitter) and slows the
 * client's own sending rate, so five attempts ride out a burst on the
 * control-plane APIs (ELBv2, CloudFront and WAF throttle at a few requests per
 * second, shared with every other tool in the account) and still leave a
 * minute-long Lambda time to finish. What gets past them is retried a level
 * up: Lambda's async retry for intake, the workflow's Retry for its steps.
 */
export const maxAttempts = 5;

const registrations: ClientPluginRegistration[] = [];
const cache = new Map<string, unknown>();

export function useClientPlugin(registration: ClientPluginRegistration): () => void {
  registrations.push(registration);
  cache.clear();
  return () => {
    const index = registrations.indexOf(registration);
    if (index >= 0) registrations.splice(index, 1);
    cache.clear();
  };
}

/** Endpoint/credential overrides for DynamoDB (a local DynamoDB-compatible server). */
let dynamoOverrides: Record<string, unknown> | undefined;
export function useDynamoEndpoint(overrides: Record<string, unknown> | undefined): void {
  dynamoOverrides = overrides;
  cache.clear();
}

function build<T extends { middlewareStack: { use(p: AnyPlugin): void } }>(
  service: ServiceName,
  region: string,
  create: (config: Record<string, unknown>) => T,
): T {
  const key = `${service}:${region}`;
  const cached = cache.get(key);
  if (cached) return cached as T;
  const target = { service, region };
  const merged: Record<string, unknown> = { region, retryMode: "adaptive", maxAttempts };
  for (const r of registrations) {
    Object.assign(merged, typeof r.config === "function" ? r.config(target) : r.config);
  }
  if (service === "dynamodb") Object.assign(merged, dynamoOverrides, { region });
  const client = create(merged);
  for (const r of registrations) client.middlewareStack.use(r.plugin(target));
  cache.set(key, client);
  return client;
}

export const clients = {
  elbv2: (region: string) => build("elbv2", region, (c) => new ElasticLoadBalancingV2Client(c)),
  /** CloudFront is global; its API lives in us-east-1. */
  cloudfront: () => build("cloudfront", "us-east-1", (c) => new CloudFrontClient(c)),
  sns: (region: string) => build("sns", region, (c) => new SNSClient(c)),
  sts: (region: string) => build("sts", region, (c) => new STSClient(c)),
  sfn: (region: string) => build("sfn", region, (c) => new SFNClient(c)),
  kms: (region: string) => build("kms", region, (c) => new KMSClient(c)),
  /** Web ACLs of CloudFront scope are managed through us-east-1; regional ones in their region. */
  wafv2: (region: string) => build("wafv2", region, (c) => new WAFV2Client(c)),
  config: (region: string) => build("config", region, (c) => new ConfigServiceClient(c)),
  dynamo: (region: string) => {
    const key = `dynamo-document:${region}`;
    const cached = cache.get(key);
    if (cached) return cached as DynamoDBDocumentClient;
    // The document client shares its base client's middleware stack, so plugins reach it too.
    const base = build("dynamodb", region, (c) => new DynamoDBClient(c));
    const doc = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
    cache.set(key, doc);
    return doc;
  },
};

export type Clients = typeof clients;
