import type { DistributionSummary } from "@aws-sdk/client-cloudfront";
import { SelectResourceConfigCommand } from "@aws-sdk/client-config-service";
import type { Listener, LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Clients } from "../lib/aws.js";
import { pacedTurn } from "./config-pace.js";

/**
 * A sweep page from AWS Config's advanced query: a hundred resources and
 * their recorded configuration per call, instead of a describe call per
 * resource. An item says what Config last recorded; the workflow re-reads
 * live state before it changes anything.
 *
 * Config names an item's fields its own way (awslabs/aws-config-resource-schema):
 * a listener's as CloudFormation does (`configuration.LoadBalancerArn`), a load
 * balancer's and a distribution's as the API's with the first letter lowered
 * (`configuration.dNSName`), except where the API name starts with an acronym
 * (`httpsPort` for HTTPSPort). Query paths use Config's names; items are
 * turned back into the API's shapes before any control sees them.
 */

/**
 * Items of resources that exist: Config keeps a deleted resource's last item
 * (ResourceDeleted), which no sweep should judge.
 */
const EXISTING = "configurationItemStatus IN ('OK', 'ResourceDiscovered')";

/** Config's page maximum for SelectResourceConfig. */
export const CONFIG_PAGE_SIZE = 100;
/** Load balancers per listener query: keeps the expression under Config's 4,096 characters. */
const ARNS_PER_QUERY = 20;

interface Page<T> {
  items: T[];
  next: string | null;
}

async function select(
  clients: Pick<Clients, "config">,
  region: string,
  expression: string,
  token: string | null,
): Promise<Page<Record<string, unknown>>> {
  const client = clients.config(region);
  await pacedTurn(client);
  const out = await client.send(
    new SelectResourceConfigCommand({
      Expression: expression,
      Limit: CONFIG_PAGE_SIZE,
      NextToken: token ?? undefined,
    }),
  );
  return {
    items: (out.Results ?? []).map((result) => JSON.parse(result) as Record<string, unknown>),
    next: out.NextToken ?? null,
  };
}

async function selectAll(clients: Pick<Clients, "config">, region: string, expression: string) {
  const items: Record<string, unknown>[] = [];
  let token: string | null = null;
  do {
    const page = await select(clients, region, expression, token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}

/** ARNs come from Config's own items, but a quote would still end the literal: refuse it rather than run it. */
function literal(value: string): string {
  if (value.includes("'")) throw new Error(`cannot query Config for ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/** Tags as Config records them on an item, `[{key, value}]`, by the resource's ARN. */
export type RecordedTags = Map<string, Record<string, string>>;

function recordTags(tags: RecordedTags, arn: string | undefined, item: Record<string, unknown>): void {
  if (!arn || !Array.isArray(item.tags)) return;
  const pairs = (item.tags as { key?: unknown; value?: unknown }[])
    .filter((tag) => typeof tag.key === "string")
    .map((tag) => [tag.key as string, typeof tag.value === "string" ? tag.value : ""]);
  tags.set(arn, Object.fromEntries(pairs));
}

export async function configLoadBalancerPage(
  clients: Pick<Clients, "config">,
  region: string,
  token: string | null,
): Promise<{
  loadBalancers: LoadBalancer[];
  listeners: Map<string, Listener[]>;
  tags: RecordedTags;
  next: string | null;
}> {
  const page = await select(
    clients,
    region,
    `SELECT configuration, tags WHERE resourceType = 'AWS::ElasticLoadBalancingV2::LoadBalancer' AND ${EXISTING}`,
    token,
  );
  const tags: RecordedTags = new Map();
  const loadBalancers = page.items.map((item) => {
    const lb = apiShape(item.configuration) as LoadBalancer;
    recordTags(tags, lb.LoadBalancerArn, item);
    return lb;
  });
  const listeners = new Map<string, Listener[]>(
    loadBalancers.map((lb) => [lb.LoadBalancerArn as string, [] as Listener[]]),
  );
  const arns = [...listeners.keys()];
  for (let i = 0; i < arns.length; i += ARNS_PER_QUERY) {
    const chunk = arns
      .slice(i, i + ARNS_PER_QUERY)
      .map(literal)
      .join(", ");
    const items = await selectAll(
      clients,
      region,
      `SELECT configuration, tags WHERE resourceType = 'AWS::ElasticLoadBalancingV2::Listener' AND ${EXISTING} AND configuration.LoadBalancerArn IN (${chunk})`,
    );
    for (const item of items) {
      const listener = apiShape(item.configuration) as Listener;
      recordTags(tags, listener.ListenerArn, item);
      listeners.get(listener.LoadBalancerArn as string)?.push(listener);
    }
  }
  return { loadBalancers, listeners, tags, next: page.next };
}

/** Config's names of API fields that start with an acronym; every other name only lowers its first letter. */
const ACRONYM_FIELDS: Record<string, string> = {
  arn: "ARN",
  httpPort: "HTTPPort",
  httpsPort: "HTTPSPort",
  acmCertificateArn: "ACMCertificateArn",
  iamCertificateId: "IAMCertificateId",
  sslSupportMethod: "SSLSupportMethod",
};

/** An item's configuration with the API's field names; names already in the API's form stay as they are. */
export function apiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiShape);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        ACRONYM_FIELDS[key] ?? key.charAt(0).toUpperCase() + key.slice(1),
        apiShape(v),
      ]),
    );
  }
  return value;
}

export async function configDistributionPage(
  clients: Pick<Clients, "config">,
  token: string | null,
): Promise<{ distributions: DistributionSummary[]; tags: RecordedTags; next: string | null }> {
  const page = await select(
    clients,
    "us-east-1",
    `SELECT configuration, tags WHERE resourceType = 'AWS::CloudFront::Distribution' AND ${EXISTING}`,
    token,
  );
  const tags: RecordedTags = new Map();
  const distributions = page.items.map((item) => {
    const { DistributionConfig, ...distribution } = apiShape(item.configuration) as Record<
      string,
      unknown
    > & {
      DistributionConfig?: Record<string, unknown>;
    };
    const summary = { ...DistributionConfig, ...distribution } as unknown as DistributionSummary;
    recordTags(tags, summary.ARN, item);
    return summary;
  });
  return { distributions, tags, next: page.next };
}
