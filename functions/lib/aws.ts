import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
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

export type ServiceName = "elbv2" | "cloudfront" | "sns" | "sts" | "sfn" | "wafv2";

export interface ClientPluginRegistration {
  /** Called for each new client with the service it talks to and its region. */
  plugin: (client: { service: ServiceName; region: string }) => AnyPlugin;
  /** Extra client configuration (endpoint, credentials) for local stand-ins. */
  config?: Record<string, unknown>;
}

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
  const merged: Record<string, unknown> = { region };
  for (const r of registrations) Object.assign(merged, r.config);
  const client = create(merged);
  for (const r of registrations) client.middlewareStack.use(r.plugin({ service, region }));
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
  /** Web ACLs of CloudFront scope are managed through us-east-1; regional ones in their region. */
  wafv2: (region: string) => build("wafv2", region, (c) => new WAFV2Client(c)),
  dynamo: (region: string) => {
    const key = `dynamo:${region}`;
    const cached = cache.get(key);
    if (cached) return cached as DynamoDBDocumentClient;
    const base = new DynamoDBClient({ region, ...dynamoOverrides });
    const doc = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
    cache.set(key, doc);
    return doc;
  },
};

export type Clients = typeof clients;
