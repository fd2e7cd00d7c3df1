/**
 * Every error driftwarden raises names the resource it concerns and the reason,
 * so a log line or an on-call email is enough to act on it.
 */
export class DriftwardenError extends Error {
  constructor(
    message: string,
    readonly resource?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An event or input that does not have the shape we accept. Nothing was changed. */
export class MalformedInputError extends DriftwardenError {}

/** Configuration that does not validate; the message names the field. */
export class ConfigurationError extends DriftwardenError {}

/** The resource no longer exists (deleted between the event and the re-check). */
export class ResourceGoneError extends DriftwardenError {}

/** A fix was attempted and AWS refused or the result did not verify. */
export class FixFailedError extends DriftwardenError {}

/** An optimistic-concurrency write lost the race too many times. */
export class ConcurrentModificationError extends DriftwardenError {}

/** A control id that the registry does not know. */
export class UnknownControlError extends DriftwardenError {}

/** An approval that cannot be decided (unknown, already decided, expired, bad signature). */
export class ApprovalError extends DriftwardenError {}

/**
 * A decision that did not reach the workflow (delivery failed after retries):
 * it was not recorded and the request is still decidable.
 */
export class ApprovalDeliveryError extends ApprovalError {}

/** An event intake could not fully handle; thrown so that it is delivered again. */
export class IntakeFailedError extends DriftwardenError {}

/** A runtime exemption that cannot be removed (there is none) or recorded. */
export class ExemptionError extends DriftwardenError {}

/** `driftwarden audit verify` found the ledger changed, cut or unsealed; the message counts what. */
export class AuditTamperedError extends DriftwardenError {
  constructor(
    message: string,
    resource: string,
    /** The whole verification report, printed before the one-line error. */
    readonly report: string,
  ) {
    super(message, resource);
  }
}

/** A scenario file that cannot be run; the message names the field. */
export class ScenarioError extends DriftwardenError {}

/** The name AWS SDK errors are told apart by (ConditionalCheckFailedException, PreconditionFailed, ...). */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** `Name: message`, for results and logs that must say what failed without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
