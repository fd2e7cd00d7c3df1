import { type SandboxServiceName, unmodeled, validationError } from "./errors.js";
import type { Json } from "./json.js";
import { type CallContext, InputReader, type SandboxService, unsupported } from "./service.js";
import type { SandboxState } from "./state.js";

/**
 * AWS Config, as far as the sweep asks it: whether a recorder records the
 * ELBv2 and CloudFront types (DescribeConfigurationRecorders and its status),
 * and advanced query (SelectResourceConfig) over configuration items built
 * from the sandbox's live state, so what Config returns is what the account
 * holds. The query language is the subset the sweep writes:
 * `SELECT <fields> WHERE <path> = '<value>' [AND <path> IN ('<a>', ...)]`;
 * anything else is refused as AWS refuses a query it cannot parse.
 *
 * Item shapes follow Config's resource schema (awslabs/aws-config-resource-schema,
 * the properties advanced query knows): a listener's configuration in
 * CloudFormation's PascalCase (`configuration.LoadBalancerArn`), a load
 * balancer's and a distribution's in Config's camelCase (`configuration.dNSName`,
 * `...customOriginConfig.httpsPort`), tags as `{key, value}`. Property paths
 * match exactly as named, so a query in the wrong case finds nothing. CloudFront
 * is global: its items live in us-east-1 with awsRegion "global".
 */

export interface RecorderState {
  /** Types it records; ignored when allSupported. */
  resourceTypes: string[];
  allSupported: boolean;
  recordingFrequency: "CONTINUOUS" | "DAILY";
}

const SERVICE: SandboxServiceName = "config";
const SELECTABLE = new Set([
  "resourceId",
  "resourceType",
  "resourceName",
  "arn",
  "awsRegion",
  "accountId",
  "configurationItemStatus",
  "configuration",
  "supplementaryConfiguration",
  "tags",
]);
const MAX_LIMIT = 100;
const MAX_EXPRESSION = 4096;

/** Where Config's name of an API field is not the API's with its first letter lowered (its resource schema). */
const CONFIG_NAMES: Record<string, string> = {
  ARN: "arn",
  HTTPPort: "httpPort",
  HTTPSPort: "httpsPort",
  ACMCertificateArn: "acmCertificateArn",
  IAMCertificateId: "iamCertificateId",
  SSLSupportMethod: "sslSupportMethod",
};

/** An API shape under Config's camelCase names (DNSName -> dNSName, as the schema lists it). */
function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        CONFIG_NAMES[key] ?? key.charAt(0).toLowerCase() + key.slice(1),
        camelCaseKeys(v),
      ]),
    );
  }
  return value;
}

function regionOfArn(arn: string): string {
  return arn.split(":")[3] ?? "";
}

interface Item {
  resourceId: string;
  resourceType: string;
  resourceName: string;
  arn: string;
  awsRegion: string;
  accountId: string;
  /** What the recorder last saw: live state is always "OK" here. */
  configurationItemStatus: "OK";
  configuration: Json;
  supplementaryConfiguration: Json;
  tags: { key: string; value: string }[];
}

type Condition = { path: string; values: string[] };

function invalidExpression(message: string): Error {
  return unmodeled(SERVICE, "InvalidExpressionException", message);
}

/** `a = 'x'` or `a IN ('x', 'y')`, joined by AND. */
function parseQuery(expression: string): { fields: string[]; where: Condition[] } {
  const match = /^\s*SELECT\s+(.+?)\s+WHERE\s+(.+?)\s*$/is.exec(expression);
  if (!match?.[1] || !match[2]) throw invalidExpression(`Invalid query: ${expression.slice(0, 200)}`);
  const fields = match[1].split(",").map((f) => f.trim());
  for (const field of fields) {
    if (!SELECTABLE.has(field)) throw invalidExpression(`Invalid query: unknown field ${field}`);
  }
  const where = match[2].split(/\s+AND\s+/i).map((part): Condition => {
    const equals = /^([A-Za-z.]+)\s*=\s*'([^']*)'$/.exec(part.trim());
    if (equals?.[1] && equals[2] !== undefined) return { path: equals[1], values: [equals[2]] };
    const within = /^([A-Za-z.]+)\s+IN\s*\(\s*('[^']*'(?:\s*,\s*'[^']*')*)\s*\)$/i.exec(part.trim());
    if (within?.[1] && within[2]) {
      return { path: within[1], values: [...within[2].matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "") };
    }
    throw invalidExpression(`Invalid query: unsupported condition ${part.trim().slice(0, 200)}`);
  });
  return { fields, where };
}

/**
 * The values at a property path, matched name for name as the item spells it;
 * a path through an array reaches every element, as a Config condition on an
 * array property matches when any element does.
 */
function valuesAt(item: Item, path: string): unknown[] {
  let values: unknown[] = [item];
  for (const part of path.split(".")) {
    values = values
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .filter((value): value is Record<string, unknown> => value !== null && typeof value === "object")
      .map((record) => record[part])
      .filter((value) => value !== undefined);
  }
  return values.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

export class ConfigService implements SandboxService {
  readonly mutating = new Set<string>();

  constructor(
    private readonly recorder: RecorderState | undefined,
    private readonly account: string,
    private readonly current: () => SandboxState,
  ) {}

  handle(action: string, input: Json, ctx: CallContext): Json {
    const read = new InputReader(SERVICE, input);
    switch (action) {
      case "DescribeConfigurationRecorders":
        return { ConfigurationRecorders: this.recorder ? [this.recorderOutput(ctx.region)] : [] };
      case "DescribeConfigurationRecorderStatus":
        return {
          ConfigurationRecordersStatus: this.recorder
            ? [{ name: "default", recording: true, lastStatus: "SUCCESS" }]
            : [],
        };
      case "SelectResourceConfig":
        return this.select(read, ctx.region);
      default:
        throw unsupported(SERVICE, action);
    }
  }

  private recorderOutput(region: string): Json {
    const recorder = this.recorder as RecorderState;
    return {
      name: "default",
      arn: `arn:aws:config:${region}:${this.account}:configuration-recorder/default/sandbox`,
      roleARN: `arn:aws:iam::${this.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingMode: { recordingFrequency: recorder.recordingFrequency, recordingModeOverrides: [] },
      recordingScope: "PAID",
      recordingGroup: recorder.allSupported
        ? {
            allSupported: true,
            includeGlobalResourceTypes: true,
            recordingStrategy: { useOnly: "ALL_SUPPORTED_RESOURCE_TYPES" },
          }
        : {
            allSupported: false,
            includeGlobalResourceTypes: false,
            resourceTypes: [...recorder.resourceTypes],
            recordingStrategy: { useOnly: "INCLUSION_BY_RESOURCE_TYPES" },
          },
    };
  }

  private records(type: string): boolean {
    return (
      this.recorder !== undefined &&
      (this.recorder.allSupported || this.recorder.resourceTypes.includes(type))
    );
  }

  private select(read: InputReader, region: string): Json {
    const expression = read.requiredString("Expression");
    if (expression.length > MAX_EXPRESSION) {
      throw validationError(
        SERVICE,
        `1 validation error detected: Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXPRESSION}`,
      );
    }
    const requested = read.input.Limit;
    if (
      requested !== undefined &&
      (typeof requested !== "number" ||
        !Number.isInteger(requested) ||
        requested < 0 ||
        requested > MAX_LIMIT)
    ) {
      // One of the errors SelectResourceConfig documents, rather than a generic validation error.
      throw unmodeled(SERVICE, "InvalidLimitException", `Limit must be between 0 and ${MAX_LIMIT}`);
    }
    const limit = (requested as number | undefined) ?? MAX_LIMIT;
    const token = read.string("NextToken");
    const query = parseQuery(expression);
    const matching = this.items(region).filter((item) =>
      query.where.every((condition) =>
        valuesAt(item, condition.path).some((value) => condition.values.includes(String(value))),
      ),
    );
    let start = 0;
    if (token !== undefined) {
      const decoded = /^(\d+):(.*)$/s.exec(Buffer.from(token, "base64").toString("utf8"));
      if (!decoded?.[1] || decoded[2] !== expression) {
        throw unmodeled(SERVICE, "InvalidNextTokenException", "The nextToken provided is invalid");
      }
      start = Number(decoded[1]);
    }
    const size = limit === 0 ? MAX_LIMIT : limit;
    const end = start + size;
    const results = matching
      .slice(start, end)
      .map((item) => JSON.stringify(Object.fromEntries(query.fields.map((f) => [f, item[f as keyof Item]]))));
    return {
      Results: results,
      QueryInfo: { SelectFields: query.fields.map((Name) => ({ Name })) },
      ...(end < matching.length ? { NextToken: Buffer.from(`${end}:${expression}`).toString("base64") } : {}),
    };
  }

  /** The configuration items of the region, recorded types only, as of now. */
  private items(region: string): Item[] {
    const state = this.current();
    const items: Item[] = [];
    const tagsOf = (arn: string) =>
      (state.elbv2.tags.find((t) => t.ResourceArn === arn)?.Tags ?? []).map((t) => ({
        key: t.Key,
        value: t.Value ?? "",
      }));
    if (this.records("AWS::ElasticLoadBalancingV2::LoadBalancer")) {
      for (const lb of state.elbv2.loadBalancers) {
        if (regionOfArn(lb.LoadBalancerArn) !== region) continue;
        items.push({
          resourceId: lb.LoadBalancerArn,
          resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
          resourceName: lb.LoadBalancerName ?? "",
          arn: lb.LoadBalancerArn,
          awsRegion: region,
          accountId: this.account,
          configurationItemStatus: "OK",
          configuration: camelCaseKeys({
            ...(lb as Json),
            Type: lb.Type ?? (lb.LoadBalancerArn.includes(":loadbalancer/net/") ? "network" : "application"),
          }) as Json,
          supplementaryConfiguration: {},
          tags: tagsOf(lb.LoadBalancerArn),
        });
      }
    }
    if (this.records("AWS::ElasticLoadBalancingV2::Listener")) {
      for (const listener of state.elbv2.listeners) {
        if (regionOfArn(listener.ListenerArn) !== region) continue;
        items.push({
          resourceId: listener.ListenerArn,
          resourceType: "AWS::ElasticLoadBalancingV2::Listener",
          resourceName: listener.ListenerArn,
          arn: listener.ListenerArn,
          awsRegion: region,
          accountId: this.account,
          configurationItemStatus: "OK",
          configuration: listener as Json,
          supplementaryConfiguration: {},
          tags: tagsOf(listener.ListenerArn),
        });
      }
    }
    if (region === "us-east-1" && this.records("AWS::CloudFront::Distribution")) {
      for (const d of state.cloudfront.distributions) {
        const {
          Tags,
          ETag: _etag,
          ...distribution
        } = d as typeof d & { Tags?: { Key: string; Value?: string }[]; ETag?: string };
        items.push({
          resourceId: String(distribution.Id ?? ""),
          resourceType: "AWS::CloudFront::Distribution",
          resourceName: String(distribution.Id ?? ""),
          arn: String(distribution.ARN ?? ""),
          awsRegion: "global",
          accountId: this.account,
          configurationItemStatus: "OK",
          configuration: camelCaseKeys(distribution) as Json,
          supplementaryConfiguration: {},
          tags: (Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? "" })),
        });
      }
    }
    return items;
  }
}
