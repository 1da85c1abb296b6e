import { type CfnElement, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  type CfnScheduleGroup,
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Alarms } from './alarms.js';
import { type FollowthroughFunction, onFailureQueue } from './function.js';

/** How often the sweep runs on AWS. */
export const SWEEP_INTERVAL = Duration.minutes(5);

/**
 * What the recurring schedule sends the sweep function. `scheduledTime` is filled in by Scheduler with the time the
 * run was due (ISO-8601 UTC), so a delayed or retried run still sweeps as of its own minute.
 */
export const SWEEP_INPUT = { v: 1, source: 'followthrough.sweep', scheduledTime: ContextAttribute.scheduledTime };

/**
 * Scheduler calls a function may make on touch schedules. The api and events functions create and delete them;
 * the sweep also reads one to tell a lost schedule from one that is merely late.
 */
export type ScheduleAction = 'CreateSchedule' | 'UpdateSchedule' | 'DeleteSchedule' | 'GetSchedule';

export interface SchedulingProps {
  /** The function every touch schedule invokes. */
  readonly fireFunction: FollowthroughFunction;
  /** Runs every {@link SWEEP_INTERVAL} and consumes the fire function's failures. */
  readonly sweepFunction: FollowthroughFunction;
  /** Functions that manage touch schedules, with the calls each makes. */
  readonly schedulers: ReadonlyArray<{ readonly fn: FollowthroughFunction; readonly actions: readonly ScheduleAction[] }>;
  readonly alarms: Alarms;
}

/**
 * EventBridge Scheduler and everything that makes a touch's failure visible:
 * - the touch schedule group (one at() schedule per pending touch) and the role its schedules run as, which may only
 *   invoke the fire function and dead-letter to the schedule DLQ;
 * - the fire function's asynchronous invoke configuration, whose failures land on the fire-failure queue that the
 *   sweep consumes (and, if the sweep cannot record one, on that queue's own DLQ);
 * - the sweep's recurring schedule, in a group of its own, with a role that may only invoke the sweep;
 * - an alarm on each of these dead ends, and one when the sweep stops running.
 */
export class Scheduling extends Construct {
  readonly touchScheduleGroup: ScheduleGroup;
  readonly sweepScheduleGroup: ScheduleGroup;
  /** The role touch schedules run as (`SCHEDULER_ROLE_ARN`). */
  readonly schedulerRole: iam.Role;
  /** Where Scheduler puts a touch (or sweep) it could not deliver after its retries (`SCHEDULE_DLQ_ARN`). */
  readonly deadLetterQueue: Queue;
  /** The fire function's on-failure destination: fires that failed after Lambda's retries. */
  readonly fireFailureQueue: Queue;
  /** Fire failures the sweep could not record after five receives. */
  readonly fireFailureDeadLetterQueue: Queue;
  readonly sweepSchedule: Schedule;
  readonly sweepSchedulerRole: iam.Role;
  readonly deadLetterAlarm: Alarm;
  readonly fireFailedAlarm: Alarm;
  readonly fireFailureUnprocessedAlarm: Alarm;
  readonly sweepFailingAlarm: Alarm;
  readonly sweepNotRunningAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { fireFunction, sweepFunction, alarms } = props;

    // --- Schedule groups -----------------------------------------------------------------------------------------
    // Deleting a group deletes every schedule in it; the group stays DELETING until that is done, and its schedules
    // may still run meanwhile (EventBridge Scheduler User Guide, "Deleting a schedule group"; API DeleteScheduleGroup).
    // On `cdk destroy` the fire function, this role and the DLQ go too, so a pending schedule left behind could never
    // deliver anything: DESTROY removes them with the group instead of leaving them to fail, and to count against
    // the account's schedule quota. The name holds the UUID CloudFormation gives the stack at creation: fixed for the
    // stack's life (an update never replaces the group, which would drop every pending schedule), new after a
    // destroy, so a redeploy never collides with a group that is still DELETING, nor two stacks with each other.
    this.touchScheduleGroup = new ScheduleGroup(this, 'TouchScheduleGroup', {
      scheduleGroupName: nameUniquePerStack(stack, 'touches'),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.sweepScheduleGroup = new ScheduleGroup(this, 'SweepScheduleGroup', {
      scheduleGroupName: nameUniquePerStack(stack, 'sweep'),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const touchGroupName = refOf(this.touchScheduleGroup);
    const touchScheduleArns = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${touchGroupName}/*` });

    // --- Dead-letter queue of the schedules ------------------------------------------------------------------------
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the touch and sweep schedules; a DLQ of a DLQ adds nothing.',
    });
    this.deadLetterAlarm = alarms.watchUnconsumedQueue(
      'schedule-undeliverable',
      this.deadLetterQueue,
      'A schedule could not invoke its function after its retries (touch schedules: the fire function; the sweep ' +
        'schedule: the sweep). The message body is the schedule input; see the dead-letter queue.',
    );

    // --- The role touch schedules run as -----------------------------------------------------------------------
    // aws:SourceArn must be the schedule GROUP's ARN, not a schedule's or a name prefix: a trust policy scoped
    // to schedules matches nothing and no touch could ever fire (EventBridge Scheduler User Guide, "Confused deputy
    // prevention").
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to deliver touch schedules to the fire function.',
      assumedBy: schedulerPrincipal(stack, this.touchScheduleGroup),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeFireFunction',
        actions: ['lambda:InvokeFunction'],
        // Touch schedules target the unqualified function ARN (FIRE_FUNCTION_ARN), never a version or alias.
        resources: [fireFunction.functionArn],
      }),
    );
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );

    for (const { fn, actions } of props.schedulers) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ManageTouchSchedules',
          actions: [...new Set(actions)].sort().map((action) => `scheduler:${action}`),
          resources: [touchScheduleArns],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${logicalIdOf(this.touchScheduleGroup)}>/*]`,
        reason:
          "Schedules are named after touches created at run time; the wildcard is confined to this stack's touch schedule group.",
      });
      fn.addEnvironment('SCHEDULE_GROUP', touchGroupName);
      fn.addEnvironment('FIRE_FUNCTION_ARN', fireFunction.functionArn);
      fn.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
      fn.addEnvironment('SCHEDULE_DLQ_ARN', this.deadLetterQueue.queueArn);
    }

    // --- Fire failures ---------------------------------------------------------------------------------------------
    // Scheduler's retries and DLQ cover failing to *invoke*. It invokes Lambda asynchronously, so an error thrown by
    // the fire function is retried by Lambda and then, without a destination, dropped (Lambda Developer Guide, "How
    // Lambda handles errors and retries with asynchronous invocation"). The on-failure destination keeps it.
    this.fireFailureDeadLetterQueue = new Queue(this, 'FireFailureDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.fireFailureDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the fire-failure queue; a DLQ of a DLQ adds nothing.',
    });
    this.fireFailureQueue = new Queue(this, 'FireFailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // At least six times the consumer's timeout, so a throttled batch is not redelivered while it is still being
      // worked on (Lambda Developer Guide, "Creating and configuring an Amazon SQS event source mapping").
      visibilityTimeout: sweepFunction.function.timeout
        ? Duration.seconds(sweepFunction.function.timeout.toSeconds() * 6)
        : Duration.minutes(6),
      // Five receives before giving up on a record, the minimum that guide recommends for Lambda consumers.
      deadLetterQueue: { queue: this.fireFailureDeadLetterQueue, maxReceiveCount: 5 },
    });
    fireFunction.function.configureAsyncInvoke({
      // Lambda retries a function error 1 and then 2 minutes later: enough for a busy claim or an SES throttle to
      // clear, while a failed touch is still reported within minutes of its due minute.
      retryAttempts: 2,
      // The same hour touch schedules give Scheduler to deliver (MaximumEventAgeInSeconds 3600): a touch either
      // goes out within an hour of its minute or ends failed and the rep is told, never hours late in silence.
      maxEventAge: Duration.hours(1),
      onFailure: onFailureQueue(this.fireFailureQueue),
    });
    this.fireFailedAlarm = alarms.watch({
      name: 'fire-failed',
      description:
        'A touch failed after the fire function\'s retries (or waited over an hour). The sweep marks it failed and ' +
        'tells the rep; look at the fire function\'s log for the cause.',
      // The sweep empties this queue within seconds, so count what arrives rather than what waits.
      metric: this.fireFailureQueue.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' }),
    });
    this.fireFailureUnprocessedAlarm = alarms.watchUnconsumedQueue(
      'fire-failure-unrecorded',
      this.fireFailureDeadLetterQueue,
      'The sweep could not record a failed touch after five tries; the touch may still show as scheduled. ' +
        "See the sweep function's log and the fire-failure dead-letter queue.",
    );

    // --- The sweep -------------------------------------------------------------------------------------------------
    sweepFunction.function.addEventSource(
      new SqsEventSource(this.fireFailureQueue, {
        batchSize: 10,
        // Records one by one: a record the sweep could not handle goes back alone, the rest are deleted.
        reportBatchItemFailures: true,
      }),
    );
    sweepFunction.function.configureAsyncInvoke({
      // A failed run is not retried: the next one is at most five minutes away and sweeps the same touches.
      retryAttempts: 0,
      maxEventAge: SWEEP_INTERVAL,
    });
    this.sweepSchedulerRole = new iam.Role(this, 'SweepSchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to run the sweep.',
      assumedBy: schedulerPrincipal(stack, this.sweepScheduleGroup),
    });
    this.sweepSchedule = new Schedule(this, 'SweepSchedule', {
      description: `followthrough sweep: delivers touches still scheduled past their time, every ${SWEEP_INTERVAL.toMinutes()} minutes.`,
      schedule: ScheduleExpression.rate(SWEEP_INTERVAL),
      scheduleGroup: this.sweepScheduleGroup,
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(sweepFunction.function, {
        role: this.sweepSchedulerRole,
        input: ScheduleTargetInput.fromObject(SWEEP_INPUT),
        retryAttempts: 2,
        // A run not delivered before the next one is due is dropped to the DLQ (and alarmed) instead.
        maxEventAge: SWEEP_INTERVAL,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    // The group's name is computed, not read from the group resource, so nothing else orders the two.
    this.sweepSchedule.node.addDependency(this.sweepScheduleGroup);
    Validations.of(this.sweepSchedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(sweepFunction.function)}.Arn>:*]`,
      reason:
        "CDK's LambdaInvoke target grants the sweep function with its versions and aliases; nothing else is reachable.",
    });
    this.sweepFailingAlarm = alarms.watch({
      name: 'sweep-failing',
      description:
        'The sweep has failed in each of the last three 5-minute periods: touches missed by their schedule are not ' +
        "being repaired. See the sweep function's log.",
      metric: sweepFunction.function.metricErrors({ period: SWEEP_INTERVAL, statistic: 'Sum' }),
      evaluationPeriods: 3,
    });
    // The sweep is the net under every schedule, so a sweep that never runs must not look like one that never
    // fails. If its schedule is deleted or disabled, or Scheduler cannot assume its role, nothing errors: Scheduler
    // writes the DLQ with that same role, and a function not invoked publishes no Errors datapoint, which the alarm
    // above reads as fine. Lambda publishes Invocations only when there are some, so here no data is the failure
    // (CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data"). The first deploy starts in
    // ALARM until the first run, minutes later, before anyone could have confirmed the subscription.
    this.sweepNotRunningAlarm = alarms.watch({
      name: 'sweep-not-running',
      description:
        'The sweep has not run for 15 minutes: its schedule is missing or disabled, or Scheduler cannot invoke it, ' +
        "so touches whose schedules went missing are not being delivered. Check the sweep schedule in the sweep " +
        "schedule group, its role, and the sweep function's log.",
      metric: sweepFunction.function.metricInvocations({ period: SWEEP_INTERVAL, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}

/**
 * Scheduler, for schedules of this account in `group` only (EventBridge Scheduler User Guide, "Confused deputy
 * prevention": the value of aws:SourceArn must be the schedule group ARN).
 */
function schedulerPrincipal(stack: Stack, group: ScheduleGroup): iam.ServicePrincipal {
  return new iam.ServicePrincipal('scheduler.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': group.scheduleGroupArn },
    },
  });
}

/**
 * `<stack name>-<kind>-<stack UUID>`, at most 64 characters (the schedule group limit). The UUID is the last part of
 * the stack's ARN, assigned by CloudFormation when the stack is created.
 */
function nameUniquePerStack(stack: Stack, kind: string): string {
  const uuid = Fn.select(2, Fn.split('/', stack.stackId));
  const prefix = stack.stackName.toLowerCase().slice(0, 64 - kind.length - 2 - 36);
  return `${prefix}-${kind}-${uuid}`;
}

/** The group's `Ref`, which is its name: it also makes whatever uses it wait for the group to exist. */
function refOf(group: ScheduleGroup): string {
  return (group.node.defaultChild as CfnScheduleGroup).ref;
}

function logicalIdOf(construct: IFunction | ScheduleGroup): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
