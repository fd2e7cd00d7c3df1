import { createHash } from "node:crypto";

/**
 * Identifiers the sandbox hands out. They are hashes of a seed and a per-kind
 * counter rather than random values, so the same scenario run twice produces
 * the same ARNs, ETags and request ids, and reports can be compared verbatim.
 */
export function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Uppercase letters and digits derived from a text, `length` of them. */
export function alnumOf(text: string, length: number): string {
  const bytes = createHash("sha256").update(text).digest();
  let out = "";
  for (let i = 0; out.length < length; i++) {
    const byte = bytes[i % bytes.length] ?? 0;
    // Mixing the round into the byte keeps long ids from repeating the 32-byte digest.
    out += ALNUM[(byte + Math.floor(i / bytes.length) * 7) % ALNUM.length];
  }
  return out;
}

/** A version-4-shaped UUID derived from a text. */
export function uuidOf(text: string): string {
  const h = hash(text);
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class IdSource {
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed: string) {}

  private next(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${this.seed}/${kind}/${n}`;
  }

  hex(kind: string, length = 16): string {
    return hash(this.next(kind)).slice(0, length);
  }

  alnum(kind: string, length: number): string {
    return alnumOf(this.next(kind), length);
  }

  uuid(kind: string): string {
    return uuidOf(this.next(kind));
  }
}
