export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value)
  );
}

/**
 * A deep copy without `undefined` members. What goes into the sandbox and what
 * comes out is always copied, so a caller that later mutates its input or an
 * output cannot change the account behind the API's back, and optional SDK
 * fields left `undefined` do not show up as keys in stored state.
 */
export function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => copy(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  // Blobs (a KMS message, MAC or signature) stay bytes, as the SDK hands them over and takes them back.
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (isRecord(value)) {
    const out: Json = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = copy(member);
    }
    return out as T;
  }
  return value;
}
