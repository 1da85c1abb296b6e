/**
 * The local End User Messaging SMS (SendTextMessage, awsJson1_0) and Secrets Manager
 * (GetSecretValue, awsJson1_1) driven from the outside with the real SDK clients, each expectation
 * taken from the API references, and the two adapters that use them.
 */
import { ConflictException, PinpointSMSVoiceV2Client, PutOptedOutNumberCommand, SendTextMessageCommand, ValidationException, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecret } from '../../functions/adapters/secrets-manager.js';
import { EndUserMessagingSms } from '../../functions/adapters/sms-sender.js';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';
import { rejection } from '../support/sdk-errors.js';

const START = '2026-03-10T14:00:00Z';
const ACCOUNT = '000000000000';
const SECRET = 'followthrough/link-secret';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('local SMS and Secrets Manager on the wire, as the API references document them', () => {
  let aws: LocalAws;
  let sms: PinpointSMSVoiceV2Client;
  let secrets: SecretsManagerClient;

  beforeEach(async () => {
    aws = await startLocalAws({ port: 0, clock: new FakeClock(START), invoke: async () => {}, secrets: { [SECRET]: 's3cr3t' }, scheduleGroups: [], accountId: ACCOUNT, region: 'us-east-1' });
    sms = new PinpointSMSVoiceV2Client({ endpoint: aws.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    secrets = new SecretsManagerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterEach(async () => {
    sms.destroy();
    secrets.destroy();
    await aws.close();
  });

  describe('SendTextMessage', () => {
    const message = (extra: Partial<SendTextMessageCommandInput> = {}): SendTextMessageCommandInput => ({ DestinationPhoneNumber: '+12065550100', MessageBody: 'Call Dana at 2:30 PM', ...extra });

    it('takes every member the reference lists and answers a MessageId', async () => {
      // Act
      const out = await sms.send(
        new SendTextMessageCommand(
          message({
            OriginationIdentity: 'arn:aws:sms-voice:us-east-1:000000000000:phone-number/phone-1234',
            MessageType: 'TRANSACTIONAL',
            Keyword: 'REMIND',
            ConfigurationSetName: 'followthrough',
            MaxPrice: '0.05',
            TimeToLive: 900,
            Context: { touchId: 't-1' },
            DestinationCountryParameters: { IN_ENTITY_ID: '1234' },
            ProtectConfigurationId: 'protect-1234',
            MessageFeedbackEnabled: false,
            DryRun: false,
          }),
        ),
      );

      // Assess
      expect(out.MessageId).toEqual(expect.any(String));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(aws.sms.messages()).toMatchObject([{ messageId: out.MessageId, to: '+12065550100', body: 'Call Dana at 2:30 PM', messageType: 'TRANSACTIONAL', timeToLive: 900 }]);
    });

    it('needs only DestinationPhoneNumber and a body, and sends nothing on DryRun', async () => {
      // Act
      const plain = await sms.send(new SendTextMessageCommand(message()));
      const dry = await sms.send(new SendTextMessageCommand(message({ DryRun: true })));

      // Assess
      expect([plain.MessageId, dry.MessageId].every(Boolean)).toBe(true);
      expect(aws.sms.messages()).toHaveLength(1);
    });

    const invalid: [string, Partial<SendTextMessageCommandInput>, string][] = [
      ['no DestinationPhoneNumber', { DestinationPhoneNumber: undefined }, 'DestinationPhoneNumber'],
      ['a number with dashes', { DestinationPhoneNumber: '206-555-0100' }, 'DestinationPhoneNumber'],
      ['a number of 21 characters', { DestinationPhoneNumber: '+1206555010012345678' + '9' }, 'DestinationPhoneNumber'],
      ['a number starting with +0', { DestinationPhoneNumber: '+02065550100' }, 'DestinationPhoneNumber'],
      ['a body of 1601 characters', { MessageBody: 'x'.repeat(1601) }, 'MessageBody'],
      ['a body of only spaces', { MessageBody: '   ' }, 'MessageBody'],
      ['an unknown MessageType', { MessageType: 'URGENT' as never }, 'MessageType'],
      ['an OriginationIdentity with a space', { OriginationIdentity: 'my phone' }, 'OriginationIdentity'],
      ['a ConfigurationSetName with a space', { ConfigurationSetName: 'my set' }, 'ConfigurationSetName'],
      ['a Keyword of 31 characters', { Keyword: 'k'.repeat(31) }, 'Keyword'],
      ['a MaxPrice without a decimal point', { MaxPrice: '5' }, 'MaxPrice'],
      ['a TimeToLive of 4 seconds', { TimeToLive: 4 }, 'TimeToLive'],
      ['a TimeToLive over 259200 seconds', { TimeToLive: 259_201 }, 'TimeToLive'],
      ['six Context entries', { Context: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, 'Context'],
      ['a Context key with a space', { Context: { 'touch id': 't-1' } }, 'Context'],
    ];
    it.each(invalid)('refuses %s with ValidationException (400) naming the field', async (_what, extra, field) => {
      // Act
      const error = await rejection(sms.send(new SendTextMessageCommand(message(extra))));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ValidationException', 400, 'client']);
      expect(error.Reason).toEqual(expect.any(String));
      expect(error.Fields?.some((f) => f.Name.startsWith(field))).toBe(true);
      expect(aws.sms.messages()).toEqual([]);
    });

    it('surfaces ValidationException and ConflictException (an opted-out number) as the SDK\'s classes', async () => {
      // Prepare
      await sms.send(new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: '+12065550199' }));

      // Act
      const invalid = await rejection(sms.send(new SendTextMessageCommand(message({ DestinationPhoneNumber: 'x' }))));
      const optedOut = await rejection(sms.send(new SendTextMessageCommand(message({ DestinationPhoneNumber: '+12065550199' }))));

      // Assess
      expect(invalid).toBeInstanceOf(ValidationException);
      expect(optedOut).toBeInstanceOf(ConflictException);
      expect(optedOut.Reason).toBe('DESTINATION_PHONE_NUMBER_OPTED_OUT');
    });

    it('is what EndUserMessagingSms sends, and it gets the MessageId back', async () => {
      // Prepare
      const sender = new EndUserMessagingSms({ client: sms, originationIdentity: '+18885550123', configurationSetName: 'followthrough' });

      // Act
      const out = await sender.send({ to: '+12065550100', body: 'Call Dana now', context: { touchId: 't-1' } });

      // Assess
      expect(aws.sms.messages()).toMatchObject([{ messageId: out.messageId, from: '+18885550123', configurationSetName: 'followthrough', context: { touchId: 't-1' } }]);
    });
  });

  describe('GetSecretValue', () => {
    it('answers the members the reference lists, by name, full ARN and partial ARN', async () => {
      // Act
      const byName = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET }));
      const byArn = await secrets.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
      const byPartial = await secrets.send(new GetSecretValueCommand({ SecretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${SECRET}` }));

      // Assess
      const { $metadata: _m, ...body } = byName;
      expect(body).toEqual({ ARN: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:followthrough\/link-secret-[A-Za-z0-9]{6}$/), Name: SECRET, VersionId: expect.any(String), SecretString: 's3cr3t', VersionStages: ['AWSCURRENT'], CreatedDate: new Date(START) });
      expect([byArn.SecretString, byPartial.SecretString]).toEqual(['s3cr3t', 's3cr3t']);
    });

    it('answers by VersionId, by VersionStage AWSCURRENT, and by both when they agree', async () => {
      // Prepare
      const { VersionId } = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET }));

      // Act
      const byVersion = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId }));
      const byStage = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSCURRENT' }));
      const byBoth = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId, VersionStage: 'AWSCURRENT' }));

      // Assess
      expect([byVersion, byStage, byBoth].map((o) => o.VersionId)).toEqual([VersionId, VersionId, VersionId]);
    });

    it('answers ResourceNotFoundException (400) for a secret, a version or a stage it does not have', async () => {
      // Act
      const secret = await rejection(secrets.send(new GetSecretValueCommand({ SecretId: 'followthrough/other' })));
      const version = await rejection(secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionId: 'a'.repeat(32) })));
      const stage = await rejection(secrets.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSPENDING' })));

      // Assess
      for (const error of [secret, version, stage]) {
        expect(error).toBeInstanceOf(ResourceNotFoundException);
        expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ResourceNotFoundException', 400, 'client']);
      }
      expect(secret.message).toBe("Secrets Manager can't find the specified secret.");
    });

    it.each([
      ['no SecretId', { SecretId: undefined }],
      ['a SecretId over 2048 characters', { SecretId: 's'.repeat(2049) }],
      ['a VersionId under 32 characters', { SecretId: SECRET, VersionId: 'AWSCURRENT' }],
      ['a VersionStage over 256 characters', { SecretId: SECRET, VersionStage: 'v'.repeat(257) }],
    ])('refuses %s with ValidationException (400), as the service does for a constraint it breaks', async (_what, input) => {
      // Act
      const error = await rejection(secrets.send(new GetSecretValueCommand(input as never)));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ValidationException', 400, 'client']);
    });

    it('is what SecretsManagerSecret reads, by the ARN the runtime hands the Lambda', async () => {
      // Prepare
      const source = new SecretsManagerSecret(secrets, aws.secrets.arnOf(SECRET));

      // Act
      const value = await source.get();

      // Assess
      expect(value).toBe('s3cr3t');
    });
  });
});
