import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecretFile } from '../../functions/local/aws/secrets-service.js';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';
import { rejection } from '../support/sdk-errors.js';

const START = '2026-03-10T14:00:00Z';
const NAME = 'followthrough/link-secret';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Runs `act` with one environment variable set, restoring it after. */
async function withEnv<T>(name: string, value: string, act: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await act();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('local Secrets Manager, through @aws-sdk/client-secrets-manager', () => {
  let dir: string;
  let clock: FakeClock;
  let open: LocalAws[];
  let aws: LocalAws;
  let client: SecretsManagerClient;

  async function start(secret = 'k3y'): Promise<LocalAws> {
    aws = await startLocalAws({ port: 0, dataDir: dir, clock, invoke: async () => {}, secrets: { [NAME]: secret }, scheduleGroups: [], accountId: '000000000000', region: 'us-east-1' });
    open.push(aws);
    client?.destroy();
    client = new SecretsManagerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    return aws;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-local-aws-'));
    clock = new FakeClock(START);
    open = [];
    await start();
  });

  afterEach(async () => {
    client.destroy();
    await Promise.all(open.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('GetSecretValue', () => {
    it('answers a secret by name in the shape the service answers', async () => {
      // Act
      const out = await client.send(new GetSecretValueCommand({ SecretId: NAME }));

      // Assess
      expect(out).toMatchObject({ Name: NAME, SecretString: 'k3y', VersionStages: ['AWSCURRENT'], CreatedDate: new Date(START) });
      expect(out.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:followthrough\/link-secret-[A-Za-z0-9]{6}$/);
      expect(out.ARN).toBe(aws.secrets.arnOf(NAME));
      expect(out.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('finds the secret by its full ARN and by its partial ARN', async () => {
      // Act
      const full = await client.send(new GetSecretValueCommand({ SecretId: aws.secrets.arnOf(NAME) }));
      const partial = await client.send(new GetSecretValueCommand({ SecretId: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${NAME}` }));

      // Assess
      expect([full.SecretString, partial.SecretString]).toEqual(['k3y', 'k3y']);
    });

    it('answers ResourceNotFoundException for a secret, version or stage it does not have', async () => {
      // Prepare
      const { VersionId } = await client.send(new GetSecretValueCommand({ SecretId: NAME }));

      // Act
      const missing = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'followthrough/other' })));
      const version = await rejection(client.send(new GetSecretValueCommand({ SecretId: NAME, VersionId: '00000000-0000-0000-0000-000000000000' })));
      const stage = await rejection(client.send(new GetSecretValueCommand({ SecretId: NAME, VersionStage: 'AWSPREVIOUS' })));
      const current = await client.send(new GetSecretValueCommand({ SecretId: NAME, VersionId, VersionStage: 'AWSCURRENT' }));

      // Assess
      expect([missing.name, missing.message, missing.$metadata.httpStatusCode, missing.$fault]).toEqual(['ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400, 'client']);
      expect(version.name).toBe('ResourceNotFoundException');
      expect(stage.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
      expect(current.SecretString).toBe('k3y');
    });

    it('keeps the ARN and version across a restart, and serves the value the runtime gives now', async () => {
      // Prepare
      const before = await client.send(new GetSecretValueCommand({ SecretId: NAME }));
      await aws.close();

      // Act
      await start('rotated');
      const after = await client.send(new GetSecretValueCommand({ SecretId: before.ARN }));

      // Assess
      expect([after.ARN, after.VersionId, after.SecretString]).toEqual([before.ARN, before.VersionId, 'rotated']);
    });
  });

  describe('fault hook', () => {
    it('fails the next N calls with InternalServiceError (500), then answers again', async () => {
      // Prepare
      aws.secrets.failNext(2);

      // Act
      const first = await rejection(client.send(new GetSecretValueCommand({ SecretId: NAME })));
      const second = await rejection(client.send(new GetSecretValueCommand({ SecretId: NAME })));
      const third = await client.send(new GetSecretValueCommand({ SecretId: NAME }));

      // Assess
      expect([first.name, first.$metadata.httpStatusCode, first.$fault]).toEqual(['InternalServiceError', 500, 'server']);
      expect(second.name).toBe('InternalServiceError');
      expect(third.SecretString).toBe('k3y');
      expect(aws.secrets.callCount()).toBe(3);
    });

    it('is absorbed by the SDK\'s own retries when the client keeps its default of three attempts', async () => {
      // Prepare
      aws.secrets.failNext(2);
      const retrying = new SecretsManagerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials });

      // Act
      const out = await retrying.send(new GetSecretValueCommand({ SecretId: NAME }));
      retrying.destroy();

      // Assess
      expect(out.SecretString).toBe('k3y');
      expect(out.$metadata.attempts).toBe(3);
    });
  });

  it('keeps a secret file: created once with owner-only permissions, read back after', () => {
    // Prepare
    const file = join(dir, 'nested', 'link-secret');

    // Act
    const first = loadOrCreateSecretFile(file);
    const again = loadOrCreateSecretFile(file);

    // Assess
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(again).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  describe('the shared server', () => {
    it('is reached through AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_SCHEDULER by clients given no endpoint', async () => {
      // Act
      const secret = await withEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', aws.endpoint, async () => {
        const fromEnv = new SecretsManagerClient({ region: 'us-east-1', credentials });
        try {
          return await fromEnv.send(new GetSecretValueCommand({ SecretId: NAME }));
        } finally {
          fromEnv.destroy();
        }
      });
      const schedules = await withEnv('AWS_ENDPOINT_URL_SCHEDULER', aws.endpoint, async () => {
        const fromEnv = new SchedulerClient({ region: 'us-east-1', credentials });
        try {
          return await fromEnv.send(new ListSchedulesCommand({}));
        } finally {
          fromEnv.destroy();
        }
      });

      // Assess
      expect(secret.SecretString).toBe('k3y');
      expect(schedules.Schedules).toEqual([]);
    });

    it('answers operations it does not serve with the service\'s UnknownOperationException', async () => {
      // Act
      const post = (target: string, type: string) => fetch(aws.endpoint, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': type }, body: '{}' });
      const secrets = await post('secretsmanager.CreateSecret', 'application/x-amz-json-1.1');
      const sms = await post('PinpointSMSVoiceV2.SendVoiceMessage', 'application/x-amz-json-1.0');
      const other = await post('DynamoDB_20120810.ListTables', 'application/x-amz-json-1.0');
      const rest = await fetch(`${aws.endpoint}/schedule-groups`);

      // Assess
      expect([secrets.status, await secrets.json()]).toEqual([400, { __type: 'com.amazon.coral.service#UnknownOperationException' }]);
      expect((await sms.json()) as unknown).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
      expect(other.status).toBe(400);
      expect([rest.status, rest.headers.get('x-amzn-errortype')]).toEqual([404, 'UnknownOperationException']);
    });

    it('answers a body that is not JSON with SerializationException', async () => {
      // Act
      const response = await fetch(aws.endpoint, { method: 'POST', headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' }, body: '{not json' });

      // Assess
      expect([response.status, ((await response.json()) as { __type: string }).__type]).toEqual([400, 'SerializationException']);
    });
  });
});
