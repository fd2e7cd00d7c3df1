import { createHash } from "node:crypto";

/** JSON with object keys sorted, so equal states give equal digests whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return v;
  });
}

export function digest(value: unknown, length = 16): string {
  return createHash("sha256").update(stableJson(value)).digest("hex").slice(0, length);
}
