import { eventRules } from "../functions/events/patterns.js";
import {
  approvalsTable,
  auditTable,
  eventsTable,
  exemptionsTable,
  fixHistoryTable,
  outboxTable,
  type TableShape,
} from "../functions/lib/tables.js";
import { type StepFunctionArns, type WorkflowStep, workflowSteps } from "../workflows/remediation.js";
import { workflowAlarms } from "./alarms.js";
import { deadLetterQueuePolicy, emailSubscriptionName, topicPolicy } from "./alerts.js";
import { metadataControls } from "./controls.js";
import {
  approvalEndpointFunction,
  type FunctionSpec,
  functionLinks,
  intakeFunction,
  type LinkName,
  lambdaMainFields,
  reminderFunction,
  reminderSchedule,
  stepFunctions,
  stepPermissions,
  sweepFunction,
} from "./handlers.js";
import { intakeFailureHandling } from "./intake-failures.js";
import {
  approvalKeyPolicy,
  type DeploymentArns,
  type FunctionName,
  forwarderStatements,
  functionPermissions,
  functionStatements,
  homeBusArn,
  logDeliveryActions,
  policyDocument,
  remediatorOnlyFromApply,
  remediatorRole,
  sealKeyPolicy,
  stateMachineArnOf,
  stateMachineStatements,
  trustPolicy,
} from "./permissions.js";
import { type PlannedRule, type RegionPlan, routingPlan } from "./routing-plan.js";
import { deployedConfig, remediatorRoleNameFor, type Settings } from "./settings.js";
import {
  sweepDefinitionJson,
  sweepSchedulerStatements,
  sweepStateMachineName,
  sweepStateMachineStatements,
} from "./sweep.js";
import { dynamoArgs } from "./tables.js";
import { definitionJson, stateMachineName } from "./workflow.js";

/**
 * The whole deployment. Everything that decides *what* is deployed (patterns,
 * IAM statements, routing, the workflow definition, table shapes) is imported
 * from pure modules the tests cover; this file only turns them into resources.
 */
export async function driftwarden(settings: Settings) {
  const { config, homeRegion } = settings;
  const stage = $app.stage;

  // SST's built-in links grant `dynamodb:*` / `sns:*`; driftwarden grants each function its exact calls instead.
  sst.Linkable.wrap(sst.aws.Dynamo, (table) => ({ properties: { name: table.name } }));
  sst.Linkable.wrap(sst.aws.SnsTopic, (topic) => ({ properties: { arn: topic.arn } }));

  // Plain strings, resolved once: event patterns and ARNs built from them stay plain data.
  const [{ partition }, { accountId: account }] = await Promise.all([
    aws.getPartition({}),
    aws.getCallerIdentity({}),
  ]);

  // --- storage -------------------------------------------------------------------------------
  const table = (shape: TableShape, extra: Partial<sst.aws.DynamoArgs> = {}) =>
    new sst.aws.Dynamo(shape.name, { ...dynamoArgs(shape), ...extra });
  const tables = {
    audit: table(auditTable, {
      deletionProtection: true,
      transform: {
        table: (args, opts) => {
          args.pointInTimeRecovery = { enabled: true };
          // The audit trail outlives any stage: `sst remove` leaves it in the account.
          opts.retainOnDelete = true;
        },
      },
    }),
    approvals: table(approvalsTable),
    history: table(fixHistoryTable),
    events: table(eventsTable),
    exemptions: table(exemptionsTable, {
      transform: {
        table: (args) => {
          // Who exempted what and why outlives a bad restore: exemptions are a security record.
          args.pointInTimeRecovery = { enabled: true };
        },
      },
    }),
    outbox: table(outboxTable),
  };

  // --- notifications -------------------------------------------------------------------------
  const alerts = new sst.aws.SnsTopic("Alerts");
  for (const email of config.oncallEmails) {
    new aws.sns.TopicSubscription(emailSubscriptionName(email), {
      topic: alerts.arn,
      protocol: "email",
      endpoint: email,
    });
  }

  // --- keys ----------------------------------------------------------------------------------
  // The approval capability: links are MACed inside KMS, so no function holds a key to steal.
  // HMAC keys do not rotate automatically: see the README for rotating it by hand.
  // A new generation is a new key (the component name changes); the old one is scheduled for deletion.
  const generation = config.approvalKeyGeneration;
  const approvalKey = new aws.kms.Key(`ApprovalLinkKmsKey${generation > 1 ? generation : ""}`, {
    description: "driftwarden: authenticates approval links (HMAC, GenerateMac/VerifyMac only)",
    customerMasterKeySpec: "HMAC_256",
    keyUsage: "GENERATE_VERIFY_MAC",
    deletionWindowInDays: 30,
  });
  // Seals stay verifiable as long as the audit table they seal: the key outlives the stage, as the table does.
  const sealKey = new aws.kms.Key(
    "AuditSealKmsKey",
    {
      description: "driftwarden: signs the audit ledger's seals (ECDSA P-256)",
      customerMasterKeySpec: "ECC_NIST_P256",
      keyUsage: "SIGN_VERIFY",
      deletionWindowInDays: 30,
    },
    { retainOnDelete: true },
  );

  // --- identities ----------------------------------------------------------------------------
  const remediatorName = remediatorRoleNameFor(config, stage);
  // Known before the role exists, so event patterns (which exclude its changes) do not wait on it.
  const remediatorArn = `arn:${partition}:iam::${account}:role/${remediatorName}`;
  const remediator = new aws.iam.Role("RemediatorRole", {
    name: remediatorName,
    description:
      "driftwarden remediator: exactly the fixers' actions; CloudTrail shows its changes as driftwarden's",
    assumeRolePolicy: JSON.stringify(trustPolicy("lambda.amazonaws.com", account)),
  });
  const remediatorLogs = new aws.iam.RolePolicyAttachment("RemediatorRoleLogs", {
    role: remediator.name,
    policyArn: `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
  });

  const smName = stateMachineName(stage);
  const stateMachineArn = stateMachineArnOf({ partition, region: homeRegion, account, name: smName });
  const arns = $resolve({
    audit: tables.audit.arn,
    approvals: tables.approvals.arn,
    history: tables.history.arn,
    events: tables.events.arn,
    exemptions: tables.exemptions.arn,
    outbox: tables.outbox.arn,
    topicArn: alerts.arn,
    approvalKey: approvalKey.arn,
    sealKey: sealKey.arn,
  }).apply(
    (v): DeploymentArns => ({
      partition,
      account,
      homeRegion,
      regions: settings.regions,
      tables: {
        audit: v.audit,
        approvals: v.approvals,
        history: v.history,
        events: v.events,
        exemptions: v.exemptions,
        outbox: v.outbox,
      },
      topicArn: v.topicArn,
      stateMachineArn,
      keys: { approvalLinks: v.approvalKey, auditSeals: v.sealKey },
    }),
  );

  const remediatorFixes = new aws.iam.RolePolicy("RemediatorRoleFixes", {
    role: remediator.name,
    policy: arns.apply((a) => JSON.stringify(policyDocument(remediatorRole(a)))),
  });

  // --- functions -----------------------------------------------------------------------------
  const linkables: Record<LinkName, unknown> = {
    AuditTable: tables.audit,
    ApprovalsTable: tables.approvals,
    FixHistoryTable: tables.history,
    EventsTable: tables.events,
    ExemptionsTable: tables.exemptions,
    OutboxTable: tables.outbox,
    Alerts: alerts,
    ApprovalEndpoint: undefined,
    ApprovalLinkKey: new sst.Linkable("ApprovalLinkKey", { properties: { arn: approvalKey.arn } }),
    AuditSealKey: new sst.Linkable("AuditSealKey", { properties: { arn: sealKey.arn } }),
  };
  const environment = {
    POWERTOOLS_SERVICE_NAME: "driftwarden",
    POWERTOOLS_METRICS_NAMESPACE: "Driftwarden",
    DRIFTWARDEN_CONFIG: JSON.stringify(deployedConfig(config, { name: remediatorName, arn: remediatorArn })),
    DRIFTWARDEN_STATE_MACHINE_ARN: stateMachineArn,
    DRIFTWARDEN_ACCOUNT: account,
  };
  const fn = (
    spec: FunctionSpec,
    permissionsOf: FunctionName | "apply",
    extra: Partial<sst.aws.FunctionArgs> = {},
  ) => {
    const links = functionLinks[permissionsOf];
    return new sst.aws.Function(
      spec.component,
      {
        handler: spec.handler,
        description: spec.description,
        runtime: "nodejs22.x",
        architecture: "arm64",
        nodejs: { esbuild: { mainFields: lambdaMainFields } },
        memory: spec.memory,
        timeout: spec.timeout,
        logging: { retention: "1 month" },
        environment,
        link: links.map((name) => linkables[name]).filter((link) => link !== undefined),
        ...(spec.reservedConcurrency ? { concurrency: { reserved: spec.reservedConcurrency } } : {}),
        ...(permissionsOf === "apply"
          ? { role: remediator.arn }
          : { permissions: arns.apply((a) => functionPermissions(functionStatements(permissionsOf, a))) }),
        ...extra,
      },
      // A role passed in is not managed by the function: wait until it can actually fix and log.
      permissionsOf === "apply" ? { dependsOn: [remediatorLogs, remediatorFixes] } : {},
    );
  };

  const approvalFunction = fn(approvalEndpointFunction, "approvalEndpoint", {
    // No IAM auth: on-call opens it from email; the page verifies signed links and a CSRF token itself.
    url: { authorization: "none", cors: false },
  });
  linkables.ApprovalEndpoint = new sst.Linkable("ApprovalEndpoint", {
    properties: { url: approvalFunction.url },
  });

  const steps = Object.fromEntries(
    workflowSteps.map((name: WorkflowStep) => [
      name,
      fn(stepFunctions[name], name === "apply" ? "apply" : stepPermissions[name]),
    ]),
  ) as Record<WorkflowStep, sst.aws.Function>;

  // The role is the remediator only inside the apply function (its ARN exists only now).
  new aws.iam.RolePolicy("RemediatorRoleOnlyApply", {
    role: remediator.name,
    policy: $resolve({ a: arns, apply: steps.apply.arn }).apply(({ a, apply }) =>
      JSON.stringify(policyDocument(remediatorOnlyFromApply(a, apply))),
    ),
  });

  // --- workflow ------------------------------------------------------------------------------
  const stepArns = $resolve(
    Object.fromEntries(workflowSteps.map((name) => [name, steps[name].arn])) as Record<
      WorkflowStep,
      $util.Output<string>
    >,
  ).apply((resolved) => resolved as StepFunctionArns);
  const workflowLogs = new aws.cloudwatch.LogGroup("RemediationLogs", {
    // The /aws/vendedlogs/ prefix keeps the log group's resource policy small as it grows.
    name: `/aws/vendedlogs/states/${smName}`,
    retentionInDays: 90,
  });
  const workflowRole = new aws.iam.Role("RemediationRole", {
    description: "driftwarden remediation workflow: invokes its step functions only",
    assumeRolePolicy: JSON.stringify(trustPolicy("states.amazonaws.com")),
  });
  const workflowPolicy = new aws.iam.RolePolicy("RemediationRolePolicy", {
    role: workflowRole.name,
    policy: stepArns.apply((s) => JSON.stringify(policyDocument(stateMachineStatements(s)))),
  });
  const stateMachine = new aws.sfn.StateMachine(
    "Remediation",
    {
      name: smName,
      type: "STANDARD",
      roleArn: workflowRole.arn,
      definition: stepArns.apply((s) => definitionJson(s)),
      loggingConfiguration: {
        logDestination: $interpolate`${workflowLogs.arn}:*`,
        includeExecutionData: true,
        level: "ERROR",
      },
    },
    // Step Functions checks the role can invoke the steps when the definition is saved.
    { dependsOn: [workflowPolicy] },
  );
  for (const alarm of workflowAlarms(stage)) {
    new aws.cloudwatch.MetricAlarm(`Workflow${alarm.metricName}`, {
      name: alarm.name,
      alarmDescription: alarm.description,
      namespace: "AWS/States",
      metricName: alarm.metricName,
      dimensions: { StateMachineArn: stateMachine.arn },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [alerts.arn],
    });
  }

  const intake = fn(intakeFunction, "intake");
  const sweep = fn(sweepFunction, "sweep");
  // --- intake failures (retried by Lambda, then dead-lettered with an alarm) ------------------
  intakeFailureHandling(intake, alerts, stage);

  const reminders = fn(reminderFunction, "reminders");

  // --- event routing -------------------------------------------------------------------------
  const plan = routingPlan({
    rules: eventRules({ controls: metadataControls(), remediatorRoleArn: remediatorArn }),
    homeRegion,
    regions: settings.regions,
    stage,
  });
  const routed = routeEvents(plan, {
    partition,
    account,
    intake,
    alerts,
    homeRegion,
    publishers: [steps.requestApproval, steps.notify, reminders].map((f) => f.nodes.role.arn),
  });

  // --- sweep: a state machine on a schedule, one page of resources per Lambda invocation ----------
  const sweepName = sweepStateMachineName(stage);
  const sweepLogs = new aws.cloudwatch.LogGroup("SweepLogs", {
    name: `/aws/vendedlogs/states/${sweepName}`,
    retentionInDays: 30,
  });
  const sweepRole = new aws.iam.Role("SweepRole", {
    description: "driftwarden sweep state machine: invokes the sweep function only",
    assumeRolePolicy: JSON.stringify(trustPolicy("states.amazonaws.com", account)),
  });
  const sweepPolicy = new aws.iam.RolePolicy("SweepRolePolicy", {
    role: sweepRole.name,
    policy: sweep.arn.apply((arn) =>
      JSON.stringify(policyDocument(sweepStateMachineStatements(arn, logDeliveryActions))),
    ),
  });
  const sweepMachine = new aws.sfn.StateMachine(
    "Sweep",
    {
      name: sweepName,
      type: "STANDARD",
      roleArn: sweepRole.arn,
      definition: sweep.arn.apply((arn) => sweepDefinitionJson(arn)),
      loggingConfiguration: {
        logDestination: $interpolate`${sweepLogs.arn}:*`,
        includeExecutionData: false,
        level: "ERROR",
      },
    },
    { dependsOn: [sweepPolicy] },
  );
  new aws.cloudwatch.MetricAlarm("SweepExecutionsFailed", {
    name: `driftwarden-${stage}-sweep-failed`,
    alarmDescription:
      "driftwarden: a sweep could not list some resources after its retries (see the sweep execution's history); the next sweep starts over",
    namespace: "AWS/States",
    metricName: "ExecutionsFailed",
    dimensions: { StateMachineArn: sweepMachine.arn },
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [alerts.arn],
  });
  const sweepSchedulerRole = new aws.iam.Role("SweepScheduleRole", {
    description: "driftwarden sweep schedule: starts the sweep state machine only",
    assumeRolePolicy: JSON.stringify(trustPolicy("scheduler.amazonaws.com", account)),
  });
  new aws.iam.RolePolicy("SweepScheduleRolePolicy", {
    role: sweepSchedulerRole.name,
    policy: $resolve([sweepMachine.arn, routed.homeDeadLetterQueue.arn]).apply(([machine, queue]) =>
      JSON.stringify(policyDocument(sweepSchedulerStatements(machine as string, queue as string))),
    ),
  });
  new aws.scheduler.Schedule("SweepSchedule", {
    scheduleExpression: settings.sweepSchedule,
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: sweepMachine.arn,
      roleArn: sweepSchedulerRole.arn,
      input: "{}",
      retryPolicy: { maximumRetryAttempts: 2 },
      // A sweep that cannot start lands where the event routing's failures land, and raises the same alarm.
      deadLetterConfig: { arn: routed.homeDeadLetterQueue.arn },
    },
  });

  new sst.aws.CronV2("ReminderSchedule", {
    schedule: reminderSchedule,
    function: reminders,
    retries: 2,
    dlq: routed.homeDeadLetterQueue.arn,
  });

  // --- key policies ----------------------------------------------------------------------------
  const roleArn = (f: sst.aws.Function) => f.nodes.role.arn;
  new aws.kms.KeyPolicy("ApprovalLinkKeyPolicy", {
    keyId: approvalKey.id,
    policy: $resolve({
      makers: [roleArn(steps.requestApproval), roleArn(reminders)],
      verifiers: [roleArn(approvalFunction)],
    }).apply(({ makers, verifiers }) =>
      JSON.stringify(approvalKeyPolicy({ partition, account, makers, verifiers })),
    ),
  });
  new aws.kms.KeyPolicy("AuditSealKeyPolicy", {
    keyId: sealKey.id,
    policy: roleArn(reminders).apply((sealer) =>
      JSON.stringify(sealKeyPolicy({ partition, account, signers: [sealer] })),
    ),
  });

  return {
    stateMachine: stateMachine.arn,
    sweepStateMachine: sweepMachine.arn,
    approvalEndpoint: approvalFunction.url,
    alertsTopic: alerts.arn,
    approvalsTable: tables.approvals.name,
    exemptionsTable: tables.exemptions.name,
    auditTable: tables.audit.name,
    historyTable: tables.history.name,
    auditSealKey: sealKey.arn,
    approvalLinkKey: approvalKey.arn,
    remediatorRole: remediator.arn,
    regions: settings.regions.join(", "),
  };
}

interface RoutingContext {
  partition: string;
  account: string;
  intake: sst.aws.Function;
  alerts: sst.aws.SnsTopic;
  homeRegion: string;
  /** Roles of the functions that publish to the Alerts topic; the topic refuses everyone else. */
  publishers: $util.Output<string>[];
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function routeEvents(plan: ReturnType<typeof routingPlan>, ctx: RoutingContext) {
  const needsForwarder = plan.regions.some((region) => !region.isHome);
  const forwarder = needsForwarder ? createForwarder(ctx) : undefined;
  let homeDeadLetterQueue: aws.sqs.Queue | undefined;
  let relayRuleArn: $util.Output<string> | undefined;

  for (const region of plan.regions) {
    const { queue, relay } = routeRegion(region, ctx, forwarder);
    if (region.isHome) {
      homeDeadLetterQueue = queue;
      relayRuleArn = relay;
    }
  }
  if (!homeDeadLetterQueue) throw new Error(`the routing plan has no home region ${plan.homeRegion}`);

  new aws.sns.TopicPolicy("AlertsPolicy", {
    arn: ctx.alerts.arn,
    policy: $resolve({
      topicArn: ctx.alerts.arn,
      relay: relayRuleArn ?? "",
      publishers: $resolve(ctx.publishers),
    }).apply(({ topicArn, relay, publishers }) =>
      JSON.stringify(
        topicPolicy({
          topicArn,
          account: ctx.account,
          publishers,
          ...(relay ? { relayRuleArn: relay } : {}),
        }),
      ),
    ),
  });
  return { homeDeadLetterQueue };
}

function createForwarder(ctx: RoutingContext) {
  const role = new aws.iam.Role("EventsForwarderRole", {
    description: "driftwarden: forwards matched events from watched regions to the home region's default bus",
    assumeRolePolicy: JSON.stringify(trustPolicy("events.amazonaws.com")),
  });
  new aws.iam.RolePolicy("EventsForwarderPolicy", {
    role: role.name,
    policy: JSON.stringify(policyDocument(forwarderStatements(ctx))),
  });
  return role;
}

function routeRegion(region: RegionPlan, ctx: RoutingContext, forwarder: aws.iam.Role | undefined) {
  const id = pascal(region.region);
  const opts = region.isHome
    ? {}
    : { provider: new aws.Provider(`Aws${id}`, { region: region.region as aws.Region }) };

  const queue = new aws.sqs.Queue(
    `EventsDlq${id}`,
    {
      name: region.deadLetterQueue,
      messageRetentionSeconds: 14 * 24 * 3600,
      // SSE-SQS: EventBridge cannot deliver to a queue encrypted with the AWS managed KMS key.
      sqsManagedSseEnabled: true,
    },
    opts,
  );

  const ruleArns: $util.Output<string>[] = [];
  let relay: $util.Output<string> | undefined;
  for (const planned of region.rules) {
    const ruleId = `${pascal(planned.origin)}${id}`;
    const rule = new aws.cloudwatch.EventRule(
      `Rule${ruleId}`,
      {
        name: planned.name,
        description: planned.description,
        eventPattern: JSON.stringify(planned.pattern),
      },
      opts,
    );
    ruleArns.push(rule.arn);
    if (planned.target.kind === "alerts") relay = rule.arn;
    createTarget(`Target${ruleId}`, planned, rule, queue, ctx, forwarder, opts);
  }

  new aws.sqs.QueuePolicy(
    `EventsDlqPolicy${id}`,
    {
      queueUrl: queue.url,
      policy: $resolve([queue.arn, ...ruleArns]).apply(([queueArn, ...arns]) =>
        JSON.stringify(deadLetterQueuePolicy({ queueArn: queueArn as string, ruleArns: arns as string[] })),
      ),
    },
    opts,
  );

  new aws.cloudwatch.MetricAlarm(
    `EventsDlqAlarm${id}`,
    {
      name: region.alarm.name,
      alarmDescription: `driftwarden: events in ${region.region} could not be delivered (or a sweep could not run) and wait in ${region.deadLetterQueue}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: region.alarm.notify === "topic" ? [ctx.alerts.arn] : [],
    },
    opts,
  );
  return { queue, relay };
}

function createTarget(
  name: string,
  planned: PlannedRule,
  rule: aws.cloudwatch.EventRule,
  queue: aws.sqs.Queue,
  ctx: RoutingContext,
  forwarder: aws.iam.Role | undefined,
  opts: { provider?: aws.Provider },
) {
  const common = {
    rule: rule.name,
    retryPolicy: planned.target.retry,
    deadLetterConfig: { arn: queue.arn },
  };
  switch (planned.target.kind) {
    case "intake": {
      new aws.lambda.Permission(`${name}Invoke`, {
        action: "lambda:InvokeFunction",
        function: ctx.intake.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      });
      return new aws.cloudwatch.EventTarget(name, { ...common, arn: ctx.intake.arn }, opts);
    }
    case "forward-to-home": {
      if (!forwarder)
        throw new Error(`rule ${planned.name} in ${planned.region} forwards, but no forwarder role exists`);
      return new aws.cloudwatch.EventTarget(
        name,
        {
          ...common,
          arn: homeBusArn(ctx),
          roleArn: forwarder.arn,
        },
        opts,
      );
    }
    case "alerts":
      return new aws.cloudwatch.EventTarget(
        name,
        {
          ...common,
          arn: ctx.alerts.arn,
          inputTransformer: {
            inputPaths: { alarm: "$.detail.alarmName", region: "$.region", time: "$.time" },
            inputTemplate:
              '"driftwarden: <alarm> went into ALARM in <region> at <time>. EventBridge could not deliver some events there; they wait in that region\'s dead-letter queue. The next sweep re-checks every resource regardless."',
          },
        },
        opts,
      );
  }
}
