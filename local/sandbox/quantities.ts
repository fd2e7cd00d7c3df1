import { isRecord } from "./json.js";

export interface QuantityProblem {
  path: (string | number)[];
  message: string;
  /** True when Quantity is well-formed but does not match Items (CloudFront's InconsistentQuantities). */
  inconsistent: boolean;
}

/**
 * CloudFront lists are `{ Quantity, Items }` pairs and CloudFront rejects a
 * config whose Quantity disagrees with its Items: the classic way a
 * read-modify-write that edits Items but forgets Quantity fails. Items may be
 * left out when Quantity is 0.
 */
export function quantityProblem(value: unknown, path: (string | number)[] = []): QuantityProblem | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = quantityProblem(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if ("Quantity" in value || "Items" in value) {
    const { Quantity: quantity, Items: items } = value;
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0) {
      return { path: [...path, "Quantity"], message: "must be a whole number of items", inconsistent: false };
    }
    if (items !== undefined && !Array.isArray(items)) {
      return { path: [...path, "Items"], message: "must be a list", inconsistent: false };
    }
    const count = items?.length ?? 0;
    if (count !== quantity) {
      return {
        path: [...path, "Quantity"],
        message: `is ${quantity} but Items has ${count} entr${count === 1 ? "y" : "ies"}`,
        inconsistent: true,
      };
    }
  }
  for (const [key, member] of Object.entries(value)) {
    const found = quantityProblem(member, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** `Origins.Items[0].CustomOriginConfig.OriginSslProtocols.Quantity` */
export function formatPath(path: (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    "",
  );
}
