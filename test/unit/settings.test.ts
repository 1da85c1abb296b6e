/** Settings from the environment: one schema, read once, failing fast with the variable's name. */
import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../functions/settings.js';

const API_ENV = {
  TABLE_NAME: 'followthrough-test',
  SCHEDULE_GROUP: 'followthrough-touches',
  FIRE_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:fire',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:links',
  AWS_REGION: 'eu-west-1',
};

describe('loadSettings', () => {
  it('reads what the api function needs, with the default policy', () => {
    const settings = loadSettings(API_ENV, 'api');
    expect(settings.schedules).toEqual({
      group: 'followthrough-touches',
      targetArn: API_ENV.FIRE_FUNCTION_ARN,
      roleArn: API_ENV.SCHEDULER_ROLE_ARN,
      deadLetterArn: API_ENV.SCHEDULE_DLQ_ARN,
    });
    expect(settings.policy.resendLeadMinutes).toBe(10);
    expect(settings.region).toBe('eu-west-1');
  });

  it('takes resendLeadMinutes from the cadence policy, its one source', () => {
    const settings = loadSettings({ ...API_ENV, CADENCE_POLICY: '{"resendLeadMinutes":15}', RESEND_LEAD_MINUTES: '30' }, 'api');
    expect(settings.policy.resendLeadMinutes).toBe(15);
  });

  it.each([
    ['api', 'SCHEDULE_GROUP'],
    ['api', 'LINK_SECRET_ARN'],
    ['fire', 'SENDER_EMAIL'],
    ['fire', 'PUBLIC_API_URL'],
    ['events', 'FIRE_FUNCTION_ARN'],
    ['render', 'TABLE_NAME'],
  ] as const)('the %s function fails at start without %s, naming it', (role, missing) => {
    const env: Record<string, string | undefined> = { ...API_ENV, SENDER_EMAIL: 'sales@example.com', PUBLIC_API_URL: 'https://api.example.com/' };
    env[missing] = '  ';
    expect(() => loadSettings(env, role)).toThrow(SettingsError);
    expect(() => loadSettings(env, role)).toThrow(new RegExp(`^Missing setting ${missing}: the ${role} function needs it`));
  });

  it.each([
    ['FIRE_FUNCTION_ARN', 'fire', /expected an ARN like arn:aws:lambda/],
    ['SENDER_EMAIL', 'not-an-address', /SENDER_EMAIL is not valid: expected the SES-verified address/],
    ['CADENCE_POLICY', '{"resendLeadMinutes":-1}', /CADENCE_POLICY is not valid: Cadence policy: resendLeadMinutes/],
    ['CADENCE_POLICY', '{not json', /CADENCE_POLICY is not valid: Cadence policy: CADENCE_POLICY is not valid JSON/],
    ['AWS_REGION', 'Mars', /AWS_REGION is not valid: expected a region/],
  ])('refuses a malformed %s, saying what it expects', (name, value, message) => {
    expect(() => loadSettings({ ...API_ENV, SENDER_EMAIL: 'a@b.example', PUBLIC_API_URL: 'https://x.example/', [name]: value }, 'fire')).toThrow(message);
  });

  it.each(['us-east-1', 'us-gov-west-1', 'ap-southeast-7', 'eusc-de-east-1'])('takes the region %s', (region) => {
    expect(() => loadSettings({ ...API_ENV, SENDER_EMAIL: 'a@b.example', PUBLIC_API_URL: 'https://x.example/', AWS_REGION: region }, 'fire')).not.toThrow();
  });

  it('gives the fire function its mail settings, guessing no Message-ID domain from the region', () => {
    const env = { TABLE_NAME: 't-1', SENDER_EMAIL: 'sales@example.com', PUBLIC_API_URL: 'https://api.example.com/', LINK_SECRET_ARN: API_ENV.LINK_SECRET_ARN, AWS_REGION: 'eu-west-1' };
    const fire = loadSettings(env, 'fire');
    expect(fire.mail).toEqual({ sender: 'sales@example.com' });
    expect(fire.sms).toBeUndefined();
    // The operator's own reading of a delivered message's header, when set.
    expect(loadSettings({ ...env, SES_MESSAGE_ID_DOMAIN: 'eu-west-1.amazonses.com' }, 'fire').mail).toEqual({ sender: 'sales@example.com', messageIdDomain: 'eu-west-1.amazonses.com' });
  });
  describe("the console's sign-in", () => {
    const RENDER_ENV = { TABLE_NAME: 't-1', LINK_SECRET_ARN: API_ENV.LINK_SECRET_ARN };
    const COGNITO = { COGNITO_DOMAIN_URL: 'https://followthrough-1.auth.us-east-1.amazoncognito.com/', COGNITO_CLIENT_ID: '1example23456789abcdefghij' };

    it('signs in through Cognito where the stack sets its domain and client', () => {
      expect(loadSettings({ ...RENDER_ENV, ...COGNITO }, 'render').console).toEqual({
        signIn: 'cognito',
        domainUrl: 'https://followthrough-1.auth.us-east-1.amazoncognito.com',
        clientId: '1example23456789abcdefghij',
      });
    });

    it('signs in with a rep id where the local runtime says CONSOLE_SIGN_IN=local, and not at all where nothing says', () => {
      expect(loadSettings({ ...RENDER_ENV, CONSOLE_SIGN_IN: 'local' }, 'render').console).toEqual({ signIn: 'local' });
      expect(loadSettings(RENDER_ENV, 'render').console).toBeUndefined();
    });

    it.each([
      [{ COGNITO_DOMAIN_URL: COGNITO.COGNITO_DOMAIN_URL }, /^Missing setting COGNITO_CLIENT_ID: .*together/],
      [{ COGNITO_CLIENT_ID: COGNITO.COGNITO_CLIENT_ID }, /^Missing setting COGNITO_DOMAIN_URL: .*together/],
      [{ ...COGNITO, CONSOLE_SIGN_IN: 'local' }, /^Setting CONSOLE_SIGN_IN is not valid: .*Cognito/],
      [{ CONSOLE_SIGN_IN: 'yes' }, /^Setting CONSOLE_SIGN_IN is not valid: expected "local"/],
      [{ ...COGNITO, COGNITO_DOMAIN_URL: 'followthrough-1.auth.us-east-1.amazoncognito.com' }, /^Setting COGNITO_DOMAIN_URL is not valid: expected the Cognito sign-in domain/],
    ])('refuses %j, naming the variable', (env, message) => {
      expect(() => loadSettings({ ...RENDER_ENV, ...env }, 'render')).toThrow(message);
    });
  });
});
