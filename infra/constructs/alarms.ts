import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Where every alarm is e-mailed; without it the alarms exist (console, API) but notify no one. */
  readonly alarmEmail?: string;
}

export interface WatchOptions {
  /** Short and unique in the stack; the alarm is named `<stack name>-<name>`, which is what the e-mail subject shows. */
  readonly name: string;
  readonly description: string;
  readonly metric: IMetric;
  /** @default 1 */
  readonly threshold?: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: ComparisonOperator;
  /** @default NOT_BREACHING: most alarms count failures, and no data means none happened */
  readonly treatMissingData?: TreatMissingData;
}

/**
 * The stack's alarms and, when `alarmEmail` is given, the SNS topic every one of them notifies. Each alarm fires on
 * something that needs a person: a message in a dead-letter queue, a fire that failed for good, a sweep that keeps
 * failing or does not run at all.
 */
export class Alarms extends Construct {
  readonly topic?: Topic;
  readonly alarms: Alarm[] = [];
  private readonly stackName: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.stackName = Stack.of(this).stackName;
    if (!props.alarmEmail) return;

    this.topic = new Topic(this, 'Topic', { displayName: `${this.stackName} alarms`, enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    // enforceSSL makes CDK write a topic policy, and a topic policy replaces SNS's default one, which was what let
    // the account's CloudWatch alarms publish. So CloudWatch is allowed back in, only for this account and only for
    // the alarms below (re:Post "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?";
    // SNS Developer Guide, "Example cases for Amazon SNS access control", aws:SourceArn / aws:SourceAccount).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => this.alarms.map((alarm) => alarm.alarmArn) }) },
        },
      }),
    );
  }

  /** An alarm at `threshold` (default 1) over `evaluationPeriods` (default 1) periods of `metric`, notifying the topic. */
  watch(options: WatchOptions): Alarm {
    const alarm = new Alarm(this, options.name, {
      alarmName: `${this.stackName}-${options.name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * Alarms while a queue nobody consumes holds a message: it stays in alarm until someone redrives or purges it.
   */
  watchUnconsumedQueue(name: string, queue: IQueue, description: string): Alarm {
    return this.watch({
      name,
      description,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    });
  }
}
