import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SENT_EVENT_TAG } from '../../functions/core/ses-event.js';
import type { SmsConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { type FollowthroughFunction, onFailureQueue } from './function.js';

/**
 * The SES events the events function acts on, as EventBridge detail types. Deliveries and rejects are neither
 * published nor routed: the function has nothing to do with them, and each one would be an invocation.
 */
export const SES_EVENT_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'];

/**
 * Send events of every email of a touch (the `touch` message tag): the events function records on the touch that
 * its email went out, so a delivery retried after a crash between the send and the sent mark sends nothing again;
 * and since SES replaces any Message-ID a sender sets and answers SendEmail with its bare message id, the Send
 * event is also where it reads the Message-ID header a resend's In-Reply-To names. One invocation per email.
 */
export const SES_SENT_DETAIL_TYPE = 'Email Sent';

export interface MessagingProps {
  /** The SES-verified address mail is sent from. */
  readonly senderEmail: string;
  /** The domain of {@link senderEmail}; sending is allowed through either identity. */
  readonly senderDomain: string;
  /** Verifies unsubscribe links: reads the link secret. */
  readonly apiFunction: FollowthroughFunction;
  /** Sends mail and SMS and signs links. */
  readonly fireFunction: FollowthroughFunction;
  /** Handles bounces and complaints: touches the table and schedules, never mail or the secret. */
  readonly eventsFunction: FollowthroughFunction;
  /** Verifies sheet links: reads the link secret. */
  readonly renderFunction: FollowthroughFunction;
  readonly sms?: SmsConfig;
  readonly alarms: Alarms;
}

/**
 * Outbound mail and SMS: the SES configuration set (TLS required, reputation metrics) that publishes bounce and
 * complaint events to the default event bus, the rule that hands them to the events function (with its own
 * dead-letter queue, alarmed), the secret that signs public links, and send permissions scoped to the sender
 * identity, for the fire function only.
 */
export class Messaging extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly linkSecret: Secret;
  readonly sesEventsRule: Rule;
  /** Send events of every touch's email, to the same function and dead-letter queue. */
  readonly sesSentRule: Rule;
  /** SES events that could not be delivered to the events function, or that it failed on after its retries. */
  readonly sesEventsDeadLetterQueue: Queue;
  readonly sesEventsFailedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { apiFunction, fireFunction, eventsFunction } = props;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    new ConfigurationSetEventDestination(this, 'EventBusDestination', {
      configurationSet: this.configurationSet,
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.SEND],
    });

    this.sesEventsDeadLetterQueue = new Queue(this, 'SesEventsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.sesEventsDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the SES events; a DLQ of a DLQ adds nothing.',
    });
    // A bounce must stop the cadence's mail but need not do so within the minute: EventBridge keeps trying for a
    // day, then dead-letters (EventBridge User Guide, "Event retry policy and using dead-letter queues"; CDK
    // adds the queue policy that lets only each rule send, by aws:SourceArn).
    const target = () =>
      new LambdaFunction(eventsFunction.function, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: this.sesEventsDeadLetterQueue,
      });
    this.sesEventsRule = new Rule(this, 'SesEventsRule', {
      description: 'SES bounce and complaint events of the followthrough configuration set.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_EVENT_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [target()],
    });
    this.sesSentRule = new Rule(this, 'SesSentRule', {
      description: "SES Send events of every touch's email: that it went out, and a recap's Message-ID.",
      eventPattern: {
        source: ['aws.ses'],
        detailType: [SES_SENT_DETAIL_TYPE],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName], [SENT_EVENT_TAG]: [{ exists: true }] } } },
      },
      targets: [target()],
    });
    // EventBridge invokes the function asynchronously, so its dead-letter queue covers delivery only; an error the
    // function throws is retried by Lambda and would then be dropped. The on-failure destination keeps those in
    // the same queue (as Lambda invocation records whose requestPayload is the SES event).
    eventsFunction.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: onFailureQueue(this.sesEventsDeadLetterQueue),
    });
    this.sesEventsFailedAlarm = props.alarms.watchUnconsumedQueue(
      'ses-events-failed',
      this.sesEventsDeadLetterQueue,
      'An SES bounce or complaint was not processed: the address may not be suppressed. See the SES events ' +
        "dead-letter queue and the events function's log.",
    );

    const sendEmail = new iam.PolicyStatement({
      sid: 'SendFromSenderIdentity',
      actions: ['ses:SendEmail'],
      resources: [
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderEmail }),
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderDomain }),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
    });
    fireFunction.addToRolePolicy(sendEmail);
    fireFunction.addEnvironment('SENDER_EMAIL', props.senderEmail);
    fireFunction.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);

    this.linkSecret = new Secret(this, 'LinkSecret', {
      description: 'Signs public links (unsubscribe tokens, call-prep sheet links).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate unsubscribe links already delivered in e-mails; it is rotated by hand when needed.',
    });
    for (const fn of [apiFunction, fireFunction, props.renderFunction]) {
      fn.grantSecretValue(this.linkSecret);
      fn.addEnvironment('LINK_SECRET_ARN', this.linkSecret.secretArn);
    }

    if (props.sms) {
      fireFunction.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'SendRepReminderSms',
          actions: ['sms-voice:SendTextMessage'],
          resources: smsResourceArns(stack, props.sms),
        }),
      );
      fireFunction.addEnvironment('SMS_ORIGINATION_IDENTITY', props.sms.originationIdentity);
      if (props.sms.configurationSet) {
        fireFunction.addEnvironment('SMS_CONFIGURATION_SET', props.sms.configurationSet);
      }
    }
  }
}

/**
 * ARNs of the SMS origination identity and configuration set. A bare `phone-...` id becomes
 * `arn:<partition>:sms-voice:<region>:<account>:phone-number/<id>`, a `pool-...` id `.../pool/<id>`, a bare
 * configuration set name `.../configuration-set/<name>`; ARNs are used as given.
 */
export function smsResourceArns(stack: Stack, sms: SmsConfig): string[] {
  const toArn = (ref: { readonly arn: string } | { readonly resource: string }): string =>
    'arn' in ref ? ref.arn : stack.formatArn({ service: 'sms-voice', resource: ref.resource });
  const arns = [toArn(sms.originationIdentityResource)];
  if (sms.configurationSetResource) arns.push(toArn(sms.configurationSetResource));
  return arns;
}
