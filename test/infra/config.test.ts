import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../infra/config.js';

const reader =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

function errorOf(context: Record<string, unknown>): ConfigError {
  try {
    parseConfig(reader(context));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies defaults with only senderEmail', () => {
    const config = parseConfig(reader({ senderEmail: 'Rep.Team@Sales.Example.com' }));
    expect(config).toEqual({
      stackName: 'Followthrough',
      senderEmail: 'Rep.Team@Sales.Example.com',
      senderDomain: 'sales.example.com',
    });
  });

  it.each([
    [{}, 'senderEmail', /Missing context "senderEmail": pass -c senderEmail=/],
    [{ senderEmail: '  ' }, 'senderEmail', /Missing context "senderEmail"/],
    [{ senderEmail: 'no-at-sign' }, 'senderEmail', /Invalid context "senderEmail"/],
    [{ senderEmail: 'a@localhost' }, 'senderEmail', /Invalid context "senderEmail"/],
    [{ senderEmail: 'a@example.com', resendLeadMinutes: 10 }, 'resendLeadMinutes', /put it in cadencePolicy/],
    [{ senderEmail: 'a@example.com', resendLeadMinutes: '15' }, 'resendLeadMinutes', /no longer read/],
    [{ senderEmail: 'a@example.com', cadencePolicy: '{"resendLeadMinutes":-5}' }, 'cadencePolicy', /Invalid context "cadencePolicy"/],
    [{ senderEmail: 'a@example.com', jwtIssuer: 'https://issuer.example.com' }, 'jwtAudience', /Missing context "jwtAudience"/],
    [{ senderEmail: 'a@example.com', jwtAudience: 'abc' }, 'jwtIssuer', /Missing context "jwtIssuer"/],
    [{ senderEmail: 'a@example.com', jwtIssuer: 'http://issuer.example.com', jwtAudience: 'a' }, 'jwtIssuer', /https/],
    [{ senderEmail: 'a@example.com', alarmEmail: 'ops' }, 'alarmEmail', /Invalid context "alarmEmail"/],
    [{ senderEmail: 'a@example.com', sesMessageIdDomain: '<x@email.amazonses.com>' }, 'sesMessageIdDomain', /Invalid context "sesMessageIdDomain"/],
    [{ senderEmail: 'a@example.com', smsOriginationIdentity: '+15555550100' }, 'smsOriginationIdentity', /ARN/],
    [{ senderEmail: 'a@example.com', smsConfigurationSet: 'cs' }, 'smsOriginationIdentity', /Missing context/],
    [
      { senderEmail: 'a@example.com', smsOriginationIdentity: 'pool-1', smsConfigurationSet: 'bad name' },
      'smsConfigurationSet',
      /Invalid context "smsConfigurationSet"/,
    ],
    [{ senderEmail: 'a@example.com', stackName: '1stack' }, 'stackName', /Invalid context "stackName"/],
  ])('rejects %j naming %s', (context, key, message) => {
    const error = errorOf(context);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('takes the resend lead from the cadence policy, as a JSON string from -c or an object from cdk.json', () => {
    const fromCli = parseConfig(reader({ senderEmail: 'a@example.com', cadencePolicy: '{"resendLeadMinutes":30}' }));
    expect(fromCli.cadencePolicy).toBe('{"resendLeadMinutes":30}');
    const fromCdkJson = parseConfig(reader({ senderEmail: 'a@example.com', cadencePolicy: { resendLeadMinutes: 0 } }));
    expect(fromCdkJson.cadencePolicy).toBe('{"resendLeadMinutes":0}');
  });

  it('takes the Message-ID domain SES stamps only as the deployer read it, and guesses none', () => {
    expect(parseConfig(reader({ senderEmail: 'a@example.com', sesMessageIdDomain: 'Email.AmazonSES.com' })).sesMessageIdDomain).toBe('email.amazonses.com');
    expect(parseConfig(reader({ senderEmail: 'a@example.com' }))).not.toHaveProperty('sesMessageIdDomain');
  });

  it('splits and trims jwtAudience', () => {
    const config = parseConfig(
      reader({ senderEmail: 'a@example.com', jwtIssuer: 'https://issuer.example.com/', jwtAudience: ' a , b,,' }),
    );
    expect(config.jwt).toEqual({ issuer: 'https://issuer.example.com/', audience: ['a', 'b'] });
  });

  it('maps bare SMS ids to resource paths and keeps ARNs', () => {
    const phone = parseConfig(reader({ senderEmail: 'a@example.com', smsOriginationIdentity: 'phone-abc', smsConfigurationSet: 'cs-1' }));
    expect(phone.sms).toEqual({
      originationIdentity: 'phone-abc',
      originationIdentityResource: { resource: 'phone-number/phone-abc' },
      configurationSet: 'cs-1',
      configurationSetResource: { resource: 'configuration-set/cs-1' },
    });
    const pool = parseConfig(reader({ senderEmail: 'a@example.com', smsOriginationIdentity: 'pool-abc' }));
    expect(pool.sms?.originationIdentityResource).toEqual({ resource: 'pool/pool-abc' });
    const arn = 'arn:aws:sms-voice:us-east-1:123456789012:sender-id/FOLLOWUP/GB';
    const senderId = parseConfig(reader({ senderEmail: 'a@example.com', smsOriginationIdentity: arn }));
    expect(senderId.sms?.originationIdentityResource).toEqual({ arn });
  });
});
