/**
 * The sweep, as Amazon States Language (JSONPath) data: infra/ deploys it on
 * a schedule, and the local runtime runs it with aws-local-stepfunctions
 * against the same handler.
 *
 * Plan names the groups (region x service, each with its active controls and
 * whether AWS Config or the describe APIs list it). An inline Map runs the
 * groups, at most `groupConcurrency` at once; within a group a loop sweeps one page per Lambda
 * invocation, one after another, so no group ever outruns its service's rate
 * and no step comes near a Lambda timeout however large the account. (A
 * Distributed Map would need the pages up front; the loop discovers them.)
 *
 * A page that still fails after its retries ends its own group only; the
 * execution then fails (SweepIncomplete) so the failed-execution alarm tells
 * on-call, and the next sweep starts over.
 */
import { lambdaTransientErrors, throttlingErrors, transientErrors } from "./remediation.js";

/**
 * Groups one at a time: each page already runs at its service's rate, the
 * sweep's share of an account's API rate stays small beside the other tools
 * that call the same APIs, and workflows start in the registry's order, so
 * a sweep's report reads the same every run. Raising it sweeps regions side
 * by side (each region's ELBv2 has its own bucket).
 */
export const groupConcurrency = 1;

const retry = [
  {
    ErrorEquals: [...throttlingErrors, ...transientErrors, ...lambdaTransientErrors],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  },
];

function pageState(fn: string): Record<string, unknown> {
  return {
    Type: "Task",
    Resource: fn,
    Parameters: {
      mode: "page",
      "group.$": "$.group",
      "marker.$": "$.marker",
      "startedAt.$": "$.startedAt",
    },
    // Only the marker travels on: what the page found is logged and counted by the function.
    ResultSelector: { "next.$": "$.next", "counts.$": "$.counts" },
    ResultPath: "$.page",
    // A Lambda well within its timeout: a page is at most a few hundred reads at the service's rate.
    TimeoutSeconds: 300,
    Retry: retry,
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "GroupFailed" }],
    Next: "MorePages",
  };
}

export function sweepDefinition(fn: string) {
  return {
    Comment:
      "driftwarden: sweep every active control's resources, page by page, and start a workflow per drift",
    StartAt: "Plan",
    States: {
      Plan: {
        Type: "Task",
        Resource: fn,
        Parameters: { mode: "plan" },
        ResultPath: "$.plan",
        TimeoutSeconds: 60,
        Retry: retry,
        Next: "Groups",
      },
      Groups: {
        Type: "Map",
        ItemsPath: "$.plan.groups",
        MaxConcurrency: groupConcurrency,
        ItemSelector: {
          "group.$": "$$.Map.Item.Value",
          marker: null,
          "startedAt.$": "$$.Execution.StartTime",
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Page",
          States: {
            Page: pageState(fn),
            MorePages: {
              Type: "Choice",
              // Not IsNull rather than IsNull: false, which aws-local-stepfunctions 3.0 never matches.
              Choices: [{ Not: { Variable: "$.page.next", IsNull: true }, Next: "NextPage" }],
              Default: "GroupDone",
            },
            NextPage: {
              Type: "Pass",
              Parameters: { "group.$": "$.group", "marker.$": "$.page.next", "startedAt.$": "$.startedAt" },
              Next: "Page",
            },
            GroupDone: {
              Type: "Pass",
              Parameters: { "region.$": "$.group.region", "service.$": "$.group.service", failed: false },
              End: true,
            },
            GroupFailed: {
              Type: "Pass",
              Parameters: {
                "region.$": "$.group.region",
                "service.$": "$.group.service",
                failed: true,
                "error.$": "$.error",
              },
              End: true,
            },
          },
        },
        ResultPath: "$.groups",
        Next: "Failures",
      },
      Failures: {
        Type: "Pass",
        Parameters: { "any.$": "States.ArrayContains($.groups[*].failed, true)" },
        ResultPath: "$.failures",
        Next: "AnyFailed",
      },
      AnyFailed: {
        Type: "Choice",
        Choices: [{ Variable: "$.failures.any", BooleanEquals: true, Next: "SweepIncomplete" }],
        Default: "Done",
      },
      SweepIncomplete: {
        Type: "Fail",
        Error: "SweepIncomplete",
        Cause: "A sweep group could not be listed after its retries; the next sweep starts over",
      },
      Done: { Type: "Succeed" },
    },
  };
}

export type SweepDefinition = ReturnType<typeof sweepDefinition>;
