import { BlockList, isIP } from "node:net";

/**
 * EventBridge event-pattern matching, as the deployed rules evaluate it, so the
 * local runtime routes exactly the events AWS would. No maintained npm package
 * implements these semantics (Event Ruler is Java-only), hence this module.
 *
 * Semantics kept from EventBridge / Event Ruler:
 * - every pattern leaf is a non-empty array of alternatives; keys are ANDed;
 * - an event array matches when any of its elements matches;
 * - a field that is absent, an empty array, or an object where the pattern
 *   expects a value has no value: only `{ "exists": false }` matches it, and
 *   `anything-but` does not;
 * - numbers compare numerically (5 equals 5.0) and never equal strings;
 * - `$or` takes at least two sub-patterns, at any level.
 */

export class InvalidPatternError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`invalid event pattern at ${path || "(root)"}: ${message}`);
    this.name = "InvalidPatternError";
  }
}

type Scalar = string | number | boolean | null;
type ValueTest = (value: Scalar) => boolean;

interface LeafMatcher {
  kind: "leaf";
  /** Alternatives for a present value. */
  tests: ValueTest[];
  /** Matches when the field has no value. */
  matchesMissing: boolean;
}

interface ObjectMatcher {
  kind: "object";
  fields: Array<{ key: string; matcher: Matcher }>;
  or: ObjectMatcher[];
}

type Matcher = LeafMatcher | ObjectMatcher;

/** Validates a pattern once; the returned function tests events against it. */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  if (!isPlainObject(pattern)) throw new InvalidPatternError("a pattern must be a JSON object", "");
  const matcher = compileObject(pattern, "");
  if (matcher.fields.length === 0 && matcher.or.length === 0) {
    throw new InvalidPatternError("a pattern must name at least one field", "");
  }
  return (event) => matchObject(matcher, event);
}

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

function compileObject(pattern: Record<string, unknown>, path: string): ObjectMatcher {
  const matcher: ObjectMatcher = { kind: "object", fields: [], or: [] };
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === "$or") {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidPatternError("$or takes an array of at least two patterns", at);
      }
      matcher.or = value.map((branch, index) => {
        if (!isPlainObject(branch) || Object.keys(branch).length === 0) {
          throw new InvalidPatternError("each $or branch must be a non-empty object", `${at}[${index}]`);
        }
        return compileObject(branch, `${at}[${index}]`);
      });
    } else if (Array.isArray(value)) {
      matcher.fields.push({ key, matcher: compileLeaf(value, at) });
    } else if (isPlainObject(value)) {
      if (Object.keys(value).length === 0)
        throw new InvalidPatternError("an object must name at least one field", at);
      matcher.fields.push({ key, matcher: compileObject(value, at) });
    } else {
      throw new InvalidPatternError(`match values must be in an array, got ${describe(value)}`, at);
    }
  }
  return matcher;
}

function compileLeaf(alternatives: unknown[], path: string): LeafMatcher {
  if (alternatives.length === 0) throw new InvalidPatternError("an empty array matches nothing", path);
  const leaf: LeafMatcher = { kind: "leaf", tests: [], matchesMissing: false };
  alternatives.forEach((alternative, index) => {
    const at = `${path}[${index}]`;
    if (isScalar(alternative)) {
      leaf.tests.push(equalsTest(alternative));
      return;
    }
    if (!isPlainObject(alternative))
      throw new InvalidPatternError(`unsupported value ${describe(alternative)}`, at);
    const keys = Object.keys(alternative);
    if (keys.length !== 1) throw new InvalidPatternError("an operator object has exactly one key", at);
    const operator = keys[0] as string;
    const operand = alternative[operator];
    if (operator === "exists") {
      if (typeof operand !== "boolean") throw new InvalidPatternError("exists takes true or false", at);
      if (operand) leaf.tests.push(() => true);
      else leaf.matchesMissing = true;
      return;
    }
    leaf.tests.push(compileOperator(operator, operand, at));
  });
  return leaf;
}

function compileOperator(operator: string, operand: unknown, at: string): ValueTest {
  switch (operator) {
    case "prefix":
      return affixTest(operand, at, "prefix", (value, affix) => value.startsWith(affix));
    case "suffix":
      return affixTest(operand, at, "suffix", (value, affix) => value.endsWith(affix));
    case "equals-ignore-case": {
      const expected = requireString(operand, at, operator).toLowerCase();
      return (value) => typeof value === "string" && value.toLowerCase() === expected;
    }
    case "wildcard": {
      const regex = wildcardRegex(requireString(operand, at, operator), at);
      return (value) => typeof value === "string" && regex.test(value);
    }
    case "anything-but":
      return anythingButTest(operand, at);
    case "numeric":
      return numericTest(operand, at);
    case "cidr":
      return cidrTest(operand, at);
    default:
      throw new InvalidPatternError(`unknown operator "${operator}"`, at);
  }
}

function affixTest(
  operand: unknown,
  at: string,
  operator: string,
  test: (value: string, affix: string) => boolean,
): ValueTest {
  if (typeof operand === "string") return (value) => typeof value === "string" && test(value, operand);
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && "equals-ignore-case" in operand) {
    const affix = requireString(
      operand["equals-ignore-case"],
      at,
      `${operator} equals-ignore-case`,
    ).toLowerCase();
    return (value) => typeof value === "string" && test(value.toLowerCase(), affix);
  }
  throw new InvalidPatternError(`${operator} takes a string or { "equals-ignore-case": string }`, at);
}

function anythingButTest(operand: unknown, at: string): ValueTest {
  if (typeof operand === "string" || typeof operand === "number") {
    const excluded = equalsTest(operand);
    return (value) => !excluded(value);
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new InvalidPatternError("anything-but takes a non-empty list", at);
    const excluded = operand.map((item, index) => {
      if (typeof item !== "string" && typeof item !== "number") {
        throw new InvalidPatternError("anything-but lists hold strings or numbers", `${at}[${index}]`);
      }
      return equalsTest(item);
    });
    return (value) => !excluded.some((test) => test(value));
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [operator] = Object.keys(operand) as [string];
    const inner = operand[operator];
    const strings = (name: string): string[] => {
      const list = Array.isArray(inner) ? inner : [inner];
      if (list.length === 0 || !list.every((item) => typeof item === "string")) {
        throw new InvalidPatternError(
          `anything-but ${name} takes a string or a non-empty list of strings`,
          at,
        );
      }
      return list as string[];
    };
    let excluded: (value: string) => boolean;
    switch (operator) {
      case "prefix": {
        const prefix = requireString(inner, at, "anything-but prefix");
        excluded = (value) => value.startsWith(prefix);
        break;
      }
      case "suffix": {
        const suffix = requireString(inner, at, "anything-but suffix");
        excluded = (value) => value.endsWith(suffix);
        break;
      }
      case "equals-ignore-case": {
        const lowered = strings(operator).map((item) => item.toLowerCase());
        excluded = (value) => lowered.includes(value.toLowerCase());
        break;
      }
      case "wildcard": {
        const regexes = strings(operator).map((item) => wildcardRegex(item, at));
        excluded = (value) => regexes.some((regex) => regex.test(value));
        break;
      }
      default:
        throw new InvalidPatternError(`anything-but does not support "${operator}"`, at);
    }
    // Only strings can start with, end with or look like a string.
    return (value) => typeof value !== "string" || !excluded(value);
  }
  throw new InvalidPatternError("anything-but takes a value, a list, or a prefix/suffix/wildcard object", at);
}

const comparators: Record<string, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "=": (a, b) => a === b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function numericTest(operand: unknown, at: string): ValueTest {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidPatternError(
      'numeric takes one or two [operator, number] pairs, e.g. [">", 0, "<=", 5]',
      at,
    );
  }
  const checks: Array<(value: number) => boolean> = [];
  let lower = false;
  let upper = false;
  for (let index = 0; index < operand.length; index += 2) {
    const operator = operand[index];
    const bound = operand[index + 1];
    const compare = typeof operator === "string" ? comparators[operator] : undefined;
    if (!compare) throw new InvalidPatternError(`unknown numeric operator ${describe(operator)}`, at);
    if (typeof bound !== "number" || !Number.isFinite(bound)) {
      throw new InvalidPatternError(`numeric ${operator} needs a number`, at);
    }
    if (operator === "=" && operand.length > 2) throw new InvalidPatternError('numeric "=" stands alone', at);
    if (operator.startsWith(">")) {
      if (lower) throw new InvalidPatternError("numeric has two lower bounds", at);
      lower = true;
    }
    if (operator.startsWith("<")) {
      if (upper) throw new InvalidPatternError("numeric has two upper bounds", at);
      upper = true;
    }
    checks.push((value) => compare(value, bound));
  }
  return (value) => typeof value === "number" && checks.every((check) => check(value));
}

function cidrTest(operand: unknown, at: string): ValueTest {
  const text = requireString(operand, at, "cidr");
  const [address = "", prefixText] = text.split("/");
  const family = isIP(address);
  const prefix = Number(prefixText);
  const maximum = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    prefixText === undefined ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > maximum
  ) {
    throw new InvalidPatternError(`"${text}" is not a CIDR block such as 10.0.0.0/24`, at);
  }
  const type = family === 6 ? "ipv6" : "ipv4";
  const block = new BlockList();
  block.addSubnet(address, prefix, type);
  return (value) => typeof value === "string" && isIP(value) === family && block.check(value, type);
}

function wildcardRegex(pattern: string, at: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === "\\") {
      const next = pattern[index + 1];
      if (next !== "*" && next !== "\\") {
        throw new InvalidPatternError(`wildcard "${pattern}": "\\" escapes only "*" or "\\"`, at);
      }
      source += escapeRegex(next);
      index += 1;
    } else if (char === "*") {
      if (pattern[index + 1] === "*") {
        throw new InvalidPatternError(`wildcard "${pattern}" has consecutive "*"`, at);
      }
      source += "[\\s\\S]*";
    } else {
      source += escapeRegex(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function equalsTest(expected: Scalar): ValueTest {
  return (value) => value === expected;
}

function requireString(value: unknown, at: string, operator: string): string {
  if (typeof value !== "string") throw new InvalidPatternError(`${operator} takes a string`, at);
  return value;
}

function matchObject(matcher: ObjectMatcher, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = value.flat(Number.POSITIVE_INFINITY);
    // Fields must come from one element, as in Event Ruler; an empty array is a missing value.
    return elements.length === 0
      ? matchObject(matcher, undefined)
      : elements.some((e) => matchObject(matcher, e));
  }
  const record = isPlainObject(value) ? value : undefined;
  for (const { key, matcher: field } of matcher.fields) {
    const fieldValue = record?.[key];
    const ok = field.kind === "leaf" ? matchLeaf(field, fieldValue) : matchObject(field, fieldValue);
    if (!ok) return false;
  }
  return matcher.or.length === 0 || matcher.or.some((branch) => matchObject(branch, value));
}

function matchLeaf(matcher: LeafMatcher, value: unknown): boolean {
  const values = leafValues(value);
  if (values.length === 0) return matcher.matchesMissing;
  return values.some((item) => matcher.tests.some((test) => test(item)));
}

/** The scalar values at a path; objects are inner nodes, not values. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flat(Number.POSITIVE_INFINITY).filter(isScalar);
  return isScalar(value) ? [value] : [];
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
