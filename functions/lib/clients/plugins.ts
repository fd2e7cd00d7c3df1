import type { Pluggable } from "@smithy/types";

/**
 * Every AWS client driftwarden makes is built here, whichever per-service
 * module asks. A client plugin registered with `useClientPlugin` is applied to
 * each client as it is created: that is how the local runtime plugs its
 * sandbox account in under the SDK without the handlers knowing (nothing
 * deployed registers one). This module imports no SDK client itself, so a
 * function bundles only the clients of the services it calls.
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

/** The client of `service` in `region`, made once (until a plugin or endpoint changes) with every plugin applied. */
export function buildClient<T extends { middlewareStack: { use(p: AnyPlugin): void } }>(
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

/** A value derived from a built client (DynamoDB's document client), dropped with the clients. */
export function derivedClient<T>(key: string, create: () => T): T {
  const cached = cache.get(key);
  if (cached) return cached as T;
  const made = create();
  cache.set(key, made);
  return made;
}
