import { describe, expect, it } from "vitest";
import { compilePattern, InvalidPatternError, matchesPattern } from "../../local/router/match.js";

const event = {
  source: "aws.elasticloadbalancing",
  "detail-type": "AWS API Call via CloudTrail",
  region: "us-west-2",
  resources: [],
  detail: {
    eventName: "ModifyListener",
    port: 80,
    ratio: 0.5,
    enabled: true,
    nothing: null,
    empty: "",
    tags: ["blue", "Prod"],
    sourceIPAddress: "10.0.1.17",
    ipv6: "2001:db8::1",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/deploy-bot" },
    listeners: [
      { port: 80, protocol: "HTTP" },
      { port: 443, protocol: "HTTPS" },
    ],
    star: "a*b",
  },
};

const d = (detail: Record<string, unknown>) => ({ detail });

describe("matchesPattern: one operator at a time", () => {
  it.each([
    // exact values; an array of alternatives is "any of"
    { operator: "exact string", pattern: { source: ["aws.elasticloadbalancing"] }, matches: true },
    { operator: "exact string (other)", pattern: { source: ["aws.ec2"] }, matches: false },
    { operator: "any of", pattern: { source: ["aws.ec2", "aws.elasticloadbalancing"] }, matches: true },
    { operator: "case-sensitive", pattern: { source: ["AWS.elasticloadbalancing"] }, matches: false },
    { operator: "number", pattern: d({ port: [80] }), matches: true },
    { operator: "number equals its float form", pattern: d({ port: [80.0] }), matches: true },
    { operator: "number never equals a string", pattern: d({ port: ["80"] }), matches: false },
    { operator: "boolean", pattern: d({ enabled: [true] }), matches: true },
    { operator: "boolean (other)", pattern: d({ enabled: [false] }), matches: false },
    { operator: "null", pattern: d({ nothing: [null] }), matches: true },
    { operator: "null is not a missing field", pattern: d({ absent: [null] }), matches: false },
    { operator: "empty string", pattern: d({ empty: [""] }), matches: true },
    // nesting and event arrays
    { operator: "nested object", pattern: d({ userIdentity: { type: ["IAMUser"] } }), matches: true },
    { operator: "event array: any element", pattern: d({ tags: ["Prod"] }), matches: true },
    { operator: "event array: none", pattern: d({ tags: ["green"] }), matches: false },
    {
      operator: "array of objects: one element",
      pattern: d({ listeners: { port: [443], protocol: ["HTTPS"] } }),
      matches: true,
    },
    {
      operator: "array of objects: fields from different elements",
      pattern: d({ listeners: { port: [80], protocol: ["HTTPS"] } }),
      matches: false,
    },
    { operator: "empty event array is missing", pattern: { resources: ["x"] }, matches: false },
    {
      operator: "empty event array exists false",
      pattern: { resources: [{ exists: false }] },
      matches: true,
    },
    // prefix / suffix / equals-ignore-case
    { operator: "prefix", pattern: d({ eventName: [{ prefix: "Modify" }] }), matches: true },
    { operator: "prefix (other)", pattern: d({ eventName: [{ prefix: "modify" }] }), matches: false },
    {
      operator: "prefix ignoring case",
      pattern: d({ eventName: [{ prefix: { "equals-ignore-case": "modify" } }] }),
      matches: true,
    },
    { operator: "prefix on a number", pattern: d({ port: [{ prefix: "8" }] }), matches: false },
    { operator: "suffix", pattern: d({ eventName: [{ suffix: "Listener" }] }), matches: true },
    { operator: "suffix (other)", pattern: d({ eventName: [{ suffix: "Rule" }] }), matches: false },
    {
      operator: "suffix ignoring case",
      pattern: d({ eventName: [{ suffix: { "equals-ignore-case": "LISTENER" } }] }),
      matches: true,
    },
    {
      operator: "equals-ignore-case",
      pattern: d({ eventName: [{ "equals-ignore-case": "modifylistener" }] }),
      matches: true,
    },
    {
      operator: "equals-ignore-case (other)",
      pattern: d({ eventName: [{ "equals-ignore-case": "modify" }] }),
      matches: false,
    },
    // anything-but
    {
      operator: "anything-but value",
      pattern: d({ eventName: [{ "anything-but": "CreateListener" }] }),
      matches: true,
    },
    {
      operator: "anything-but the value",
      pattern: d({ eventName: [{ "anything-but": "ModifyListener" }] }),
      matches: false,
    },
    {
      operator: "anything-but list",
      pattern: d({ eventName: [{ "anything-but": ["A", "ModifyListener"] }] }),
      matches: false,
    },
    {
      operator: "anything-but number",
      pattern: d({ port: [{ "anything-but": [443, 8443] }] }),
      matches: true,
    },
    {
      operator: "anything-but a missing field",
      pattern: d({ absent: [{ "anything-but": "x" }] }),
      matches: false,
    },
    {
      operator: "anything-but prefix",
      pattern: d({ eventName: [{ "anything-but": { prefix: "Describe" } }] }),
      matches: true,
    },
    {
      operator: "anything-but prefix (excluded)",
      pattern: d({ eventName: [{ "anything-but": { prefix: "Modify" } }] }),
      matches: false,
    },
    {
      operator: "anything-but suffix (excluded)",
      pattern: d({ eventName: [{ "anything-but": { suffix: "Listener" } }] }),
      matches: false,
    },
    {
      operator: "anything-but equals-ignore-case (excluded)",
      pattern: d({ eventName: [{ "anything-but": { "equals-ignore-case": ["modifylistener", "x"] } }] }),
      matches: false,
    },
    {
      operator: "anything-but wildcard (excluded)",
      pattern: d({ eventName: [{ "anything-but": { wildcard: "Modify*" } }] }),
      matches: false,
    },
    {
      operator: "anything-but wildcard",
      pattern: d({ eventName: [{ "anything-but": { wildcard: "Create*" } }] }),
      matches: true,
    },
    {
      operator: "anything-but on an array: one other element",
      pattern: d({ tags: [{ "anything-but": "blue" }] }),
      matches: true,
    },
    // exists
    { operator: "exists true", pattern: d({ eventName: [{ exists: true }] }), matches: true },
    { operator: "exists true on missing", pattern: d({ absent: [{ exists: true }] }), matches: false },
    { operator: "exists true on null", pattern: d({ nothing: [{ exists: true }] }), matches: true },
    { operator: "exists false on missing", pattern: d({ absent: [{ exists: false }] }), matches: true },
    { operator: "exists false on present", pattern: d({ eventName: [{ exists: false }] }), matches: false },
    {
      operator: "exists false under a missing parent",
      pattern: d({ userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } }),
      matches: true,
    },
    {
      operator: "exists true under a missing parent",
      pattern: d({ userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: true }] } } } }),
      matches: false,
    },
    {
      operator: "exists false on an object (not a leaf)",
      pattern: d({ userIdentity: [{ exists: false }] }),
      matches: true,
    },
    {
      operator: "exists true on an object (not a leaf)",
      pattern: d({ userIdentity: [{ exists: true }] }),
      matches: false,
    },
    // numeric
    { operator: "numeric range", pattern: d({ port: [{ numeric: [">", 0, "<=", 80] }] }), matches: true },
    { operator: "numeric outside", pattern: d({ port: [{ numeric: [">", 80] }] }), matches: false },
    { operator: "numeric equals", pattern: d({ ratio: [{ numeric: ["=", 0.5] }] }), matches: true },
    { operator: "numeric on a string", pattern: d({ eventName: [{ numeric: [">", 0] }] }), matches: false },
    // wildcard
    { operator: "wildcard", pattern: d({ eventName: [{ wildcard: "Modify*er" }] }), matches: true },
    { operator: "wildcard anywhere", pattern: d({ eventName: [{ wildcard: "*List*" }] }), matches: true },
    { operator: "wildcard (other)", pattern: d({ eventName: [{ wildcard: "Create*" }] }), matches: false },
    {
      operator: "wildcard is case-sensitive",
      pattern: d({ eventName: [{ wildcard: "*list*" }] }),
      matches: false,
    },
    { operator: "wildcard escaped star", pattern: d({ star: [{ wildcard: "a\\*b" }] }), matches: true },
    {
      operator: "wildcard escaped star (literal only)",
      pattern: d({ eventName: [{ wildcard: "Modify\\*" }] }),
      matches: false,
    },
    {
      operator: "wildcard regex characters are literal",
      pattern: d({ eventName: [{ wildcard: "Modify.istener" }] }),
      matches: false,
    },
    // cidr
    { operator: "cidr v4", pattern: d({ sourceIPAddress: [{ cidr: "10.0.0.0/16" }] }), matches: true },
    {
      operator: "cidr v4 (outside)",
      pattern: d({ sourceIPAddress: [{ cidr: "10.1.0.0/16" }] }),
      matches: false,
    },
    { operator: "cidr v6", pattern: d({ ipv6: [{ cidr: "2001:db8::/32" }] }), matches: true },
    {
      operator: "cidr on a non-address",
      pattern: d({ eventName: [{ cidr: "10.0.0.0/8" }] }),
      matches: false,
    },
    // $or
    {
      operator: "$or: one branch",
      pattern: d({ $or: [{ eventName: ["CreateListener"] }, { port: [80] }] }),
      matches: true,
    },
    {
      operator: "$or: no branch",
      pattern: d({ $or: [{ eventName: ["CreateListener"] }, { port: [443] }] }),
      matches: false,
    },
    {
      operator: "$or with a sibling field (AND)",
      pattern: { source: ["aws.ec2"], $or: [{ region: ["us-west-2"] }, { region: ["us-east-1"] }] },
      matches: false,
    },
    {
      operator: "$or at two levels",
      pattern: {
        $or: [{ source: ["aws.ec2"] }, { source: ["aws.elasticloadbalancing"] }],
        detail: { $or: [{ absent: [{ exists: false }] }, { port: [1] }] },
      },
      matches: true,
    },
    // AND across fields
    {
      operator: "all fields must match",
      pattern: { source: ["aws.elasticloadbalancing"], region: ["eu-west-1"] },
      matches: false,
    },
    {
      operator: "a value where an object is expected",
      pattern: d({ eventName: { x: ["y"] } }),
      matches: false,
    },
  ])("$operator -> $matches", ({ pattern, matches }) => {
    // Act
    const result = matchesPattern(pattern, event);

    // Assess
    expect(result).toBe(matches);
  });
});

describe("compilePattern rejects invalid patterns with the path", () => {
  it.each([
    { name: "not an object", pattern: ["aws.ec2"], message: /must be a JSON object/ },
    { name: "empty pattern", pattern: {}, message: /at least one field/ },
    {
      name: "bare value",
      pattern: { source: "aws.ec2" },
      message: /at source: match values must be in an array/,
    },
    { name: "empty array", pattern: { source: [] }, message: /at source: an empty array/ },
    {
      name: "unknown operator",
      pattern: { source: [{ contains: "x" }] },
      message: /source\[0\]: unknown operator "contains"/,
    },
    {
      name: "two keys in an operator",
      pattern: { source: [{ prefix: "a", suffix: "b" }] },
      message: /exactly one key/,
    },
    {
      name: "exists not boolean",
      pattern: { source: [{ exists: "yes" }] },
      message: /exists takes true or false/,
    },
    { name: "prefix not a string", pattern: { source: [{ prefix: 1 }] }, message: /prefix takes a string/ },
    {
      name: "numeric bad operator",
      pattern: { n: [{ numeric: ["!=", 1] }] },
      message: /unknown numeric operator/,
    },
    { name: "numeric odd length", pattern: { n: [{ numeric: [">", 1, "<"] }] }, message: /numeric takes/ },
    {
      name: "numeric two lower bounds",
      pattern: { n: [{ numeric: [">", 1, ">=", 2] }] },
      message: /two lower bounds/,
    },
    { name: "cidr invalid", pattern: { ip: [{ cidr: "10.0.0.0/33" }] }, message: /not a CIDR block/ },
    { name: "wildcard consecutive stars", pattern: { s: [{ wildcard: "a**b" }] }, message: /consecutive/ },
    { name: "anything-but empty list", pattern: { s: [{ "anything-but": [] }] }, message: /non-empty list/ },
    {
      name: "anything-but unknown",
      pattern: { s: [{ "anything-but": { contains: "x" } }] },
      message: /does not support "contains"/,
    },
    {
      name: "$or with one branch",
      pattern: { $or: [{ a: ["b"] }] },
      message: /at \$or: \$or takes an array of at least two/,
    },
    {
      name: "$or branch not an object",
      pattern: { $or: [{ a: ["b"] }, ["c"]] },
      message: /\$or\[1\]: each \$or branch/,
    },
    { name: "nested array", pattern: { a: [["b"]] }, message: /a\[0\]: unsupported value/ },
    {
      name: "deep path",
      pattern: { detail: { userIdentity: { type: [{ suffix: 3 }] } } },
      message: /detail\.userIdentity\.type\[0\]/,
    },
  ])("$name", ({ pattern, message }) => {
    // Act
    const compile = () => compilePattern(pattern);

    // Assess
    expect(compile).toThrow(InvalidPatternError);
    expect(compile).toThrow(message);
  });
});
