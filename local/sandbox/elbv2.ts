import {
  DuplicateListenerException,
  DuplicateTagKeysException,
  InvalidLoadBalancerActionException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  OperationNotPermittedException,
  PriorityInUseException,
  RuleNotFoundException,
  SSLPolicyNotFoundException,
  TargetGroupNotFoundException,
  TooManyTagsException,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { type ElbArn, elbTypeOfFlavor, listenerArnOfRule, parseElbArn } from "./arn.js";
import { modeled, validationError } from "./errors.js";
import { hash, type IdSource } from "./ids.js";
import { copy, isRecord, type Json } from "./json.js";
import {
  type Attribute,
  attributeChanges,
  effectiveAttributes,
  type LoadBalancerType,
  modifiedFirst,
} from "./lb-attributes.js";
import { type CallContext, InputReader, type SandboxService, unsupported } from "./service.js";
import { API_DEFAULT_SSL_POLICY, findSslPolicy, SSL_POLICIES } from "./ssl-policies.js";
import { elbActionTypes, elbProtocols, type SandboxState, type StateTag } from "./state.js";

/**
 * Elastic Load Balancing v2 as AWS applies it: resources live in the region of
 * their ARN, ModifyListener and ModifyRule replace whole lists, the default
 * rule is the listener's DefaultActions and cannot be touched through the rule
 * APIs, ports and priorities are unique, and every check happens before
 * anything changes.
 */
type Tag = StateTag;

const TERMINAL = new Set(["forward", "redirect", "fixed-response"]);
const AUTHENTICATING = new Set(["authenticate-oidc", "authenticate-cognito", "jwt-validation"]);
const PROTOCOLS_BY_TYPE: Record<string, readonly string[]> = {
  application: ["HTTP", "HTTPS"],
  network: ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"],
  gateway: ["GENEVE"],
};
const CONDITION_FIELDS: Record<string, string> = {
  "host-header": "HostHeaderConfig",
  "path-pattern": "PathPatternConfig",
  "http-header": "HttpHeaderConfig",
  "http-request-method": "HttpRequestMethodConfig",
  "query-string": "QueryStringConfig",
  "source-ip": "SourceIpConfig",
};
const MAX_TAGS = 50;

const MUTATING = [
  "DeleteLoadBalancer",
  "CreateListener",
  "ModifyListener",
  "DeleteListener",
  "CreateRule",
  "ModifyRule",
  "DeleteRule",
  "SetRulePriorities",
  "AddTags",
  "RemoveTags",
  "ModifyLoadBalancerAttributes",
] as const;

export class Elbv2Service implements SandboxService {
  readonly mutating: ReadonlySet<string> = new Set(MUTATING);
  private readonly loadBalancers = new Map<string, Json>();
  private readonly listeners = new Map<string, Json>();
  private readonly rules = new Map<string, Json>();
  private readonly attributes = new Map<string, Attribute[]>();
  private readonly tags = new Map<string, Tag[]>();

  constructor(
    state: SandboxState["elbv2"],
    private readonly ids: IdSource,
  ) {
    for (const lb of state.loadBalancers) this.loadBalancers.set(lb.LoadBalancerArn, copy(lb));
    for (const l of state.listeners) this.listeners.set(l.ListenerArn, copy(l));
    for (const r of state.rules) this.rules.set(r.RuleArn, copy(r));
    for (const a of state.attributes) this.attributes.set(a.LoadBalancerArn, copy(a.Attributes));
    for (const t of state.tags) this.tags.set(t.ResourceArn, copy(t.Tags));
  }

  handle(action: string, input: Json, ctx: CallContext): Json {
    const read = new InputReader("elbv2", input);
    const region = ctx.region;
    switch (action) {
      case "DescribeLoadBalancers":
        return this.describeLoadBalancers(read, region);
      case "DescribeListeners":
        return this.describeListeners(read, region);
      case "DescribeRules":
        return this.describeRules(read, region);
      case "DescribeTags":
        return this.describeTags(read, region);
      case "DescribeLoadBalancerAttributes":
        return {
          Attributes: this.effectiveAttributes(
            this.loadBalancer(read.requiredString("LoadBalancerArn"), region),
          ),
        };
      case "DescribeSSLPolicies":
        return describeSslPolicies(read);
      case "DeleteLoadBalancer":
        return this.deleteLoadBalancer(read, region);
      case "CreateListener":
        return this.createListener(read, region);
      case "ModifyListener":
        return this.modifyListener(read, region);
      case "DeleteListener":
        return this.deleteListener(read, region);
      case "CreateRule":
        return this.createRule(read, region);
      case "ModifyRule":
        return this.modifyRule(read, region);
      case "DeleteRule":
        return this.deleteRule(read, region);
      case "SetRulePriorities":
        return this.setRulePriorities(read, region);
      case "AddTags":
        return this.addTags(read, region);
      case "RemoveTags":
        return this.removeTags(read, region);
      case "ModifyLoadBalancerAttributes":
        return this.modifyAttributes(read, region);
      default:
        throw unsupported("elbv2", action);
    }
  }

  /** The account's ELBv2 resources in the scenario `state` shape (rules: non-default, with ListenerArn). */
  snapshot(): SandboxState["elbv2"] {
    return copy({
      loadBalancers: [...this.loadBalancers.values()],
      listeners: [...this.listeners.values()],
      rules: [...this.rules.values()],
      attributes: [...this.attributes].map(([LoadBalancerArn, Attributes]) => ({
        LoadBalancerArn,
        Attributes,
      })),
      tags: [...this.tags].map(([ResourceArn, Tags]) => ({ ResourceArn, Tags })),
    }) as SandboxState["elbv2"];
  }

  // ---- lookups -------------------------------------------------------------

  private arn(value: string, kind: ElbArn["kind"], label: string): ElbArn {
    const arn = parseElbArn(value);
    if (arn?.kind !== kind) throw validationError("elbv2", `'${value}' is not a valid ${label} ARN`);
    return arn;
  }

  private loadBalancer(arn: string, region: string): Json {
    const parsed = this.arn(arn, "loadbalancer", "load balancer");
    const lb = this.loadBalancers.get(arn);
    if (!lb || parsed.region !== region) {
      throw modeled(LoadBalancerNotFoundException, `Load balancer '${arn}' not found`);
    }
    return lb;
  }

  private listener(arn: string, region: string): Json {
    const parsed = this.arn(arn, "listener", "listener");
    const listener = this.listeners.get(arn);
    if (!listener || parsed.region !== region)
      throw modeled(ListenerNotFoundException, `Listener '${arn}' not found`);
    return listener;
  }

  /** A rule by ARN, the listener's default rule included. */
  private rule(arn: string, region: string): { rule: Json; listener: Json; isDefault: boolean } {
    const parsed = this.arn(arn, "listener-rule", "rule");
    const notFound = () => modeled(RuleNotFoundException, `One or more rules not found: '${arn}'`);
    if (parsed.region !== region) throw notFound();
    const stored = this.rules.get(arn);
    const listener = this.listeners.get(listenerArnOfRule(arn));
    if (!listener) throw notFound();
    if (stored) return { rule: stored, listener, isDefault: false };
    if (defaultRuleArn(String(listener.ListenerArn)) === arn) {
      return { rule: defaultRule(listener), listener, isDefault: true };
    }
    throw notFound();
  }

  private typeOf(lb: Json): LoadBalancerType {
    return typeof lb.Type === "string"
      ? (lb.Type as LoadBalancerType)
      : elbTypeOfFlavor(parseElbArn(lb.LoadBalancerArn)?.flavor);
  }

  /**
   * What other stand-ins (WAF) need to know of a load balancer: its type and
   * region, or undefined when the account holds no such load balancer.
   */
  loadBalancerFacts(arn: string): { type: LoadBalancerType; region: string } | undefined {
    const lb = this.loadBalancers.get(arn);
    const parsed = parseElbArn(arn);
    if (!lb || !parsed) return undefined;
    return { type: this.typeOf(lb), region: parsed.region };
  }

  private listenersOf(lbArn: string): Json[] {
    return [...this.listeners.values()].filter((l) => l.LoadBalancerArn === lbArn);
  }

  private rulesOf(listenerArn: string): Json[] {
    return [...this.rules.values()].filter((r) => r.ListenerArn === listenerArn);
  }

  // ---- reads ---------------------------------------------------------------

  private describeLoadBalancers(read: InputReader, region: string): Json {
    const arns = read.stringList("LoadBalancerArns");
    const names = read.stringList("Names");
    if (arns?.length && names?.length) {
      throw validationError(
        "elbv2",
        "Load balancer names and load balancer ARNs cannot be specified at the same time",
      );
    }
    let found: Json[];
    if (arns?.length) {
      found = arns.map((arn) => this.loadBalancer(arn, region));
    } else if (names?.length) {
      const inRegion = this.regional(this.loadBalancers, region);
      found = names.map((name) => {
        const lb = inRegion.find((b) => nameOf(b) === name);
        if (!lb) throw modeled(LoadBalancerNotFoundException, `Load balancers '[${name}]' not found`);
        return lb;
      });
    } else {
      found = this.regional(this.loadBalancers, region);
    }
    const { items, next } = page(found, read);
    return withMarker({ LoadBalancers: items.map((lb) => this.describeLoadBalancer(lb)) }, next);
  }

  private describeLoadBalancer(lb: Json): Json {
    const out = copy(lb);
    out.LoadBalancerName ??= nameOf(lb);
    out.Type ??= this.typeOf(lb);
    if (typeof out.CreatedTime === "string") out.CreatedTime = new Date(out.CreatedTime);
    return out;
  }

  private describeListeners(read: InputReader, region: string): Json {
    const arns = read.stringList("ListenerArns");
    const lbArn = read.string("LoadBalancerArn");
    if (arns?.length && lbArn) {
      throw validationError(
        "elbv2",
        "Listener ARNs and a load balancer ARN cannot be specified at the same time",
      );
    }
    let found: Json[];
    if (arns?.length) found = arns.map((arn) => this.listener(arn, region));
    else if (lbArn) found = this.listenersOf(String(this.loadBalancer(lbArn, region).LoadBalancerArn));
    else throw validationError("elbv2", "You must specify either listener ARNs or a load balancer ARN");
    const { items, next } = page(found, read);
    return withMarker({ Listeners: items.map((l) => copy(l)) }, next);
  }

  private describeRules(read: InputReader, region: string): Json {
    const listenerArn = read.string("ListenerArn");
    const ruleArns = read.stringList("RuleArns");
    if (listenerArn && ruleArns?.length) {
      throw validationError("elbv2", "A listener ARN and rule ARNs cannot be specified at the same time");
    }
    let found: Json[];
    if (ruleArns?.length) {
      found = ruleArns.map((arn) => this.rule(arn, region).rule);
    } else if (listenerArn) {
      const listener = this.listener(listenerArn, region);
      // AWS lists the rules by priority with the default rule last.
      const ordered = this.rulesOf(listenerArn).sort((a, b) => Number(a.Priority) - Number(b.Priority));
      found = [...ordered, defaultRule(listener)];
    } else {
      throw validationError("elbv2", "You must specify either a listener ARN or rule ARNs");
    }
    const { items, next } = page(found, read);
    return withMarker({ Rules: items.map(ruleOutput) }, next);
  }

  private describeTags(read: InputReader, region: string): Json {
    const arns = read.stringList("ResourceArns") ?? [];
    if (arns.length === 0)
      throw validationError(
        "elbv2",
        "1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null",
      );
    if (arns.length > 20) throw validationError("elbv2", "A maximum of 20 resource ARNs can be specified");
    return {
      TagDescriptions: arns.map((arn) => {
        this.taggable(arn, region);
        return { ResourceArn: arn, Tags: copy(this.tags.get(arn) ?? []) };
      }),
    };
  }

  private effectiveAttributes(lb: Json): Attribute[] {
    return effectiveAttributes(
      this.typeOf(lb),
      String(lb.Scheme ?? "internet-facing"),
      this.attributes.get(String(lb.LoadBalancerArn)) ?? [],
    );
  }

  private regional(map: Map<string, Json>, region: string): Json[] {
    return [...map].filter(([arn]) => parseElbArn(arn)?.region === region).map(([, value]) => value);
  }

  // ---- load balancers ------------------------------------------------------

  /**
   * As AWS: the load balancer goes with its listeners and their rules; an ARN
   * that names no load balancer (already deleted) succeeds; deletion protection
   * refuses the call before anything changes.
   */
  private deleteLoadBalancer(read: InputReader, region: string): Json {
    const arn = read.requiredString("LoadBalancerArn");
    const parsed = this.arn(arn, "loadbalancer", "load balancer");
    const lb = this.loadBalancers.get(arn);
    if (!lb || parsed.region !== region) return {};
    const protection = this.effectiveAttributes(lb).find((a) => a.Key === "deletion_protection.enabled");
    if (protection?.Value === "true") {
      throw modeled(
        OperationNotPermittedException,
        `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`,
      );
    }
    for (const listener of this.listenersOf(arn)) {
      const listenerArn = String(listener.ListenerArn);
      for (const rule of this.rulesOf(listenerArn)) this.forget(this.rules, String(rule.RuleArn));
      this.forget(this.listeners, listenerArn);
    }
    this.forget(this.loadBalancers, arn);
    this.attributes.delete(arn);
    return {};
  }

  // ---- listeners -----------------------------------------------------------

  private createListener(read: InputReader, region: string): Json {
    const lb = this.loadBalancer(read.requiredString("LoadBalancerArn"), region);
    const lbArn = String(lb.LoadBalancerArn);
    const type = this.typeOf(lb);
    const protocol = read.string("Protocol") ?? (type === "gateway" ? "GENEVE" : undefined);
    if (!protocol) throw validationError("elbv2", "A listener protocol must be specified");
    checkProtocol(protocol, type);
    const port =
      type === "gateway" ? read.integer("Port", 1, 65_535) : read.requiredInteger("Port", 1, 65_535);
    if (port !== undefined && this.listenersOf(lbArn).some((l) => l.Port === port)) {
      throw modeled(
        DuplicateListenerException,
        `A listener already exists on port ${port} for load balancer '${lbArn}'`,
      );
    }
    const secure = protocol === "HTTPS" || protocol === "TLS";
    const certificates = certificatesOf(read, secure, undefined);
    const sslPolicy = sslPolicyOf(read, protocol, undefined);
    const actions = validateActions(
      read.records("DefaultActions", true) ?? [],
      "DefaultActions",
      protocol,
      type,
      region,
    );
    refuseRedirectLoops(actions, protocol, port);
    const tags = tagsOf(read, "Tags");

    const listenerArn = `${lbArn.replace(":loadbalancer/", ":listener/")}/${this.ids.hex(`listener:${lbArn}`)}`;
    const listener: Json = copy({
      ListenerArn: listenerArn,
      LoadBalancerArn: lbArn,
      Port: port,
      Protocol: protocol,
      Certificates: certificates,
      SslPolicy: sslPolicy,
      DefaultActions: actions,
      AlpnPolicy: read.stringList("AlpnPolicy"),
      MutualAuthentication: read.record("MutualAuthentication"),
    });
    this.listeners.set(listenerArn, listener);
    if (tags.length) this.tags.set(listenerArn, tags);
    return { Listeners: [copy(listener)] };
  }

  private modifyListener(read: InputReader, region: string): Json {
    const current = this.listener(read.requiredString("ListenerArn"), region);
    const lbArn = String(current.LoadBalancerArn);
    const type = this.typeOf(this.loadBalancers.get(lbArn) ?? {});
    const protocol = read.string("Protocol") ?? String(current.Protocol);
    checkProtocol(protocol, type);
    const port = read.integer("Port", 1, 65_535) ?? (current.Port as number | undefined);
    if (port !== undefined && this.listenersOf(lbArn).some((l) => l !== current && l.Port === port)) {
      throw modeled(
        DuplicateListenerException,
        `A listener already exists on port ${port} for load balancer '${lbArn}'`,
      );
    }
    const secure = protocol === "HTTPS" || protocol === "TLS";
    const certificates = certificatesOf(read, secure, current.Certificates as Json[] | undefined);
    const sslPolicy = sslPolicyOf(read, protocol, current.SslPolicy as string | undefined);
    // Full-list replacement: the given DefaultActions become the whole list. Kept
    // actions are re-checked too, since a protocol change can invalidate them.
    const given = read.records("DefaultActions", false);
    const actions = given
      ? validateActions(given, "DefaultActions", protocol, type, region)
      : validateActions(current.DefaultActions as Json[], "DefaultActions", protocol, type, region, false);
    // A new protocol or port can turn a kept redirect, the listener's or a rule's, into a loop.
    refuseRedirectLoops(actions, protocol, port);
    for (const rule of this.rulesOf(String(current.ListenerArn))) {
      refuseRedirectLoops(rule.Actions as Json[], protocol, port);
    }

    const updated: Json = copy({
      ...current,
      Port: port,
      Protocol: protocol,
      Certificates: certificates,
      SslPolicy: sslPolicy,
      DefaultActions: actions,
      AlpnPolicy: read.stringList("AlpnPolicy") ?? current.AlpnPolicy,
      MutualAuthentication: read.record("MutualAuthentication") ?? current.MutualAuthentication,
    });
    this.listeners.set(String(current.ListenerArn), updated);
    return { Listeners: [copy(updated)] };
  }

  private deleteListener(read: InputReader, region: string): Json {
    const listener = this.listener(read.requiredString("ListenerArn"), region);
    const arn = String(listener.ListenerArn);
    for (const rule of this.rulesOf(arn)) this.forget(this.rules, String(rule.RuleArn));
    this.forget(this.listeners, arn);
    return {};
  }

  private forget(map: Map<string, unknown>, arn: string): void {
    map.delete(arn);
    this.tags.delete(arn);
  }

  // ---- rules ---------------------------------------------------------------

  private createRule(read: InputReader, region: string): Json {
    const listener = this.listener(read.requiredString("ListenerArn"), region);
    const listenerArn = String(listener.ListenerArn);
    const type = this.typeOf(this.loadBalancers.get(String(listener.LoadBalancerArn)) ?? {});
    if (type !== "application")
      throw validationError("elbv2", `Rules are not supported by ${type} load balancers`);
    const conditions = validateConditions(read.records("Conditions", true) ?? []);
    const priority = read.requiredInteger("Priority", 1, 50_000);
    const actions = validateActions(
      read.records("Actions", true) ?? [],
      "Actions",
      String(listener.Protocol),
      type,
      region,
    );
    refuseRedirectLoops(actions, String(listener.Protocol), listener.Port as number | undefined);
    if (this.rulesOf(listenerArn).some((r) => Number(r.Priority) === priority)) {
      throw modeled(PriorityInUseException, `Priority '${priority}' is currently in use`);
    }
    const tags = tagsOf(read, "Tags");
    const ruleArn = `${listenerArn.replace(":listener/", ":listener-rule/")}/${this.ids.hex(`rule:${listenerArn}`)}`;
    const rule: Json = {
      RuleArn: ruleArn,
      Priority: String(priority),
      Conditions: conditions,
      Actions: actions,
      IsDefault: false,
      ListenerArn: listenerArn,
    };
    this.rules.set(ruleArn, rule);
    if (tags.length) this.tags.set(ruleArn, tags);
    return { Rules: [ruleOutput(rule)] };
  }

  private modifyRule(read: InputReader, region: string): Json {
    const ruleArn = read.requiredString("RuleArn");
    const { rule, listener, isDefault } = this.rule(ruleArn, region);
    if (isDefault)
      throw modeled(OperationNotPermittedException, `Default rule '${ruleArn}' cannot be modified`);
    const type = this.typeOf(this.loadBalancers.get(String(listener.LoadBalancerArn)) ?? {});
    const conditions = read.records("Conditions", false);
    const actions = read.records("Actions", false);
    const updated: Json = {
      ...rule,
      Conditions: conditions ? validateConditions(conditions) : rule.Conditions,
      Actions: actions
        ? validateActions(actions, "Actions", String(listener.Protocol), type, region)
        : rule.Actions,
    };
    refuseRedirectLoops(
      updated.Actions as Json[],
      String(listener.Protocol),
      listener.Port as number | undefined,
    );
    this.rules.set(ruleArn, copy(updated));
    return { Rules: [ruleOutput(updated)] };
  }

  private deleteRule(read: InputReader, region: string): Json {
    const ruleArn = read.requiredString("RuleArn");
    if (this.rule(ruleArn, region).isDefault) {
      throw modeled(OperationNotPermittedException, `Default rule '${ruleArn}' cannot be deleted`);
    }
    this.forget(this.rules, ruleArn);
    return {};
  }

  private setRulePriorities(read: InputReader, region: string): Json {
    const requested = (read.records("RulePriorities", true) ?? []).map((entry, i) => {
      const item = new InputReader("elbv2", entry);
      const arn = item.requiredString("RuleArn");
      const priority = item.requiredInteger("Priority", 1, 50_000);
      const { rule, isDefault } = this.rule(arn, region);
      if (isDefault)
        throw modeled(OperationNotPermittedException, `Default rule '${arn}' priority cannot be modified`);
      return { rule, priority, index: i };
    });
    const changing = new Set(requested.map((r) => r.rule));
    const taken = new Map<string, Json>();
    for (const r of this.rules.values()) {
      if (!changing.has(r)) taken.set(`${r.ListenerArn} ${Number(r.Priority)}`, r);
    }
    for (const { rule, priority } of requested) {
      const key = `${rule.ListenerArn} ${priority}`;
      if (taken.has(key)) throw modeled(PriorityInUseException, `Priority '${priority}' is currently in use`);
      taken.set(key, rule);
    }
    const updated = requested.map(({ rule, priority }) => {
      const next = { ...rule, Priority: String(priority) };
      this.rules.set(String(rule.RuleArn), next);
      return ruleOutput(next);
    });
    return { Rules: updated };
  }

  // ---- tags and attributes -------------------------------------------------

  /** Resources that can carry tags; target groups are not modelled, so only those already tagged exist. */
  private taggable(arn: string, region: string): void {
    const parsed = parseElbArn(arn);
    if (!parsed) throw validationError("elbv2", `'${arn}' is not a valid resource ARN`);
    if (parsed.kind === "loadbalancer") this.loadBalancer(arn, region);
    else if (parsed.kind === "listener") this.listener(arn, region);
    else if (parsed.kind === "listener-rule") this.rule(arn, region);
    else if (!this.tags.has(arn) || parsed.region !== region) {
      throw modeled(TargetGroupNotFoundException, `Target groups '${arn}' not found`);
    }
  }

  private addTags(read: InputReader, region: string): Json {
    const arns = read.stringList("ResourceArns") ?? [];
    if (arns.length === 0) throw validationError("elbv2", "At least one resource ARN must be specified");
    const tags = tagsOf(read, "Tags", true);
    const merged = arns.map((arn) => {
      this.taggable(arn, region);
      const byKey = new Map((this.tags.get(arn) ?? []).map((t) => [t.Key, t]));
      for (const t of tags) byKey.set(t.Key, t);
      if (byKey.size > MAX_TAGS)
        throw modeled(TooManyTagsException, `'${arn}' would have more than ${MAX_TAGS} tags`);
      return { arn, list: [...byKey.values()] };
    });
    for (const { arn, list } of merged) this.tags.set(arn, copy(list));
    return {};
  }

  private removeTags(read: InputReader, region: string): Json {
    const arns = read.stringList("ResourceArns") ?? [];
    const keys = tagKeysOf(read, "TagKeys");
    if (arns.length === 0 || keys.length === 0) {
      throw validationError("elbv2", "Resource ARNs and tag keys must be specified");
    }
    for (const arn of arns) this.taggable(arn, region);
    for (const arn of arns) {
      const remaining = (this.tags.get(arn) ?? []).filter((t) => !keys.includes(t.Key));
      this.tags.set(arn, remaining);
    }
    return {};
  }

  /** Only the named keys change; every key is checked before any is applied. */
  private modifyAttributes(read: InputReader, region: string): Json {
    const lb = this.loadBalancer(read.requiredString("LoadBalancerArn"), region);
    const lbArn = String(lb.LoadBalancerArn);
    const changes = attributeChanges(
      read.records("Attributes", true) ?? [],
      this.typeOf(lb),
      this.effectiveAttributes(lb),
    );
    const stored = new Map((this.attributes.get(lbArn) ?? []).map((a) => [a.Key, a.Value]));
    for (const c of changes) stored.set(c.Key, c.Value);
    this.attributes.set(
      lbArn,
      [...stored].map(([Key, Value]) => ({ Key, Value })),
    );
    return { Attributes: modifiedFirst(this.effectiveAttributes(lb), changes) };
  }
}

// ---- pure helpers ----------------------------------------------------------

function nameOf(lb: Json): string {
  return typeof lb.LoadBalancerName === "string"
    ? lb.LoadBalancerName
    : (parseElbArn(lb.LoadBalancerArn)?.segments[0] ?? "");
}

/** The default rule's ARN is stable per listener, as in AWS. */
export function defaultRuleArn(listenerArn: string): string {
  return `${listenerArn.replace(":listener/", ":listener-rule/")}/${hash(`${listenerArn}#default`).slice(0, 16)}`;
}

function defaultRule(listener: Json): Json {
  return {
    RuleArn: defaultRuleArn(String(listener.ListenerArn)),
    Priority: "default",
    Conditions: [],
    Actions: copy(listener.DefaultActions),
    IsDefault: true,
  };
}

/** A stored rule as DescribeRules returns it: ListenerArn is the sandbox's bookkeeping, not part of AWS's Rule. */
function ruleOutput(rule: Json): Json {
  const { ListenerArn: _listener, ...rest } = copy(rule);
  return { ...rest, IsDefault: rest.IsDefault ?? false };
}

function page<T>(items: T[], read: InputReader): { items: T[]; next?: string } {
  const size = read.integer("PageSize", 1, 400) ?? 400;
  const marker = read.string("Marker");
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(marker, "base64").toString("utf8"));
    if (!decoded) throw validationError("elbv2", "Invalid value for Marker");
    start = Number(decoded[1]);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(`offset:${end}`).toString("base64") : undefined,
  };
}

function withMarker(output: Json, next: string | undefined): Json {
  return next ? { ...output, NextMarker: next } : output;
}

function checkProtocol(protocol: string, type: string): void {
  if (!(elbProtocols as readonly string[]).includes(protocol)) {
    throw validationError(
      "elbv2",
      `1 validation error detected: Value '${protocol}' at 'protocol' failed to satisfy constraint: Member must satisfy enum value set: [${elbProtocols.join(", ")}]`,
    );
  }
  if (!PROTOCOLS_BY_TYPE[type]?.includes(protocol)) {
    throw validationError(
      "elbv2",
      `Listener protocol '${protocol}' is not supported with a load balancer of type '${type}'`,
    );
  }
}

function certificatesOf(read: InputReader, secure: boolean, current: Json[] | undefined): Json[] | undefined {
  const given = read.records("Certificates", false);
  if (!secure) return undefined;
  if (given) {
    if (given.length !== 1 || typeof given[0]?.CertificateArn !== "string") {
      throw validationError(
        "elbv2",
        "You must specify exactly one default certificate with a CertificateArn",
      );
    }
    return given;
  }
  if (current?.length) return current;
  throw validationError("elbv2", "A certificate must be specified for HTTPS and TLS listeners");
}

/**
 * The SslPolicy a listener ends up with: the one given (which must exist), else
 * the one it had, else the API's default. Only HTTPS and TLS listeners take one;
 * AWS refuses it on others with this wording, its typo included.
 */
function sslPolicyOf(read: InputReader, protocol: string, current: string | undefined): string | undefined {
  const given = read.string("SslPolicy");
  const secure = protocol === "HTTPS" || protocol === "TLS";
  if (!secure) {
    if (given !== undefined)
      throw validationError("elbv2", `An SSL policy cannot be specifed for ${protocol} listeners`);
    return undefined;
  }
  if (given === undefined) return current ?? API_DEFAULT_SSL_POLICY;
  if (!findSslPolicy(given)) throw modeled(SSLPolicyNotFoundException, `SSL policy '${given}' not found`);
  return given;
}

/** DescribeSSLPolicies: Names (each must exist), LoadBalancerType and paging as AWS does. */
function describeSslPolicies(read: InputReader): Json {
  const names = read.stringList("Names");
  const type = read.string("LoadBalancerType");
  if (type !== undefined && !["application", "network", "gateway"].includes(type)) {
    throw validationError(
      "elbv2",
      `1 validation error detected: Value '${type}' at 'loadBalancerType' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]`,
    );
  }
  let found = names?.length
    ? names.map((name) => {
        const known = findSslPolicy(name);
        if (!known) throw modeled(SSLPolicyNotFoundException, `SSL policy '${name}' not found`);
        return known;
      })
    : [...SSL_POLICIES];
  if (type !== undefined) found = found.filter((p) => p.SupportedLoadBalancerTypes.includes(type));
  const { items, next } = page(found, read);
  return withMarker({ SslPolicies: copy(items) }, next);
}

/**
 * ELBv2's Tag shape (API reference, Tag): a key of 1-128 and a value of 0-256
 * characters, both letters, spaces, digits and `_.:/=+-@`; no line breaks, no
 * `;`, `<` or quotes. The `aws:` prefix, in any case, is AWS's own
 * (`aws:cloudformation:stack-name`, `aws:cdk:path`): a caller can neither add
 * nor remove such a key, which is what lets tag readers trust those keys.
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function tagTextError(text: string, where: string, max: number, min: number): Error | undefined {
  // Lengths count Unicode characters, not UTF-16 code units.
  const length = [...text].length;
  const constraint =
    length > max
      ? `Member must have length less than or equal to ${max}`
      : length < min
        ? `Member must have length greater than or equal to ${min}`
        : !TAG_TEXT.test(text)
          ? "Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"
          : undefined;
  return constraint
    ? validationError(
        "elbv2",
        `1 validation error detected: Value '${text}' at '${where}' failed to satisfy constraint: ${constraint}`,
      )
    : undefined;
}

function refuseReservedKey(key: string): void {
  if (key.toLowerCase().startsWith("aws:")) {
    throw validationError("elbv2", `Tag key '${key}' cannot start with 'aws:'`);
  }
}

/** RemoveTags' TagKeys: the same key rules as AddTags. */
function tagKeysOf(read: InputReader, key: string): string[] {
  const keys = read.stringList(key) ?? [];
  keys.forEach((tagKey, i) => {
    const invalid = tagTextError(tagKey, `tagKeys.${i + 1}.member`, 128, 1);
    if (invalid) throw invalid;
    refuseReservedKey(tagKey);
  });
  return keys;
}

function tagsOf(read: InputReader, key: string, required = false): Tag[] {
  const tags = (read.records(key, required) ?? []).map((entry, i) => {
    const item = new InputReader("elbv2", entry);
    const tag: Tag = { Key: item.requiredString("Key") };
    const value = item.string("Value");
    if (value !== undefined) tag.Value = value;
    const member = `tags.${i + 1}.member`;
    const invalid =
      tagTextError(tag.Key, `${member}.key`, 128, 1) ??
      (value === undefined ? undefined : tagTextError(value, `${member}.value`, 256, 0));
    if (invalid) throw invalid;
    refuseReservedKey(tag.Key);
    return tag;
  });
  const keys = tags.map((t) => t.Key);
  if (new Set(keys).size !== keys.length) throw modeled(DuplicateTagKeysException, "Tag keys must be unique");
  if (tags.length > MAX_TAGS)
    throw modeled(TooManyTagsException, `A resource can have at most ${MAX_TAGS} tags`);
  return tags;
}

function validateConditions(conditions: Json[]): Json[] {
  conditions.forEach((condition, i) => {
    const field = condition.Field;
    const config = typeof field === "string" ? CONDITION_FIELDS[field] : undefined;
    if (!config) {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value '${String(field)}' at 'conditions.${i + 1}.member.field' failed to satisfy constraint: Member must be one of [${Object.keys(CONDITION_FIELDS).join(", ")}]`,
      );
    }
    const nested = condition[config];
    const values = isRecord(nested) ? nested.Values : condition.Values;
    if (!Array.isArray(values) || values.length === 0) {
      throw validationError(
        "elbv2",
        `A '${String(field)}' condition needs at least one value (Values or ${config}.Values)`,
      );
    }
  });
  return copy(conditions);
}

const REDIRECT_DEFAULTS = {
  Protocol: "#{protocol}",
  Port: "#{port}",
  Host: "#{host}",
  Path: "/#{path}",
  Query: "#{query}",
};

/**
 * Checks a listener's or rule's action list as AWS does and returns it the way
 * AWS stores it: a forward to one target group carries both TargetGroupArn
 * and ForwardConfig, and a redirect has every component filled in.
 */
function validateActions(
  actions: Json[],
  field: string,
  protocol: string,
  lbType: string,
  region: string,
  given = true,
): Json[] {
  const at = (i: number, member: string) =>
    `${field.charAt(0).toLowerCase()}${field.slice(1)}.${i + 1}.member.${member}`;
  const invalid = (message: string) => modeled(InvalidLoadBalancerActionException, message);
  const normalized = actions.map((action, i) => {
    const type = action.Type;
    if (typeof type !== "string" || !(elbActionTypes as readonly string[]).includes(type)) {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value '${String(type)}' at '${at(i, "type")}' failed to satisfy constraint: Member must satisfy enum value set: [${elbActionTypes.join(", ")}]`,
      );
    }
    if (lbType !== "application" && type !== "forward") {
      throw invalid(`Action type '${type}' is not supported by ${lbType} load balancers`);
    }
    if (AUTHENTICATING.has(type) && protocol !== "HTTPS") {
      throw invalid(`Action type '${type}' is supported only on HTTPS listeners`);
    }
    const order = action.Order;
    if (
      order !== undefined &&
      (typeof order !== "number" || !Number.isInteger(order) || order < 1 || order > 50_000)
    ) {
      throw validationError(
        "elbv2",
        `Value '${String(order)}' at '${at(i, "order")}' must be between 1 and 50000`,
      );
    }
    switch (type) {
      case "forward":
        return normalizeForward(action, region, at(i, "forwardConfig"));
      case "redirect":
        return normalizeRedirect(action, at(i, "redirectConfig"));
      case "fixed-response": {
        const config = action.FixedResponseConfig;
        if (
          !isRecord(config) ||
          typeof config.StatusCode !== "string" ||
          !/^[245]\d\d$/.test(config.StatusCode)
        ) {
          throw validationError(
            "elbv2",
            `'${at(i, "fixedResponseConfig")}' needs a StatusCode of 2XX, 4XX or 5XX`,
          );
        }
        return copy(action);
      }
      case "authenticate-oidc":
        requireMembers(
          action.AuthenticateOidcConfig,
          ["Issuer", "AuthorizationEndpoint", "TokenEndpoint", "UserInfoEndpoint", "ClientId"],
          at(i, "authenticateOidcConfig"),
        );
        return copy(action);
      case "authenticate-cognito":
        requireMembers(
          action.AuthenticateCognitoConfig,
          ["UserPoolArn", "UserPoolClientId", "UserPoolDomain"],
          at(i, "authenticateCognitoConfig"),
        );
        return copy(action);
      default:
        requireMembers(action.JwtValidationConfig, ["JwksEndpoint", "Issuer"], at(i, "jwtValidationConfig"));
        return copy(action);
    }
  });

  const orders = normalized.map((a) => a.Order).filter((o) => o !== undefined);
  if (new Set(orders).size !== orders.length) throw invalid("Each action must have a unique Order");
  const sequence = normalized
    .map((action, index) => ({ action, rank: typeof action.Order === "number" ? action.Order : index + 1 }))
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => String(entry.action.Type));
  const terminals = sequence.filter((t) => TERMINAL.has(t));
  if (terminals.length !== 1) {
    throw invalid(
      `${given ? "The given actions" : "The listener's actions"} must contain exactly one forward, redirect or fixed-response action (found ${terminals.length})`,
    );
  }
  if (!TERMINAL.has(sequence[sequence.length - 1] ?? "")) {
    throw invalid("The forward, redirect or fixed-response action must be the last action");
  }
  return normalized;
}

function requireMembers(config: unknown, members: string[], path: string): void {
  if (!isRecord(config))
    throw validationError(
      "elbv2",
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    );
  for (const member of members) {
    if (typeof config[member] !== "string" || config[member] === "") {
      throw validationError(
        "elbv2",
        `1 validation error detected: Value null at '${path}.${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
}

function checkTargetGroup(arn: unknown, region: string): string {
  const parsed = parseElbArn(arn);
  if (parsed?.kind !== "targetgroup")
    throw validationError("elbv2", `'${String(arn)}' is not a valid target group ARN`);
  if (parsed.region !== region)
    throw modeled(TargetGroupNotFoundException, `Target groups '${String(arn)}' not found`);
  return arn as string;
}

function normalizeForward(action: Json, region: string, path: string): Json {
  const out = copy(action);
  const single = action.TargetGroupArn;
  const config = action.ForwardConfig;
  const groups = isRecord(config) ? config.TargetGroups : undefined;
  if (single === undefined && (!Array.isArray(groups) || groups.length === 0)) {
    throw validationError("elbv2", `A forward action needs a TargetGroupArn or ${path}.targetGroups`);
  }
  const listed = Array.isArray(groups)
    ? groups.map((g) => {
        if (!isRecord(g)) throw validationError("elbv2", `${path}.targetGroups entries must be structures`);
        const weight = g.Weight;
        if (weight !== undefined && (typeof weight !== "number" || weight < 0 || weight > 999)) {
          throw validationError("elbv2", `${path}.targetGroups weights must be between 0 and 999`);
        }
        return checkTargetGroup(g.TargetGroupArn, region);
      })
    : [];
  if (single !== undefined) {
    checkTargetGroup(single, region);
    if (listed.length > 0 && (listed.length !== 1 || listed[0] !== single)) {
      throw validationError(
        "elbv2",
        "TargetGroupArn and ForwardConfig must name the same single target group",
      );
    }
    out.ForwardConfig = {
      TargetGroupStickinessConfig: { Enabled: false },
      ...(isRecord(out.ForwardConfig) ? out.ForwardConfig : {}),
      TargetGroups: listed.length
        ? (out.ForwardConfig as Json).TargetGroups
        : [{ TargetGroupArn: single, Weight: 1 }],
    };
  } else if (listed.length === 1) {
    out.TargetGroupArn = listed[0];
  }
  if (isRecord(out.ForwardConfig)) {
    out.ForwardConfig.TargetGroupStickinessConfig ??= { Enabled: false };
  }
  return out;
}

function normalizeRedirect(action: Json, path: string): Json {
  const config = action.RedirectConfig;
  if (!isRecord(config)) {
    throw validationError(
      "elbv2",
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (config.StatusCode !== "HTTP_301" && config.StatusCode !== "HTTP_302") {
    throw validationError(
      "elbv2",
      `1 validation error detected: Value '${String(config.StatusCode)}' at '${path}.statusCode' failed to satisfy constraint: Member must satisfy enum value set: [HTTP_301, HTTP_302]`,
    );
  }
  const filled: Json = { ...REDIRECT_DEFAULTS, ...copy(config) };
  if (!["HTTP", "HTTPS", "#{protocol}"].includes(String(filled.Protocol))) {
    throw validationError("elbv2", `${path}.protocol must be HTTP, HTTPS or #{protocol}`);
  }
  if (typeof filled.Port !== "string" || !/^(\d{1,5}|#\{port\})$/.test(filled.Port)) {
    throw validationError("elbv2", `${path}.port must be a port number or #{port}, as a string`);
  }
  return { ...copy(action), RedirectConfig: filled };
}

/**
 * ELBv2 refuses a redirect that sends a request back to the listener it came
 * in on, unchanged: same protocol and port (with #{protocol} and #{port} read
 * as the listener's) and the original host, path and query. Its wording is
 * AWS's (kubernetes-sigs/aws-load-balancer-controller#1752).
 */
function refuseRedirectLoops(actions: Json[], protocol: string, port: number | undefined): void {
  for (const action of actions) {
    const config = action.RedirectConfig;
    if (action.Type !== "redirect" || !isRecord(config)) continue;
    const target = { ...REDIRECT_DEFAULTS, ...config };
    const toProtocol = target.Protocol === "#{protocol}" ? protocol : target.Protocol;
    const toPort = target.Port === "#{port}" ? String(port) : target.Port;
    const sameUrl =
      target.Host === REDIRECT_DEFAULTS.Host &&
      target.Path === REDIRECT_DEFAULTS.Path &&
      target.Query === REDIRECT_DEFAULTS.Query;
    if (sameUrl && toProtocol === protocol && toPort === String(port)) {
      throw modeled(
        InvalidLoadBalancerActionException,
        "The redirect configuration is not valid because it creates a loop.",
      );
    }
  }
}
