import { CloudFrontServiceException } from "@aws-sdk/client-cloudfront";
import { ConfigServiceServiceException } from "@aws-sdk/client-config-service";
import { ElasticLoadBalancingV2ServiceException } from "@aws-sdk/client-elastic-load-balancing-v2";
import { KMSServiceException } from "@aws-sdk/client-kms";
import { SFNServiceException } from "@aws-sdk/client-sfn";
import { SNSServiceException, ThrottledException } from "@aws-sdk/client-sns";
import { STSServiceException } from "@aws-sdk/client-sts";
import { WAFV2ServiceException } from "@aws-sdk/client-wafv2";
import type { ResponseMetadata } from "@smithy/types";

/**
 * Errors the sandbox throws are the SDK's own classes, built the way the SDK's
 * deserializers build them, so code under test can use `instanceof`, `name`,
 * `$fault`, `$metadata.httpStatusCode` and `$retryable` exactly as it would
 * against AWS.
 */
export type SandboxServiceName = "elbv2" | "cloudfront" | "sns" | "sts" | "sfn" | "wafv2" | "kms" | "config";

type ServiceError = Error & { $fault: "client" | "server"; $metadata: ResponseMetadata };

type ModeledErrorClass<E extends ServiceError> = new (opts: {
  message: string;
  Message?: string;
  $metadata: ResponseMetadata;
}) => E;

function metadata(httpStatusCode: number): ResponseMetadata {
  return { httpStatusCode, attempts: 1, totalRetryDelay: 0 };
}

/** An error the SDK models as its own class (ListenerNotFoundException, PreconditionFailed, ...). */
export function modeled<E extends ServiceError>(
  ErrorClass: ModeledErrorClass<E>,
  message: string,
  httpStatusCode = 400,
): E {
  // Query and REST-XML services carry the text in `Message`; the SDK mirrors it into `message`.
  return new ErrorClass({ message, Message: message, $metadata: metadata(httpStatusCode) });
}

const bases = {
  elbv2: ElasticLoadBalancingV2ServiceException,
  cloudfront: CloudFrontServiceException,
  sns: SNSServiceException,
  sts: STSServiceException,
  sfn: SFNServiceException,
  wafv2: WAFV2ServiceException,
  kms: KMSServiceException,
  config: ConfigServiceServiceException,
} as const;

/**
 * An error the SDK does not model (ValidationError, Throttling, InvalidAction):
 * the SDK surfaces these as the service's base exception carrying AWS's error code as `name`.
 */
export function unmodeled(
  service: SandboxServiceName,
  name: string,
  message: string,
  options: { httpStatusCode?: number; fault?: "client" | "server"; throttling?: boolean } = {},
): ServiceError {
  const Base = bases[service];
  const error = new Base({
    name,
    message,
    $fault: options.fault ?? "client",
    $metadata: metadata(options.httpStatusCode ?? 400),
  });
  // The base constructor does not take $retryable; the SDK's retry strategy reads it off the instance.
  return Object.assign(
    error,
    { Message: message },
    options.throttling ? { $retryable: { throttling: true } } : {},
  );
}

/** A request that breaks the API's constraints: JSON-protocol services name it ValidationException, query-protocol ones ValidationError. */
export function validationError(service: SandboxServiceName, message: string): ServiceError {
  const json = ["sfn", "wafv2", "kms", "config"].includes(service);
  return unmodeled(service, json ? "ValidationException" : "ValidationError", message);
}

/** What each service answers when a caller exceeds its request rate. */
export function throttlingError(service: SandboxServiceName, action: string): ServiceError {
  const message = `Rate exceeded for ${action}`;
  if (service === "sns") {
    const error = modeled(ThrottledException, message, 429);
    return Object.assign(error, { $retryable: { throttling: true } });
  }
  // Step Functions, WAF, KMS and Config answer a request-rate breach with ThrottlingException ("Rate
  // exceeded"); WAF's own quota error is WAFLimitsExceededException, which is not a throttle.
  const name = ["sfn", "wafv2", "kms", "config"].includes(service) ? "ThrottlingException" : "Throttling";
  return unmodeled(service, name, message, { throttling: true });
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && "$metadata" in error && "$fault" in error;
}
