import { InvalidConfigurationRequestException } from "@aws-sdk/client-elastic-load-balancing-v2";
import { modeled, validationError } from "./errors.js";
import { InputReader } from "./service.js";

/**
 * Load balancer attributes as ELBv2 knows them: which keys exist for which
 * load balancer type, their defaults and the values AWS accepts. The key list
 * and defaults are the SDK's own LoadBalancerAttribute documentation
 * (@aws-sdk/client-elastic-load-balancing-v2, LoadBalancerAttribute.Key).
 */
export type LoadBalancerType = "application" | "network" | "gateway";
export type Attribute = { Key: string; Value: string };

interface AttributeSpec {
  types: readonly LoadBalancerType[];
  /** The value DescribeLoadBalancerAttributes shows before anyone sets it. */
  initial: (lb: { type: LoadBalancerType; scheme: string }) => string;
  /** Why `value` is refused, or undefined when AWS accepts it. */
  refuse: (value: string, current: string, type: LoadBalancerType) => string | undefined;
}

const ALL: readonly LoadBalancerType[] = ["application", "network", "gateway"];
const ALB_NLB: readonly LoadBalancerType[] = ["application", "network"];
const ALB: readonly LoadBalancerType[] = ["application"];
const NLB: readonly LoadBalancerType[] = ["network"];

const fixed = (value: string) => () => value;

const bool: AttributeSpec["refuse"] = (value) =>
  value === "true" || value === "false" ? undefined : "must be 'true' or 'false'";

const oneOf =
  (...allowed: string[]): AttributeSpec["refuse"] =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.map((a) => `'${a}'`).join(", ")}`;

const integer =
  (min: number, max: number): AttributeSpec["refuse"] =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}`;

const anyText: AttributeSpec["refuse"] = () => undefined;

function spec(
  types: readonly LoadBalancerType[],
  initial: AttributeSpec["initial"],
  refuse: AttributeSpec["refuse"],
): AttributeSpec {
  return { types, initial, refuse };
}

/** In the order DescribeLoadBalancerAttributes lists them. */
const CATALOG: ReadonlyMap<string, AttributeSpec> = new Map([
  ["access_logs.s3.enabled", spec(ALB_NLB, fixed("false"), bool)],
  ["access_logs.s3.bucket", spec(ALB_NLB, fixed(""), anyText)],
  ["access_logs.s3.prefix", spec(ALB_NLB, fixed(""), anyText)],
  ["idle_timeout.timeout_seconds", spec(ALB, fixed("60"), integer(1, 4000))],
  ["deletion_protection.enabled", spec(ALL, fixed("false"), bool)],
  ["routing.http2.enabled", spec(ALB, fixed("true"), bool)],
  ["routing.http.drop_invalid_header_fields.enabled", spec(ALB, fixed("false"), bool)],
  ["routing.http.xff_client_port.enabled", spec(ALB, fixed("false"), bool)],
  ["routing.http.preserve_host_header.enabled", spec(ALB, fixed("false"), bool)],
  [
    "routing.http.xff_header_processing.mode",
    spec(ALB, fixed("append"), oneOf("append", "preserve", "remove")),
  ],
  [
    "load_balancing.cross_zone.enabled",
    // Always on for an ALB ("can't be changed"); off by default for NLB and GWLB.
    spec(
      ALL,
      ({ type }) => String(type === "application"),
      (value, current, type) =>
        type === "application" && value === "false"
          ? "cannot be turned off for load balancers with type 'application'"
          : bool(value, current, type),
    ),
  ],
  [
    "routing.http.desync_mitigation_mode",
    spec(ALB, fixed("defensive"), oneOf("monitor", "defensive", "strictest")),
  ],
  ["client_keep_alive.seconds", spec(ALB, fixed("3600"), integer(60, 604_800))],
  ["waf.fail_open.enabled", spec(ALB, fixed("false"), bool)],
  ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled", spec(ALB, fixed("false"), bool)],
  ["zonal_shift.config.enabled", spec(ALB_NLB, fixed("false"), bool)],
  // Internet-facing load balancers accept IGW traffic; internal ones are shut off from it.
  ["ipv6.deny_all_igw_traffic", spec(ALB_NLB, ({ scheme }) => String(scheme === "internal"), bool)],
  ["connection_logs.s3.enabled", spec(ALB, fixed("false"), bool)],
  ["connection_logs.s3.bucket", spec(ALB, fixed(""), anyText)],
  ["connection_logs.s3.prefix", spec(ALB, fixed(""), anyText)],
  ["health_check_logs.s3.enabled", spec(ALB, fixed("false"), bool)],
  ["health_check_logs.s3.bucket", spec(ALB, fixed(""), anyText)],
  ["health_check_logs.s3.prefix", spec(ALB, fixed(""), anyText)],
  [
    "dns_record.client_routing_policy",
    spec(
      NLB,
      fixed("any_availability_zone"),
      oneOf("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"),
    ),
  ],
  [
    "secondary_ips.auto_assigned.per_subnet",
    spec(NLB, fixed("0"), (value, current, type) => {
      const range = integer(0, 7)(value, current, type);
      if (range) return range;
      return Number(value) < Number(current) ? `cannot be decreased (it is ${current})` : undefined;
    }),
  ],
]);

/** Log destinations that need their bucket once switched on. */
const LOG_SWITCHES = ["access_logs", "connection_logs", "health_check_logs"];

/** Every attribute of a fresh load balancer of this type, in AWS's order. */
export function defaultAttributes(type: LoadBalancerType, scheme: string): Attribute[] {
  const out: Attribute[] = [];
  for (const [Key, s] of CATALOG) {
    if (!s.types.includes(type)) continue;
    out.push({ Key, Value: s.initial({ type, scheme }) });
  }
  return out;
}

/** The stored overrides laid over the defaults, in AWS's order (unknown stored keys last). */
export function effectiveAttributes(
  type: LoadBalancerType,
  scheme: string,
  stored: Attribute[],
): Attribute[] {
  const merged = new Map(defaultAttributes(type, scheme).map((a) => [a.Key, a.Value]));
  for (const a of stored) merged.set(a.Key, a.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * The `Attributes` of a ModifyLoadBalancerAttributes request, checked as ELBv2
 * checks them. A key ELBv2 does not know is a ValidationError ("is not
 * recognized"); a key it knows for other types is InvalidConfigurationRequest
 * ("is not supported on load balancers with type 'network'"), the two wordings
 * AWS answers (seen in terraform-provider-aws, internal/service/elbv2). Gateway
 * load balancers answer "not recognized" even for ALB/NLB keys (a CloudTrail
 * record of ModifyLoadBalancerAttributes with access_logs.s3.enabled on a GWLB,
 * crossplane-contrib/provider-upjet-aws#2075). The wording of value refusals
 * is the sandbox's own; their error code is ValidationError.
 */
export function attributeChanges(
  entries: unknown[],
  type: LoadBalancerType,
  current: Attribute[],
): Attribute[] {
  if (entries.length > 20) {
    throw validationError(
      "elbv2",
      `1 validation error detected: Value '[${entries.length} attributes]' at 'attributes' failed to satisfy constraint: Member must have length less than or equal to 20`,
    );
  }
  const now = new Map(current.map((a) => [a.Key, a.Value]));
  const changes = entries.map((entry, i) => {
    const item = new InputReader("elbv2", entry as Record<string, unknown>);
    const at = (member: string) => `attributes.${i + 1}.member.${member}`;
    const key = item.string("Key");
    if (key === undefined || key === "") {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value null at '${at("key")}' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (key.length > 256 || !/^[a-zA-Z0-9._]+$/.test(key)) {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value '${key}' at '${at("key")}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$`,
      );
    }
    const value = item.string("Value") ?? "";
    if (value.length > 1024) {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value '${value.slice(0, 40)}...' at '${at("value")}' failed to satisfy constraint: Member must have length less than or equal to 1024`,
      );
    }
    const known = CATALOG.get(key);
    if (!known || (type === "gateway" && !known.types.includes(type))) {
      throw validationError("elbv2", `Load balancer attribute key '${key}' is not recognized`);
    }
    if (!known.types.includes(type)) {
      throw modeled(
        InvalidConfigurationRequestException,
        `Load balancer attribute key '${key}' is not supported on load balancers with type '${type}'`,
      );
    }
    const reason = known.refuse(value, now.get(key) ?? "", type);
    if (reason) {
      throw validationError(
        "elbv2",
        `Load balancer attribute '${key}' value '${value}' is not valid: ${reason}`,
      );
    }
    return { Key: key, Value: value };
  });
  for (const c of changes) now.set(c.Key, c.Value);
  for (const log of LOG_SWITCHES) {
    if (now.get(`${log}.s3.enabled`) === "true" && !now.get(`${log}.s3.bucket`)) {
      throw modeled(
        InvalidConfigurationRequestException,
        `The '${log}.s3.bucket' attribute must be set when '${log}.s3.enabled' is 'true'`,
      );
    }
  }
  return changes;
}

/** ModifyLoadBalancerAttributes' answer: the attributes just set first, then the rest (aws-cli's example). */
export function modifiedFirst(all: Attribute[], changes: Attribute[]): Attribute[] {
  const changed = new Set(changes.map((c) => c.Key));
  return [...all.filter((a) => changed.has(a.Key)), ...all.filter((a) => !changed.has(a.Key))];
}
