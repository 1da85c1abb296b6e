import { Duration, Stack, Validations } from 'aws-cdk-lib';
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
import { Construct } from 'constructs';
import type { SmsConfig } from '../config.js';
import type { FollowthroughFunction } from './function.js';

/** The SES events the events function handles, as EventBridge detail types. */
export const SES_EVENT_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received', 'Email Delivered', 'Email Rejected'];

export interface MessagingProps {
  /** The SES-verified address mail is sent from. */
  readonly senderEmail: string;
  /** The domain of {@link senderEmail}; sending is allowed through either identity. */
  readonly senderDomain: string;
  readonly apiFunction: FollowthroughFunction;
  readonly fireFunction: FollowthroughFunction;
  readonly eventsFunction: FollowthroughFunction;
  /** Reads the link secret to verify sheet links. */
  readonly renderFunction?: FollowthroughFunction;
  readonly sms?: SmsConfig;
}

/**
 * Outbound mail and SMS: the SES configuration set (TLS required, reputation metrics) that publishes bounce,
 * complaint, delivery and reject events to the default event bus, the rule that hands them to the events
 * function, the secret that signs public links, and send permissions scoped to the sender identity.
 */
export class Messaging extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly linkSecret: Secret;
  readonly sesEventsRule: Rule;

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
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.REJECT,
      ],
    });

    this.sesEventsRule = new Rule(this, 'SesEventsRule', {
      description: 'SES bounce, complaint, delivery and reject events of the followthrough configuration set.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_EVENT_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(eventsFunction.function, { retryAttempts: 8, maxEventAge: Duration.hours(24) }),
      ],
    });

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
    for (const fn of [fireFunction, eventsFunction]) {
      fn.addToRolePolicy(sendEmail);
      fn.addEnvironment('SENDER_EMAIL', props.senderEmail);
      fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    }

    this.linkSecret = new Secret(this, 'LinkSecret', {
      description: 'Signs public links (unsubscribe tokens, call-prep sheet links).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate unsubscribe links already delivered in e-mails; it is rotated by hand when needed.',
    });
    for (const fn of [apiFunction, fireFunction, eventsFunction, ...(props.renderFunction ? [props.renderFunction] : [])]) {
      this.linkSecret.grantRead(fn.function);
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
