import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FollowthroughFunction } from './function.js';

export interface SchedulingProps {
  /** The function every touch schedule invokes. */
  readonly fireFunction: IFunction;
  /** The function that creates, updates and deletes touch schedules. */
  readonly apiFunction: FollowthroughFunction;
  /** Other functions that create and delete touch schedules too. */
  readonly alsoSchedules?: FollowthroughFunction[];
  /** Where the dead-letter alarm is e-mailed, when given. */
  readonly alarmEmail?: string;
}

/**
 * EventBridge Scheduler plumbing: the schedule group that holds one at() schedule per pending touch, the
 * dead-letter queue for deliveries that fail after retries (alarmed at the first message), and the role
 * Scheduler assumes, which may do nothing but invoke the fire function and dead-letter to that queue.
 * The api function gets just enough to manage schedules in the group and pass that role to Scheduler.
 */
export class Scheduling extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly deadLetterQueue: Queue;
  readonly schedulerRole: iam.Role;
  readonly deadLetterAlarm: Alarm;
  readonly alarmTopic?: Topic;

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const scheduleGroupName = `${stack.stackName}-touches`.toLowerCase().slice(0, 64);
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName });
    const scheduleArnPattern = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${scheduleGroupName}/*`,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue for touch schedules; a DLQ of a DLQ adds nothing.',
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'A touch schedule could not invoke the fire function after retries; see the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    if (props.alarmEmail) {
      const topic = new Topic(this, 'AlarmTopic', { enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      this.deadLetterAlarm.addAlarmAction(new SnsAction(topic));
      this.alarmTopic = topic;
    }

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to deliver touch schedules to the fire function.',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': scheduleArnPattern },
        },
      }),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeFireFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [props.fireFunction.functionArn, `${props.fireFunction.functionArn}:*`],
      }),
    );
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cfnOf(props.fireFunction))}.Arn>:*]`,
      reason: 'Only versions and aliases of the fire function itself, so a schedule may target a published alias.',
    });

    // The api plans touches; the events function schedules the rep's notice after a bounce.
    for (const api of [props.apiFunction, ...(props.alsoSchedules ?? [])]) {
      api.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ManageTouchSchedules',
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:GetSchedule',
            'scheduler:UpdateSchedule',
          ],
          resources: [scheduleArnPattern],
        }),
      );
      api.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [this.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      Validations.of(api.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${scheduleGroupName}/*]`,
        reason:
          'Schedules are named after touches created at run time; the wildcard is confined to this stack\'s schedule group.',
      });

      api.addEnvironment('SCHEDULE_GROUP', this.scheduleGroup.scheduleGroupName);
      api.addEnvironment('FIRE_FUNCTION_ARN', props.fireFunction.functionArn);
      api.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
      api.addEnvironment('SCHEDULE_DLQ_ARN', this.deadLetterQueue.queueArn);
    }
  }
}

function cfnOf(fn: IFunction): CfnElement {
  return fn.node.defaultChild as CfnElement;
}
