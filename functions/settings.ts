/**
 * Settings, parsed once at cold start from the environment the stack sets (or the local runtime's
 * .data/lambda.env): one schema for every function. A missing or malformed value fails fast with
 * the variable's name and what it expects, never an empty default that lets it through.
 */
import './core/zod-locale.js';
import * as z from 'zod/mini';
import type { CadencePolicy } from './core/cadence.js';
import { PolicyError, policyFromJson } from './core/policy.js';

export type Env = Record<string, string | undefined>;

const arn = (service: string, example: string) =>
  z.string().check(z.regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), { message: `expected an ARN like ${example}` }));

/** Every variable any function reads, each with its rule. */
const Variables = {
  TABLE_NAME: z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: 'expected a DynamoDB table name' })),
  CADENCE_POLICY: z.string(),
  SCHEDULE_GROUP: z.string().check(z.regex(/^[0-9a-zA-Z_.-]{1,64}$/, { message: 'expected a schedule group name ([0-9a-zA-Z-_.], at most 64)' })),
  FIRE_FUNCTION_ARN: arn('lambda', 'arn:aws:lambda:us-east-1:123456789012:function:fire'),
  SCHEDULER_ROLE_ARN: arn('iam', 'arn:aws:iam::123456789012:role/scheduler'),
  SCHEDULE_DLQ_ARN: arn('sqs', 'arn:aws:sqs:us-east-1:123456789012:dead-letters'),
  LINK_SECRET_ARN: arn('secretsmanager', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:links'),
  SENDER_EMAIL: z.email({ message: 'expected the SES-verified address mail is sent from' }),
  SES_CONFIGURATION_SET: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'expected an SES configuration set name' })),
  PUBLIC_API_URL: z.url({ protocol: /^https?$/, message: 'expected the API base URL, like https://abc.execute-api.us-east-1.amazonaws.com/' }),
  SMS_ORIGINATION_IDENTITY: z.string().check(z.minLength(1)),
  SMS_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  UNSUBSCRIBE_MAILTO: z.email({ message: 'expected an address for unsubscribe mail' }),
  SES_MESSAGE_ID_DOMAIN: z.string().check(z.regex(/^[a-z0-9.-]+$/, { message: 'expected a domain like email.amazonses.com' })),
  AWS_REGION: z.string().check(z.regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, { message: 'expected a region like us-east-1' })),
  COGNITO_DOMAIN_URL: z.url({ protocol: /^https?$/, message: 'expected the Cognito sign-in domain, like https://followthrough-abc.auth.us-east-1.amazoncognito.com' }),
  COGNITO_CLIENT_ID: z.string().check(z.regex(/^[\w+-]{1,128}$/, { message: 'expected the user pool app client id' })),
  CONSOLE_SIGN_IN: z.literal('local', { message: 'expected "local": only the local runtime sets it' }),
} as const;

type Name = keyof typeof Variables;

/** What each function must have; everything else it reads is optional. */
const REQUIRED = {
  api: ['TABLE_NAME', 'SCHEDULE_GROUP', 'FIRE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN', 'LINK_SECRET_ARN'],
  fire: ['TABLE_NAME', 'SENDER_EMAIL', 'PUBLIC_API_URL', 'LINK_SECRET_ARN'],
  events: ['TABLE_NAME', 'SCHEDULE_GROUP', 'FIRE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN'],
  render: ['TABLE_NAME', 'LINK_SECRET_ARN'],
  sweep: ['TABLE_NAME', 'SCHEDULE_GROUP', 'FIRE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN'],
} as const satisfies Record<string, readonly Name[]>;

export type Role = keyof typeof REQUIRED;

export interface ScheduleSettings {
  group: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
}

export interface Settings {
  region: string;
  tableName: string;
  policy: CadencePolicy;
  schedules?: ScheduleSettings;
  linkSecretArn?: string;
  /** Where links in messages point. */
  publicApiUrl?: string;
  mail?: { sender: string; configurationSet?: string; unsubscribeMailto?: string; messageIdDomain?: string };
  sms?: { originationIdentity: string; configurationSet?: string };
  /** How the console at /app signs a rep in; absent when neither the stack nor the local runtime says. */
  console?: ConsoleSignIn;
}

/** The Cognito hosted sign-in (COGNITO_DOMAIN_URL, COGNITO_CLIENT_ID), or a rep id on the local runtime (CONSOLE_SIGN_IN=local). */
export type ConsoleSignIn = { signIn: 'local' } | { signIn: 'cognito'; domainUrl: string; clientId: string };

/** The settings a role is guaranteed to have. */
export type SettingsFor<R extends Role> = Settings &
  (R extends 'api' ? { schedules: ScheduleSettings; linkSecretArn: string } : unknown) &
  (R extends 'events' | 'sweep' ? { schedules: ScheduleSettings } : unknown) &
  (R extends 'fire' ? { mail: NonNullable<Settings['mail']>; publicApiUrl: string; linkSecretArn: string } : unknown) &
  (R extends 'render' ? { linkSecretArn: string } : unknown);

export class SettingsError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export function loadSettings<R extends Role>(env: Env, role: R): SettingsFor<R> {
  const read = (name: Name): string | undefined => {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    if (value === undefined) {
      if ((REQUIRED[role] as readonly Name[]).includes(name)) {
        throw new SettingsError(name, `Missing setting ${name}: the ${role} function needs it (${describe(name)})`);
      }
      return undefined;
    }
    const parsed = Variables[name].safeParse(value);
    if (!parsed.success) throw new SettingsError(name, `Setting ${name} is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}, got "${value.slice(0, 80)}"`);
    return parsed.data;
  };

  let policy: CadencePolicy;
  try {
    policy = policyFromJson(read('CADENCE_POLICY'));
  } catch (error) {
    if (error instanceof PolicyError) throw new SettingsError('CADENCE_POLICY', `Setting CADENCE_POLICY is not valid: ${error.message}`);
    throw error;
  }
  const region = read('AWS_REGION') ?? 'us-east-1';
  const group = read('SCHEDULE_GROUP');
  const targetArn = read('FIRE_FUNCTION_ARN');
  const roleArn = read('SCHEDULER_ROLE_ARN');
  const deadLetterArn = read('SCHEDULE_DLQ_ARN');
  const sender = read('SENDER_EMAIL');
  const smsFrom = read('SMS_ORIGINATION_IDENTITY');
  const settings: Settings = {
    region,
    tableName: read('TABLE_NAME')!,
    policy,
    ...(group && targetArn && roleArn && deadLetterArn ? { schedules: { group, targetArn, roleArn, deadLetterArn } } : {}),
    ...optional('linkSecretArn', read('LINK_SECRET_ARN')),
    ...optional('publicApiUrl', read('PUBLIC_API_URL')),
    ...(sender
      ? {
          mail: {
            sender,
            ...optional('configurationSet', read('SES_CONFIGURATION_SET')),
            ...optional('unsubscribeMailto', read('UNSUBSCRIBE_MAILTO')),
            // Only as the operator read it off a delivered message: SES documents no domain for the
            // Message-ID it stamps, so none is guessed (threading otherwise uses the Send event's).
            ...optional('messageIdDomain', read('SES_MESSAGE_ID_DOMAIN')),
          },
        }
      : {}),
    ...(smsFrom ? { sms: { originationIdentity: smsFrom, ...optional('configurationSet', read('SMS_CONFIGURATION_SET')) } } : {}),
    ...consoleSignIn(read),
  };
  return settings as SettingsFor<R>;
}

function consoleSignIn(read: (name: Name) => string | undefined): { console?: ConsoleSignIn } {
  const domainUrl = read('COGNITO_DOMAIN_URL');
  const clientId = read('COGNITO_CLIENT_ID');
  const local = read('CONSOLE_SIGN_IN');
  if ((domainUrl === undefined) !== (clientId === undefined)) {
    const missing = domainUrl === undefined ? 'COGNITO_DOMAIN_URL' : 'COGNITO_CLIENT_ID';
    throw new SettingsError(missing, `Missing setting ${missing}: the console's Cognito sign-in needs COGNITO_DOMAIN_URL and COGNITO_CLIENT_ID together`);
  }
  if (domainUrl && clientId) {
    if (local) throw new SettingsError('CONSOLE_SIGN_IN', 'Setting CONSOLE_SIGN_IN is not valid: the console signs in through Cognito here, so leave it unset');
    return { console: { signIn: 'cognito', domainUrl: domainUrl.replace(/\/+$/, ''), clientId } };
  }
  return local ? { console: { signIn: 'local' } } : {};
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function describe(name: Name): string {
  const what: Partial<Record<Name, string>> = {
    TABLE_NAME: 'the DynamoDB table',
    SCHEDULE_GROUP: 'the EventBridge Scheduler group for touch schedules',
    FIRE_FUNCTION_ARN: 'the fire function every touch schedule invokes',
    SCHEDULER_ROLE_ARN: 'the role Scheduler assumes to invoke it',
    SCHEDULE_DLQ_ARN: 'the dead-letter queue of touch schedules',
    LINK_SECRET_ARN: 'the Secrets Manager secret that signs links',
    SENDER_EMAIL: 'the SES-verified sender address',
    PUBLIC_API_URL: 'the API base URL for links in messages',
  };
  return what[name] ?? 'see the README';
}
