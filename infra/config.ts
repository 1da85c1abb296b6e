/**
 * Deploy-time configuration, read once from CDK context and validated before any construct is built.
 *
 * Required: `senderEmail`. Optional: `stackName`, `jwtIssuer` + `jwtAudience`, `alarmEmail`,
 * `smsOriginationIdentity`, `smsConfigurationSet`, `cadencePolicy`, `sesMessageIdDomain`. Values come from `cdk.json` or
 * `-c key=value`.
 * Keys that were removed (`resendLeadMinutes`) fail with a message saying where the setting went.
 */

import { policyFromJson } from '../functions/core/policy.js';

/** A context value that is missing or malformed. The message names the key and says how to fix it. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The SMS sender: an AWS End User Messaging SMS (sms-voice v2) origination identity. */
export interface SmsConfig {
  /** As given: an ARN, a phone number id (`phone-...`) or a pool id (`pool-...`). Passed to the function as is. */
  readonly originationIdentity: string;
  /** Resource path of the identity in its ARN, e.g. `phone-number/phone-abc` or `pool/pool-abc`, or the whole ARN. */
  readonly originationIdentityResource: { readonly arn: string } | { readonly resource: string };
  /** A configuration set name or ARN, when given. */
  readonly configurationSet?: string;
  readonly configurationSetResource?: { readonly arn: string } | { readonly resource: string };
}

/** A JWT issuer supplied by the operator instead of the Cognito user pool the stack would make. */
export interface JwtConfig {
  readonly issuer: string;
  readonly audience: readonly string[];
}

export interface FollowthroughConfig {
  readonly stackName: string;
  /** The verified SES identity mail is sent from. */
  readonly senderEmail: string;
  /** The domain part of {@link senderEmail}. */
  readonly senderDomain: string;
  readonly jwt?: JwtConfig;
  readonly alarmEmail?: string;
  readonly sms?: SmsConfig;
  /** The cadence policy override as JSON (validated here, read by the functions as CADENCE_POLICY). */
  readonly cadencePolicy?: string;
  /**
   * The domain of the Message-ID SES stamps on your mail, as a delivered message's header shows it
   * (`<…@email.amazonses.com>`): only needed when your account's Send events do not carry that header whole.
   */
  readonly sesMessageIdDomain?: string;
}

export const DEFAULT_STACK_NAME = 'Followthrough';

const EMAIL = /^[^\s@]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const SMS_ORIGINATION_ARN = /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)\/\S+$/;
const SMS_ORIGINATION_ID = /^(phone|pool)-[A-Za-z0-9]+$/;
const SMS_CONFIGURATION_SET_ARN = /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:configuration-set\/[A-Za-z0-9_-]+$/;
const SMS_CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Reads one context key; `undefined` when absent. */
export type ContextReader = (key: string) => unknown;

function optionalString(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigError(key, `Invalid context "${key}": expected a string, got ${typeof value}.`);
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function parseSenderEmail(read: ContextReader): { senderEmail: string; senderDomain: string } {
  const senderEmail = optionalString(read, 'senderEmail');
  if (senderEmail === undefined) {
    throw new ConfigError(
      'senderEmail',
      'Missing context "senderEmail": pass -c senderEmail=you@yourdomain.com or set it in cdk.json ' +
        '(the SES-verified address follow-up mail is sent from).',
    );
  }
  const match = EMAIL.exec(senderEmail);
  if (!match?.[1]) {
    throw new ConfigError(
      'senderEmail',
      `Invalid context "senderEmail": "${senderEmail}" is not an e-mail address like you@yourdomain.com.`,
    );
  }
  return { senderEmail, senderDomain: match[1].toLowerCase() };
}

/**
 * Context keys that used to exist. Passing one fails rather than being silently ignored, so a deployer who set it
 * learns that their value no longer takes effect and where it belongs now.
 */
function rejectRemovedKeys(read: ContextReader): void {
  if (read('resendLeadMinutes') === undefined) return;
  throw new ConfigError(
    'resendLeadMinutes',
    'Context "resendLeadMinutes" is no longer read: the cadence policy is the one source of the resend lead. ' +
      'Remove it (from cdk.json too) and put it in cadencePolicy, e.g. -c cadencePolicy=\'{"resendLeadMinutes":15}\'.',
  );
}

function parseJwt(read: ContextReader): JwtConfig | undefined {
  const issuer = optionalString(read, 'jwtIssuer');
  const audienceText = optionalString(read, 'jwtAudience');
  if (issuer === undefined) {
    if (audienceText !== undefined) {
      throw new ConfigError(
        'jwtIssuer',
        'Missing context "jwtIssuer": "jwtAudience" was given without it; pass both, or neither to use the Cognito user pool the stack makes.',
      );
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError('jwtIssuer', `Invalid context "jwtIssuer": "${issuer}" is not a URL like https://issuer.example.com/.`);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError('jwtIssuer', `Invalid context "jwtIssuer": "${issuer}" must be an https URL.`);
  }
  const audience = (audienceText ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (audience.length === 0) {
    throw new ConfigError(
      'jwtAudience',
      'Missing context "jwtAudience": with "jwtIssuer" pass the accepted audiences (client ids), comma-separated, e.g. -c jwtAudience=abc123,def456.',
    );
  }
  return { issuer, audience };
}

function parseAlarmEmail(read: ContextReader): string | undefined {
  const alarmEmail = optionalString(read, 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new ConfigError('alarmEmail', `Invalid context "alarmEmail": "${alarmEmail}" is not an e-mail address.`);
  }
  return alarmEmail;
}

function parseSms(read: ContextReader): SmsConfig | undefined {
  const originationIdentity = optionalString(read, 'smsOriginationIdentity');
  const configurationSet = optionalString(read, 'smsConfigurationSet');
  if (originationIdentity === undefined) {
    if (configurationSet !== undefined) {
      throw new ConfigError(
        'smsOriginationIdentity',
        'Missing context "smsOriginationIdentity": "smsConfigurationSet" was given without it; SMS needs an origination identity.',
      );
    }
    return undefined;
  }

  let originationIdentityResource: SmsConfig['originationIdentityResource'];
  if (SMS_ORIGINATION_ARN.test(originationIdentity)) {
    originationIdentityResource = { arn: originationIdentity };
  } else if (SMS_ORIGINATION_ID.test(originationIdentity)) {
    const type = originationIdentity.startsWith('pool-') ? 'pool' : 'phone-number';
    originationIdentityResource = { resource: `${type}/${originationIdentity}` };
  } else {
    throw new ConfigError(
      'smsOriginationIdentity',
      `Invalid context "smsOriginationIdentity": "${originationIdentity}" must be an sms-voice ARN ` +
        '(arn:aws:sms-voice:<region>:<account>:phone-number/..., pool/... or sender-id/<id>/<country>), ' +
        'a phone number id (phone-...) or a pool id (pool-...).',
    );
  }

  let configurationSetResource: SmsConfig['configurationSetResource'];
  if (configurationSet !== undefined) {
    if (SMS_CONFIGURATION_SET_ARN.test(configurationSet)) {
      configurationSetResource = { arn: configurationSet };
    } else if (SMS_CONFIGURATION_SET_NAME.test(configurationSet)) {
      configurationSetResource = { resource: `configuration-set/${configurationSet}` };
    } else {
      throw new ConfigError(
        'smsConfigurationSet',
        `Invalid context "smsConfigurationSet": "${configurationSet}" must be a configuration set name (letters, digits, _ and -) or its sms-voice ARN.`,
      );
    }
  }

  return {
    originationIdentity,
    originationIdentityResource,
    ...(configurationSet !== undefined && configurationSetResource !== undefined
      ? { configurationSet, configurationSetResource }
      : {}),
  };
}

function parseStackName(read: ContextReader): string {
  const stackName = optionalString(read, 'stackName') ?? DEFAULT_STACK_NAME;
  if (!STACK_NAME.test(stackName)) {
    throw new ConfigError(
      'stackName',
      `Invalid context "stackName": "${stackName}" must start with a letter and hold only letters, digits and hyphens (at most 128).`,
    );
  }
  return stackName;
}

/**
 * Parses and validates every context key. Throws a {@link ConfigError} naming the first bad key.
 *
 * @param read how to read a key, e.g. `(key) => app.node.tryGetContext(key)`
 */
export function parseConfig(read: ContextReader): FollowthroughConfig {
  rejectRemovedKeys(read);
  const { senderEmail, senderDomain } = parseSenderEmail(read);
  const jwt = parseJwt(read);
  const alarmEmail = parseAlarmEmail(read);
  const sms = parseSms(read);
  const cadencePolicy = parseCadencePolicy(read);
  const sesMessageIdDomain = optionalString(read, 'sesMessageIdDomain')?.toLowerCase();
  if (sesMessageIdDomain !== undefined && !DOMAIN.test(sesMessageIdDomain)) {
    throw new ConfigError(
      'sesMessageIdDomain',
      `Invalid context "sesMessageIdDomain": "${sesMessageIdDomain}" must be the domain after the @ of a delivered message's Message-ID, like email.amazonses.com.`,
    );
  }
  return {
    stackName: parseStackName(read),
    senderEmail,
    senderDomain,
    ...(jwt ? { jwt } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sms ? { sms } : {}),
    ...(cadencePolicy ? { cadencePolicy } : {}),
    ...(sesMessageIdDomain ? { sesMessageIdDomain } : {}),
  };
}

/** The cadence policy from context (JSON object or string), checked with the same rules the functions apply. */
function parseCadencePolicy(read: ContextReader): string | undefined {
  const value = read('cadencePolicy');
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    policyFromJson(text);
  } catch (error) {
    throw new ConfigError('cadencePolicy', `Invalid context "cadencePolicy": ${(error as Error).message.replace(/^Cadence policy: /, '')}.`);
  }
  return text;
}
