import {
  type DistributionConfig,
  type DistributionSummary,
  GetDistributionCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  type Listener,
  type LoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ControlClients } from "../lib/clients/controls.js";

/**
 * The account as one sweep page sees it: every control of the page runs its
 * own `listResources` and `collect` (so a snapshot is exactly what the
 * control reads, and its drift digest names the same workflow an event
 * would), but over clients that answer from what the page already listed and
 * make each distinct read once. Within the page, the account *is* the page:
 * listing load balancers or distributions returns the page's items and no
 * next marker, which is how each control lists only the page's resources.
 *
 * Tags are read only when some control of the page is scoped by tags: the
 * sweep uses them for scope alone (exemptions and ownership are the
 * workflow's, which reads them live), so otherwise they answer as untagged.
 * A page listed from AWS Config answers them from its items' recorded tags.
 */

interface Sendable {
  send(command: unknown): Promise<unknown>;
}

type CommandClass = abstract new (...args: never[]) => unknown;

/** One call per distinct (command, input) for the page's lifetime; a failure is not remembered. */
function memoized(real: Sendable, local: (command: unknown) => Promise<unknown> | undefined): Sendable {
  const memo = new Map<unknown, Map<string, Promise<unknown>>>();
  const send = (command: unknown): Promise<unknown> => {
    const answered = local(command);
    if (answered) return answered;
    const kind = (command as object).constructor;
    const key = JSON.stringify((command as { input?: unknown }).input ?? {});
    let byInput = memo.get(kind);
    if (!byInput) {
      byInput = new Map();
      memo.set(kind, byInput);
    }
    let pending = byInput.get(key);
    if (!pending) {
      const started = real.send(command);
      byInput.set(key, started);
      started.catch(() => byInput?.delete(key));
      pending = started;
    }
    return pending;
  };
  return { send };
}

function is<C extends CommandClass>(
  command: unknown,
  kind: C,
): command is InstanceType<C> & { input: never } {
  return command instanceof kind;
}

/** `...:listener/app/<lb>/<lb-id>/<listener-id>` -> `...:loadbalancer/app/<lb>/<lb-id>`. */
function loadBalancerOfListener(listenerArn: string): string | undefined {
  const match =
    /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener\/((?:app|net|gwy)\/[^/]+\/[^/]+)\/[^/]+$/.exec(
      listenerArn,
    );
  return match ? `${match[1]}loadbalancer/${match[2]}` : undefined;
}

export interface Elbv2Page {
  region: string;
  loadBalancers: LoadBalancer[];
  /** Listeners by load balancer, when the page's source listed them (AWS Config); else read per load balancer. */
  listeners?: Map<string, Listener[]>;
  /** Tags by ARN, when the page's source carried them (AWS Config items do); else DescribeTags. */
  recordedTags?: Map<string, Record<string, string>>;
  tagsNeeded: boolean;
}

/**
 * ELB's predefined TLS policies never change, so a warm function reads each
 * one once, whichever page asks (pages of one group run in one region).
 */
const predefinedPolicies = new WeakMap<object, Map<string, Promise<unknown>>>();

export interface CloudFrontPage {
  distributions: DistributionSummary[];
  /** Tags by distribution ARN, when the page's source carried them (AWS Config items do); else ListTagsForResource. */
  recordedTags?: Map<string, Record<string, string>>;
  tagsNeeded: boolean;
}

const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** What a distribution summary holds of its configuration: everything the CloudFront controls judge. */
const SUMMARY_CONFIG_FIELDS = [
  "Aliases",
  "Origins",
  "OriginGroups",
  "DefaultCacheBehavior",
  "CacheBehaviors",
  "CustomErrorResponses",
  "Comment",
  "PriceClass",
  "Enabled",
  "ViewerCertificate",
  "Restrictions",
  "WebACLId",
  "HttpVersion",
  "Staging",
] as const;

export function configOfSummary(summary: DistributionSummary): DistributionConfig {
  const config: Record<string, unknown> = {};
  for (const field of SUMMARY_CONFIG_FIELDS) {
    if (summary[field] !== undefined) config[field] = summary[field];
  }
  return config as unknown as DistributionConfig;
}

function elbv2Reads(real: Sendable, page: Elbv2Page): Sendable {
  const byArn = new Map(page.loadBalancers.map((lb) => [lb.LoadBalancerArn, lb]));
  const client: Sendable = memoized(real, (command) => {
    if (is(command, DescribeLoadBalancersCommand)) {
      const input = (command as { input: { LoadBalancerArns?: string[]; Names?: string[] } }).input;
      if (input.Names?.length) return undefined;
      if (!input.LoadBalancerArns?.length) return Promise.resolve({ LoadBalancers: page.loadBalancers });
      const found = input.LoadBalancerArns.map((arn) => byArn.get(arn));
      if (found.every((lb) => lb !== undefined)) return Promise.resolve({ LoadBalancers: found });
      return undefined;
    }
    if (is(command, DescribeListenersCommand)) {
      const input = (command as { input: { LoadBalancerArn?: string; Marker?: string } }).input;
      const listed =
        input.LoadBalancerArn && !input.Marker ? page.listeners?.get(input.LoadBalancerArn) : undefined;
      if (listed) return Promise.resolve({ Listeners: listed });
    }
    if (is(command, DescribeListenersCommand)) {
      const input = (command as { input: { ListenerArns?: string[] } }).input;
      const [arn, ...more] = input.ListenerArns ?? [];
      const owner = arn && more.length === 0 ? loadBalancerOfListener(arn) : undefined;
      if (!arn || !owner || !byArn.has(owner)) return undefined;
      return listenersOf(owner).then((listeners) => {
        const listener = listeners?.find((l) => l.ListenerArn === arn);
        // Not among what was listed (created since, or a long listener list): ask ELB itself.
        return listener ? { Listeners: [listener] } : real.send(command);
      });
    }
    if (is(command, DescribeSSLPoliciesCommand)) {
      // Per client: the function's clients live as long as it stays warm (and one region each).
      const byInput = predefinedPolicies.get(real) ?? new Map<string, Promise<unknown>>();
      predefinedPolicies.set(real, byInput);
      const key = JSON.stringify((command as { input: unknown }).input);
      let known = byInput.get(key);
      if (!known) {
        known = real.send(command);
        byInput.set(key, known);
        known.catch(() => byInput.delete(key));
      }
      return known;
    }
    if (is(command, DescribeTagsCommand)) {
      const arns = (command as { input: { ResourceArns?: string[] } }).input.ResourceArns ?? [];
      if (!page.tagsNeeded) {
        return Promise.resolve({ TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: [] })) });
      }
      const recorded = arns.map((arn) => page.recordedTags?.get(arn));
      if (arns.length > 0 && recorded.every((tags) => tags !== undefined)) {
        return Promise.resolve({
          TagDescriptions: arns.map((ResourceArn, i) => ({ ResourceArn, Tags: tagList(recorded[i] ?? {}) })),
        });
      }
    }
    return undefined;
  });
  // The same call listResources and collect make (listenersOf), so the memo serves both.
  const listenersOf = async (loadBalancerArn: string): Promise<Listener[] | undefined> => {
    const out = (await client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }))) as {
      Listeners?: Listener[];
      NextMarker?: string;
    };
    return out.NextMarker ? undefined : (out.Listeners ?? []);
  };
  return client;
}

function cloudFrontReads(real: Sendable, page: CloudFrontPage): Sendable {
  const byId = new Map(page.distributions.map((d) => [d.Id, d]));
  return memoized(real, (command) => {
    if (is(command, ListDistributionsCommand)) {
      const items = page.distributions;
      return Promise.resolve({
        DistributionList: {
          Marker: "",
          MaxItems: items.length,
          IsTruncated: false,
          Quantity: items.length,
          Items: items,
        },
      });
    }
    if (is(command, GetDistributionCommand)) {
      const summary = byId.get((command as { input: { Id?: string } }).input.Id);
      if (!summary) return undefined;
      return Promise.resolve({
        ETag: summary.ETag,
        Distribution: {
          Id: summary.Id,
          ARN: summary.ARN,
          Status: summary.Status,
          DomainName: summary.DomainName,
          LastModifiedTime: summary.LastModifiedTime,
          DistributionConfig: configOfSummary(summary),
        },
      });
    }
    if (is(command, ListTagsForResourceCommand)) {
      if (!page.tagsNeeded) return Promise.resolve({ Tags: { Items: [] } });
      const recorded = page.recordedTags?.get(
        (command as { input: { Resource?: string } }).input.Resource ?? "",
      );
      if (recorded) return Promise.resolve({ Tags: { Items: tagList(recorded) } });
    }
    return undefined;
  });
}

/** Clients for one page: ELBv2 (its region) and CloudFront answer from the page; others only memoize. */
export function pageClients<C extends ControlClients>(
  base: C,
  page: { elbv2?: Elbv2Page; cloudfront?: CloudFrontPage },
): C {
  const cache = new Map<string, Sendable>();
  const once = (key: string, make: () => Sendable): Sendable => {
    let client = cache.get(key);
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  };
  const asClient = <T>(client: Sendable): T => client as unknown as T;
  return {
    ...base,
    elbv2: (region) =>
      asClient(
        once(`elbv2:${region}`, () =>
          page.elbv2 && page.elbv2.region === region
            ? elbv2Reads(base.elbv2(region), page.elbv2)
            : memoized(base.elbv2(region), () => undefined),
        ),
      ),
    cloudfront: () =>
      asClient(
        once("cloudfront", () =>
          page.cloudfront
            ? cloudFrontReads(base.cloudfront(), page.cloudfront)
            : memoized(base.cloudfront(), () => undefined),
        ),
      ),
    wafv2: (region) => asClient(once(`wafv2:${region}`, () => memoized(base.wafv2(region), () => undefined))),
  };
}
