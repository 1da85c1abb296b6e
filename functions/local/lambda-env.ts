/**
 * The environment the stack sets on the functions, with local values: the names come from the
 * same settings schema (functions/settings.ts) and the endpoints from the local services. Written to
 * .data/lambda.env so a bundle from cdk.out runs against the local system.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOCAL_REGION } from './dynamo.js';

export const LOCAL_ACCOUNT = '000000000000';

export const LOCAL_ARNS = {
  fire: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:followthrough-fire`,
  sweep: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:followthrough-sweep`,
  events: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:followthrough-events`,
  sweepSchedulerRole: `arn:aws:iam::${LOCAL_ACCOUNT}:role/followthrough-sweep-scheduler`,
  fireFailureQueue: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:followthrough-fire-failures`,
  schedulerRole: `arn:aws:iam::${LOCAL_ACCOUNT}:role/followthrough-scheduler`,
  scheduleDlq: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:followthrough-schedule-dlq`,
} as const;

/** The configuration set the local functions send with: the local SES publishes Send events for it, as SES does. */
export const LOCAL_SES_CONFIGURATION_SET = 'followthrough-local';

export interface LocalEnvOptions {
  tableName: string;
  scheduleGroup: string;
  publicApiUrl: string;
  senderEmail: string;
  cadencePolicy?: string;
  unsubscribeMailto?: string;
  smsOriginationIdentity: string;
  /** The link secret's full ARN, as the local Secrets Manager endpoint names it. */
  linkSecretArn: string;
  /** The console signs in through this (Cognito-compatible) hosted UI; by default with a rep id (CONSOLE_SIGN_IN=local). */
  cognito?: { domainUrl: string; clientId: string };
  endpoints: { dynamodb: string; sesv2: string; scheduler: string; sms: string; secrets: string };
}

export function localLambdaEnv(o: LocalEnvOptions): Record<string, string> {
  return {
    TABLE_NAME: o.tableName,
    SCHEDULE_GROUP: o.scheduleGroup,
    FIRE_FUNCTION_ARN: LOCAL_ARNS.fire,
    SCHEDULER_ROLE_ARN: LOCAL_ARNS.schedulerRole,
    SCHEDULE_DLQ_ARN: LOCAL_ARNS.scheduleDlq,
    LINK_SECRET_ARN: o.linkSecretArn,
    SENDER_EMAIL: o.senderEmail,
    SES_CONFIGURATION_SET: LOCAL_SES_CONFIGURATION_SET,
    PUBLIC_API_URL: o.publicApiUrl,
    SMS_ORIGINATION_IDENTITY: o.smsOriginationIdentity,
    ...(o.cadencePolicy ? { CADENCE_POLICY: o.cadencePolicy } : {}),
    ...(o.unsubscribeMailto ? { UNSUBSCRIBE_MAILTO: o.unsubscribeMailto } : {}),
    ...(o.cognito ? { COGNITO_DOMAIN_URL: o.cognito.domainUrl, COGNITO_CLIENT_ID: o.cognito.clientId } : { CONSOLE_SIGN_IN: 'local' }),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // The SDK's standard per-service endpoint variables: the handlers' clients reach the local services through them.
    AWS_ENDPOINT_URL_DYNAMODB: o.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: o.endpoints.sesv2,
    AWS_ENDPOINT_URL_SCHEDULER: o.endpoints.scheduler,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: o.endpoints.sms,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: o.endpoints.secrets,
  };
}

/** KEY=value lines, values quoted where the shell would need it. */
export function writeLambdaEnv(file: string, env: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true });
  const quote = (v: string) => (/^[A-Za-z0-9_./:@-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const lines = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  writeFileSync(file, `# Written by npm start: the functions' environment against the local system.\n${lines.join('\n')}\n`, { mode: 0o600 });
}
