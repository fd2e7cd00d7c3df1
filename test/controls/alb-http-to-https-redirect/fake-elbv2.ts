import {
  type Action,
  ElasticLoadBalancingV2ServiceException,
  type Listener,
  ListenerNotFoundException,
  type LoadBalancer,
  LoadBalancerNotFoundException,
  type Rule,
  RuleNotFoundException,
  type Tag,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { useClientPlugin } from "../../../functions/lib/aws.js";

/**
 * A small in-memory ELBv2 answering at the SDK's initialize step, so the control
 * runs its real commands (and pagination) without a network. It only knows the
 * calls this control makes; anything else fails loudly.
 */
export interface FakeElbv2State {
  loadBalancers: (Omit<LoadBalancer, "CreatedTime"> & { CreatedTime?: string })[];
  listeners: Listener[];
  /** Non-default rules, each with the listener it belongs to (the scenario state shape). */
  rules: (Rule & { ListenerArn: string })[];
  tags: { ResourceArn: string; Tags: Tag[] }[];
}

export interface FakeCall {
  region: string;
  command: string;
  input: Record<string, unknown>;
}

type Input = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);
const regionOf = (arn: string) => arn.split(":")[3];

function notFound(kind: "listener" | "loadBalancer" | "rule", arn: string): Error {
  const $metadata = { httpStatusCode: 400 };
  if (kind === "listener")
    return new ListenerNotFoundException({ $metadata, message: `One or more listeners not found: ${arn}` });
  if (kind === "loadBalancer") {
    return new LoadBalancerNotFoundException({
      $metadata,
      message: `One or more load balancers not found: ${arn}`,
    });
  }
  return new RuleNotFoundException({ $metadata, message: `One or more rules not found: ${arn}` });
}

export class FakeElbv2 {
  readonly state: FakeElbv2State;
  readonly calls: FakeCall[] = [];
  /** Errors to throw, once each, for the next call of a command (e.g. Throttling on ModifyListener). */
  readonly failures = new Map<string, Error[]>();
  /** Items per page when the caller does not ask: small, so every caller must follow NextMarker. */
  pageSize = 1;
  private release: (() => void) | undefined;

  constructor(state: Partial<FakeElbv2State> = {}) {
    this.state = clone({
      loadBalancers: state.loadBalancers ?? [],
      listeners: state.listeners ?? [],
      rules: state.rules ?? [],
      tags: state.tags ?? [],
    });
  }

  install(): this {
    this.release = useClientPlugin({
      plugin: ({ service, region }) => ({
        applyToStack: (stack) => {
          stack.add(
            (_next, context) => async (args) => {
              if (service !== "elbv2") throw new Error(`fake ELBv2 received a ${service} client call`);
              const command = (context.commandName ?? "").replace(/Command$/, "");
              const input = clone((args.input ?? {}) as Input);
              this.calls.push({ region, command, input });
              const failure = this.failures.get(command)?.shift();
              if (failure) throw failure;
              const output = this.handle(region, command, input);
              return { output: { ...output, $metadata: { httpStatusCode: 200 } }, response: {} };
            },
            { step: "initialize", name: "fakeElbv2", priority: "high" },
          );
        },
      }),
    });
    return this;
  }

  uninstall(): void {
    this.release?.();
    this.release = undefined;
  }

  throttleNext(command: string): void {
    const error = new ElasticLoadBalancingV2ServiceException({
      name: "Throttling",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "Rate exceeded",
    });
    this.failures.set(command, [...(this.failures.get(command) ?? []), error]);
  }

  /** Distinct commands seen, for checking them against the control's IAM actions. */
  commands(): string[] {
    return [...new Set(this.calls.map((c) => c.command))].sort();
  }

  listener(arn: string): Listener | undefined {
    return this.state.listeners.find((l) => l.ListenerArn === arn);
  }

  rule(arn: string): (Rule & { ListenerArn: string }) | undefined {
    return this.state.rules.find((r) => r.RuleArn === arn);
  }

  private handle(region: string, command: string, input: Input): Record<string, unknown> {
    switch (command) {
      case "DescribeLoadBalancers":
        return this.describeLoadBalancers(region, input);
      case "DescribeListeners":
        return this.describeListeners(region, input);
      case "DescribeRules":
        return this.describeRules(region, input);
      case "DescribeTags":
        return this.describeTags(region, input);
      case "ModifyListener":
        return this.modifyListener(region, input);
      case "ModifyRule":
        return this.modifyRule(region, input);
      default:
        throw new Error(`fake ELBv2 does not implement ${command}`);
    }
  }

  private page<T>(items: T[], input: Input): { items: T[]; NextMarker?: string } {
    const start = Number(input.Marker ?? 0);
    const size = Number(input.PageSize ?? this.pageSize);
    const end = start + size;
    return { items: items.slice(start, end), ...(end < items.length ? { NextMarker: String(end) } : {}) };
  }

  private loadBalancer(region: string, arn: string): FakeElbv2State["loadBalancers"][number] {
    const lb = this.state.loadBalancers.find((l) => l.LoadBalancerArn === arn && regionOf(arn) === region);
    if (!lb) throw notFound("loadBalancer", arn);
    return lb;
  }

  private listenerIn(region: string, arn: string): Listener {
    const listener = this.listener(arn);
    if (!listener || regionOf(arn) !== region) throw notFound("listener", arn);
    return listener;
  }

  private describeLoadBalancers(region: string, input: Input) {
    const arns = input.LoadBalancerArns as string[] | undefined;
    const matches = arns
      ? arns.map((arn) => this.loadBalancer(region, arn))
      : this.state.loadBalancers.filter((lb) => regionOf(lb.LoadBalancerArn ?? "") === region);
    const { items, NextMarker } = this.page(matches, input);
    const LoadBalancers = items.map((lb) => ({
      ...clone(lb),
      ...(lb.CreatedTime ? { CreatedTime: new Date(lb.CreatedTime) } : {}),
    }));
    return { LoadBalancers, NextMarker };
  }

  private describeListeners(region: string, input: Input) {
    const arns = input.ListenerArns as string[] | undefined;
    let matches: Listener[];
    if (arns) {
      matches = arns.map((arn) => this.listenerIn(region, arn));
    } else {
      const lbArn = String(input.LoadBalancerArn);
      this.loadBalancer(region, lbArn);
      matches = this.state.listeners.filter((l) => l.LoadBalancerArn === lbArn);
    }
    const { items, NextMarker } = this.page(matches, input);
    return { Listeners: clone(items), NextMarker };
  }

  /** AWS lists the default rule too (IsDefault, Priority "default"), after the numbered ones. */
  private describeRules(region: string, input: Input) {
    const listener = this.listenerIn(region, String(input.ListenerArn));
    const listenerArn = listener.ListenerArn as string;
    const numbered = this.state.rules
      .filter((r) => r.ListenerArn === listenerArn)
      .sort((a, b) => Number(a.Priority) - Number(b.Priority))
      .map(({ ListenerArn: _, ...rule }) => ({ ...rule, IsDefault: false }));
    const defaultRule: Rule = {
      RuleArn: `${listenerArn.replace(":listener/", ":listener-rule/")}/0000000000000000`,
      Priority: "default",
      Conditions: [],
      Actions: listener.DefaultActions ?? [],
      IsDefault: true,
    };
    const { items, NextMarker } = this.page([...numbered, defaultRule], input);
    return { Rules: clone(items), NextMarker };
  }

  private describeTags(region: string, input: Input) {
    const TagDescriptions = (input.ResourceArns as string[]).map((arn) => {
      if (arn.includes(":loadbalancer/")) this.loadBalancer(region, arn);
      else if (arn.includes(":listener/")) this.listenerIn(region, arn);
      return {
        ResourceArn: arn,
        Tags: clone(this.state.tags.find((t) => t.ResourceArn === arn)?.Tags ?? []),
      };
    });
    return { TagDescriptions };
  }

  private modifyListener(region: string, input: Input) {
    const listener = this.listenerIn(region, String(input.ListenerArn));
    if (input.DefaultActions) listener.DefaultActions = clone(input.DefaultActions as Action[]);
    return { Listeners: [clone(listener)] };
  }

  private modifyRule(region: string, input: Input) {
    const arn = String(input.RuleArn);
    const rule = this.rule(arn);
    if (!rule || regionOf(arn) !== region) throw notFound("rule", arn);
    if (input.Actions) rule.Actions = clone(input.Actions as Action[]);
    if (input.Conditions) rule.Conditions = clone(input.Conditions as Rule["Conditions"]);
    const { ListenerArn: _, ...out } = rule;
    return { Rules: [clone(out)] };
  }
}
