import { ConfigurationError } from "../functions/lib/errors.js";
import { remediationDefinition, type StepFunctionArns } from "../workflows/remediation.js";

/**
 * The state machine's name is fixed per stage so its ARN is known before it
 * exists: the functions that start executions get it without waiting on the
 * state machine, which itself waits on the step functions.
 */
export function stateMachineName(stage: string): string {
  const name = `driftwarden-${stage}-remediation`;
  if (name.length > 80 || !/^[\w-]+$/.test(name)) {
    throw new ConfigurationError(
      `state machine name "${name}" is invalid (at most 80 of [A-Za-z0-9_-]): use a shorter stage name`,
      name,
    );
  }
  return name;
}

/** Exactly the workflow the tests run, with the deployed step function ARNs. */
export function definitionJson(steps: StepFunctionArns): string {
  return JSON.stringify(remediationDefinition(steps));
}
