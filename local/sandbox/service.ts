import { type SandboxServiceName, unmodeled, validationError } from "./errors.js";
import type { SandboxIdentity } from "./identity.js";
import { isRecord, type Json } from "./json.js";

export interface CallContext {
  /** The region the client called (for CloudFront always us-east-1). */
  region: string;
  identity: SandboxIdentity;
  now: Date;
}

/** One AWS service of the sandbox account: answers calls in SDK v3 output shapes. */
export interface SandboxService {
  /** Actions that change the account: recorded as mutations and echoed to CloudTrail. */
  readonly mutating: ReadonlySet<string>;
  handle(action: string, input: Json, ctx: CallContext): Json;
}

/** What a service says about an operation the sandbox does not implement (instead of pretending). */
export function unsupported(service: SandboxServiceName, action: string): Error {
  return unmodeled(service, "InvalidAction", `The sandbox account does not implement ${service}:${action}`);
}

/**
 * Reads request members the way AWS validates them: a missing required member
 * or a member of the wrong type is a ValidationError naming the member in
 * AWS's wording (camelCase path, 1-based list positions).
 */
export class InputReader {
  constructor(
    private readonly service: SandboxServiceName,
    readonly input: Json,
  ) {}

  private fail(path: string, value: unknown, constraint: string): Error {
    const shown = value === undefined || value === null ? "null" : `'${JSON.stringify(value)}'`;
    return validationError(
      this.service,
      `1 validation error detected: Value ${shown} at '${wirePath(path)}' failed to satisfy constraint: ${constraint}`,
    );
  }

  string(key: string): string | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw this.fail(key, value, "Member must be a string");
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === "") throw this.fail(key, value, "Member must not be null");
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw this.fail(key, value, `Member must be an integer between ${min} and ${max}`);
    }
    return value;
  }

  requiredInteger(key: string, min: number, max: number): number {
    const value = this.integer(key, min, max);
    if (value === undefined) throw this.fail(key, value, "Member must not be null");
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") throw this.fail(key, value, "Member must be a boolean");
    return value;
  }

  list(key: string): unknown[] | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.fail(key, value, "Member must be a list");
    return value;
  }

  requiredList(key: string): unknown[] {
    const value = this.list(key);
    if (value === undefined || value.length === 0) {
      throw this.fail(
        key,
        value,
        value ? "Member must have length greater than or equal to 1" : "Member must not be null",
      );
    }
    return value;
  }

  stringList(key: string): string[] | undefined {
    const value = this.list(key);
    value?.forEach((item, i) => {
      if (typeof item !== "string") throw this.fail(`${key}.${i + 1}`, item, "Member must be a string");
    });
    return value as string[] | undefined;
  }

  records(key: string, required: boolean): Json[] | undefined {
    const value = required ? this.requiredList(key) : this.list(key);
    value?.forEach((item, i) => {
      if (!isRecord(item)) throw this.fail(`${key}.${i + 1}`, item, "Member must be a structure");
    });
    return value as Json[] | undefined;
  }

  record(key: string): Json | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (!isRecord(value)) throw this.fail(key, value, "Member must be a structure");
    return value;
  }
}

/** `DefaultActions.1.RedirectConfig` -> `defaultActions.1.member.redirectConfig`, as AWS names members. */
export function wirePath(path: string): string {
  return path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? `${part}.member` : part.charAt(0).toLowerCase() + part.slice(1)))
    .join(".");
}
