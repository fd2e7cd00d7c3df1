import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig } from "@aws-sdk/client-cloudfront";

/**
 * Cache behaviors named the way a plan and an email can name them: the
 * default behavior has no path pattern (null), an ordered one is known by its
 * PathPattern, which CloudFront keeps unique within a distribution.
 */
export interface BehaviorRef {
  pathPattern: string | null;
}

export interface NamedBehavior extends BehaviorRef {
  /** `default` or the quoted path pattern, for messages. */
  label: string;
  behavior: DefaultCacheBehavior | CacheBehavior;
}

export function behaviorLabel(ref: BehaviorRef): string {
  return ref.pathPattern === null ? "default" : JSON.stringify(ref.pathPattern);
}

/** The default cache behavior first, then the ordered ones in their order. */
export function cacheBehaviors(config: DistributionConfig): NamedBehavior[] {
  const all: NamedBehavior[] = [];
  if (config.DefaultCacheBehavior) {
    all.push({ pathPattern: null, label: "default", behavior: config.DefaultCacheBehavior });
  }
  for (const behavior of config.CacheBehaviors?.Items ?? []) {
    const pathPattern = behavior.PathPattern ?? "";
    all.push({ pathPattern, label: behaviorLabel({ pathPattern }), behavior });
  }
  return all;
}

/** The behavior a ref names in `config` (a copy being edited, typically); undefined when it is gone. */
export function findBehavior(
  config: DistributionConfig,
  ref: BehaviorRef,
): DefaultCacheBehavior | CacheBehavior | undefined {
  if (ref.pathPattern === null) return config.DefaultCacheBehavior;
  return config.CacheBehaviors?.Items?.find((behavior) => behavior.PathPattern === ref.pathPattern);
}
