/** Lowercase with `-` separators: managed rule identifiers are UPPER_SNAKE, deployed rule names kebab. */
export function normalizeRuleName(name: string): string {
  return name.toLowerCase().replaceAll("_", "-");
}

/**
 * Deployed rule names embed the managed rule identifier with a prefix and a
 * suffix (Security Hub: `securityhub-alb-http-to-https-redirection-check-a1b2c3`,
 * conformance packs: `...-conformance-pack-xyz`), so the match is "contains".
 */
export function ruleNameMatches(configRuleName: string, managedRules: readonly string[]): boolean {
  const name = normalizeRuleName(configRuleName);
  return managedRules.some((rule) => name.includes(normalizeRuleName(rule)));
}
