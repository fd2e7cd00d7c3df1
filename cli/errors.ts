import { CommanderError } from "commander";
import { DriftwardenError, errorMessage } from "../functions/lib/errors.js";

/**
 * How every command fails. An expected failure (no credentials, a wrong
 * table or region, a stopped demo, Ctrl-C, invalid input) is one line that
 * names the cause and what to do, and exit code 2. Anything else is a bug:
 * exit code 1, and the stack only under --debug.
 */

/** Where a command was acting when it failed, so the line can name it. */
export interface FailureContext {
  /** `simulate`, `approvals list`, ... */
  command: string;
  table?: string;
  /** Where the table name came from, for a command whose tables are not the approvals table. */
  tableHint?: string;
  region?: string;
  /** DRIFTWARDEN_LOCAL_ENDPOINT, when the command talks to a local runtime. */
  localEndpoint?: string;
}

export interface Explained {
  exitCode: 0 | 1 | 2;
  /** One line without its prefix; empty when the message was already printed (commander). */
  message: string;
  internal: boolean;
}

/** The user pressed Ctrl-C (SIGINT) while a command was running. */
export class InterruptedError extends DriftwardenError {}

// What AWS answers when it does not accept the credentials (DynamoDB, STS and Query protocol spellings).
const rejectedCredentials = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "InvalidAccessKeyId",
]);
const expiredCredentials = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"]);
const denied = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);
const busy = new Set([
  "ThrottlingException",
  "Throttling",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "InternalServerError",
  "InternalFailure",
]);
// Node's network errors, as the SDK's HTTP handler passes them on after its retries.
const unreachable = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "TimeoutError",
]);
const unresolved = new Set(["ENOTFOUND", "EAI_AGAIN"]);

/** One line, whatever the message quotes (a JSON parse error quotes the file's text). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** The first network error code in an error, its cause or an AggregateError's errors. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const { code, name, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  for (const candidate of [code, name]) {
    if (typeof candidate === "string" && (unreachable.has(candidate) || unresolved.has(candidate)))
      return candidate;
  }
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const where = (context: FailureContext) => (context.region ? ` in ${context.region}` : "");

export function explain(error: unknown, context: FailureContext): Explained {
  const expected = (message: string): Explained => ({
    exitCode: 2,
    message: oneLine(message),
    internal: false,
  });
  if (error instanceof CommanderError) {
    // --help and --version end with 0; commander has already printed any other complaint.
    return { exitCode: error.exitCode === 0 ? 0 : 2, message: "", internal: false };
  }
  if (error instanceof InterruptedError) {
    return expected(
      `interrupted (Ctrl-C) before ${context.command} finished. Run it again when you are ready; it is safe to repeat.`,
    );
  }
  if (error instanceof DriftwardenError) return expected(error.message);
  const name = error instanceof Error ? error.name : "";
  const awsMessage = error instanceof Error ? oneLine(error.message) : String(error);
  if (name === "CredentialsProviderError") {
    return expected(
      "no AWS credentials found. Sign in (aws sso login, or aws configure), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; against the local demo, set the variables `npm start` prints.",
    );
  }
  if (rejectedCredentials.has(name)) {
    return expected(
      `AWS did not accept your credentials (${name}: ${awsMessage}). Check AWS_PROFILE, or sign in again (aws sso login).`,
    );
  }
  if (expiredCredentials.has(name)) {
    return expected(`your AWS credentials have expired (${name}). Sign in again (aws sso login) and retry.`);
  }
  if (denied.has(name)) {
    return expected(
      `AWS denied the call (${name}: ${awsMessage}). Use an identity allowed to do this, or ask for the permission.`,
    );
  }
  if (name === "ResourceNotFoundException") {
    const what = context.table ? `table "${context.table}"` : "the resource";
    return expected(
      `${what} was not found${where(context)} (${name}). Check ${context.tableHint ?? "--table or DRIFTWARDEN_APPROVALS_TABLE (the ApprovalsTable name the deploy printed)"} and --region or AWS_REGION (the deployment's home region).`,
    );
  }
  if (busy.has(name)) {
    return expected(`AWS is busy or failing (${name}) even after retries. Wait a minute and run it again.`);
  }
  const code = networkCode(error);
  if (code && context.localEndpoint) {
    return expected(
      `nothing answers at ${context.localEndpoint} (${code}): the local demo it points at has stopped. Start it again (npm start) and export the variables it prints, or unset DRIFTWARDEN_LOCAL_ENDPOINT to use AWS.`,
    );
  }
  if (code && unresolved.has(code)) {
    return expected(
      `cannot resolve the AWS endpoint${where(context)} (${code}: ${awsMessage}). Check that --region or AWS_REGION is a real AWS region, and your network or DNS.`,
    );
  }
  if (code) {
    return expected(
      `cannot reach AWS${where(context)} (${code}). Check your network, a proxy (HTTPS_PROXY) or AWS_ENDPOINT_URL, and run it again.`,
    );
  }
  return {
    exitCode: 1,
    message: `internal error in driftwarden ${context.command} (${oneLine(errorMessage(error))}). This is a bug: run it again with --debug to see the stack, and report it.`,
    internal: true,
  };
}

/**
 * Prints the failure (`driftwarden <command>: <line>`) and the stack of an
 * internal error under --debug, then ends the process with its exit code.
 */
export function fail(error: unknown, context: FailureContext, debug: boolean): never {
  const explained = explain(error, context);
  if (explained.message) process.stderr.write(`driftwarden ${context.command}: ${explained.message}\n`);
  if (debug && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(explained.exitCode);
}
