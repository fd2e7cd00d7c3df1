import {
  InconsistentQuantities,
  InvalidArgument,
  TooLongCSPInResponseHeadersPolicy,
  TooManyCustomHeadersInResponseHeadersPolicy,
  TooManyRemoveHeadersInResponseHeadersPolicy,
} from "@aws-sdk/client-cloudfront";
import { modeled, unmodeled } from "./errors.js";
import { formatPath, quantityProblem } from "./quantities.js";
import { wirePath } from "./service.js";

export type Path = (string | number)[];

/**
 * What is wrong with a submitted CloudFront structure, found by a pure check
 * so the same rule refuses an API call (as CloudFront's error) and a scenario
 * `state` (as a field-naming ScenarioError).
 */
export interface ConfigProblem {
  kind:
    | "invalid"
    | "inconsistent"
    | "enum"
    | "csp-too-long"
    | "too-many-custom-headers"
    | "too-many-remove-headers";
  /** From the checked structure's root, e.g. ["SecurityHeadersConfig", "FrameOptions", "FrameOption"]. */
  path: Path;
  message: string;
  /** For an enum problem: the value given and the values CloudFront knows. */
  value?: unknown;
  allowed?: readonly string[];
}

export function invalidAt(path: Path, message: string): ConfigProblem {
  return { kind: "invalid", path, message };
}

/** A value outside an enum, in the words of CloudFront's request validation. */
export function enumProblem(
  value: unknown,
  allowed: readonly string[],
  path: Path,
): ConfigProblem | undefined {
  if (typeof value === "string" && allowed.includes(value)) return undefined;
  return {
    kind: "enum",
    path,
    message: `'${String(value)}' is not one of ${allowed.join(", ")}`,
    value,
    allowed,
  };
}

/** The first Quantity/Items disagreement, as a problem. */
export function quantitiesProblem(value: unknown): ConfigProblem | undefined {
  const found = quantityProblem(value);
  if (!found) return undefined;
  return { kind: found.inconsistent ? "inconsistent" : "invalid", path: found.path, message: found.message };
}

/** CloudFront's own error for a problem in the structure submitted as `root` (e.g. "DistributionConfig"). */
export function problemError(problem: ConfigProblem, root: string): Error {
  const at = formatPath([root, ...problem.path]);
  switch (problem.kind) {
    case "inconsistent":
      return modeled(
        InconsistentQuantities,
        `The value of Quantity and the size of Items don't match: ${at} ${problem.message}`,
      );
    case "enum": {
      // CloudFront validates enums while reading the XML body and answers like the AWS JSON services do
      // (seen in the wild: "Value 'TLSv1.2' at 'distributionConfig.viewerCertificate.minimumProtocolVersion'").
      const { value, allowed = [] } = problem;
      const shown = value === undefined || value === null ? "null" : `'${String(value)}'`;
      const wire = wirePath(
        [root, ...problem.path].map((p) => (typeof p === "number" ? p + 1 : p)).join("."),
      );
      return unmodeled(
        "cloudfront",
        "MalformedXML",
        `1 validation error detected: Value ${shown} at '${wire}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`,
      );
    }
    case "csp-too-long":
      return modeled(
        TooLongCSPInResponseHeadersPolicy,
        `The length of the Content-Security-Policy header value in the response headers policy exceeds the maximum: ${at} ${problem.message}`,
      );
    case "too-many-custom-headers":
      return modeled(
        TooManyCustomHeadersInResponseHeadersPolicy,
        `The number of custom headers in the response headers policy exceeds the maximum: ${at} ${problem.message}`,
      );
    case "too-many-remove-headers":
      return modeled(
        TooManyRemoveHeadersInResponseHeadersPolicy,
        `The number of headers in RemoveHeadersConfig in the response headers policy exceeds the maximum: ${at} ${problem.message}`,
      );
    default:
      return modeled(InvalidArgument, `${at}: ${problem.message}`);
  }
}
