import type { Scope } from "../lib/config.js";

/**
 * Whether a resource is one a control applies to: every tag key the scope
 * lists must be on the resource, with one of the listed values (an empty list
 * accepts any value). The same test runs wherever a resource is judged
 * (events, workflow, sweep, scan), so scope cannot differ between them.
 */
export function outOfScope(tags: Record<string, string>, scope: Scope): string | undefined {
  for (const [key, values] of Object.entries(scope.tags)) {
    const value = tags[key];
    if (value === undefined) return `it has no tag ${key} (scope.tags requires ${describe(values)})`;
    if (values.length > 0 && !values.includes(value)) {
      return `its tag ${key} is not ${describe(values)} (scope.tags)`;
    }
  }
  return undefined;
}

function describe(values: string[]): string {
  if (values.length === 0) return "any value";
  return values.map((value) => JSON.stringify(value)).join(" or ");
}
