/**
 * Handlers as Lambda runs them, SDK clients mocked: a cold start that meets a transient Secrets
 * Manager error recovers on the next invocation, and the sweep's entry tells its two inputs apart.
 */
import { GetScheduleCommand, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock.js';

const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const scheduler = mockClient(SchedulerClient);

const ENV = {
  TABLE_NAME: 'followthrough-test',
  SCHEDULE_GROUP: 'followthrough-touches',
  FIRE_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:fire',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:links',
  AWS_REGION: 'us-east-1',
};

const unsubscribe = (token: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/v1/unsubscribe',
  rawQueryString: `token=${token}`,
  queryStringParameters: { token },
  headers: { host: 'api.example.com', 'content-type': 'application/x-www-form-urlencoded' },
  requestContext: { domainName: 'api.example.com', http: { method: 'POST', path: '/v1/unsubscribe', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
  body: 'List-Unsubscribe=One-Click',
  isBase64Encoded: false,
});

describe('handler recovery and inputs', () => {
  const saved = { ...process.env };
  // The modules build their default `handler` from the environment when imported, as Lambda does.
  let apiHandler: typeof import('../../functions/handlers/api.js').createHandler;
  let sweepHandler: typeof import('../../functions/handlers/sweep.js').createHandler;

  beforeAll(async () => {
    Object.assign(process.env, ENV, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    apiHandler = (await import('../../functions/handlers/api.js')).createHandler;
    sweepHandler = (await import('../../functions/handlers/sweep.js')).createHandler;
  });

  afterEach(() => {
    secrets.reset();
    dynamo.reset();
    scheduler.reset();
  });
  afterAll(() => {
    process.env = saved;
    secrets.restore();
    dynamo.restore();
    scheduler.restore();
  });

  it('api: a GetSecretValue error fails one invocation, the next fetches the secret again and works', async () => {
    // Prepare: Secrets Manager fails once, then answers.
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Secrets Manager can’t be reached'), { name: 'InternalServiceError', $fault: 'server' }))
      .resolves({ SecretString: 'a-test-link-secret-0123456789abcdef' });
    const handler = apiHandler(ENV);

    // Act: three unsubscribe clicks with a link that was never signed.
    const first = await handler(unsubscribe('forged.token') as never);
    const second = await handler(unsubscribe('forged.token') as never);
    const third = await handler(unsubscribe('forged.token') as never);

    // Assess: the first could not verify (500, no internal text); the next two verified and refused the link.
    expect(first.statusCode).toBe(500);
    expect(JSON.stringify(first.body)).not.toContain('Secrets Manager');
    expect(second.statusCode).toBe(400);
    expect(third.statusCode).toBe(400);
    // The SDK's own retries aside, the failed fetch was not kept: fetched again once, then kept.
    const calls = secrets.commandCalls(GetSecretValueCommand).length;
    expect(calls).toBeGreaterThanOrEqual(2);
    await handler(unsubscribe('forged.token') as never);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(calls);
  });

  it('sweep: a scheduled run queries each byDue shard for touches past the grace, and recreates a lost schedule', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { IndexName: 'byDue', ExpressionAttributeValues: { ':pk': 'DUE#3', ':before': '2026-11-23T14:55:00Z' } }).resolves({
      Items: [{ touchId: 'T1', repId: 'rep-1', prospectId: 'p1', dueAt: '2026-11-23T14:40:00Z', kind: 'rep_reminder' }],
    });
    dynamo.on(GetCommand).resolves({ Item: { pk: 'PROSPECT#rep-1#p1', sk: 'TOUCH#T1', id: 'T1', repId: 'rep-1', prospectId: 'p1', status: 'scheduled', dueAt: '2026-11-23T14:40:00Z', kind: 'rep_reminder' } });
    dynamo.on(UpdateCommand).resolves({ Attributes: { repairs: 1 } });
    scheduler.on(GetScheduleCommand).rejects(Object.assign(new Error('Schedule touch-T1 does not exist.'), { name: 'ResourceNotFoundException' }));
    scheduler.on(CreateScheduleCommand).resolves({});
    const handler = sweepHandler(ENV, new FakeClock('2026-11-23T15:00:20Z'));

    const result = await handler({ v: 1, source: 'followthrough.sweep', scheduledTime: '2026-11-23T15:00:00Z' });

    expect(result).toMatchObject({ cutoff: '2026-11-23T14:55:00Z', overdue: 1, repaired: 1 });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(8);
    const create = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(create).toMatchObject({ Name: 'touch-T1', GroupName: 'followthrough-touches', Target: { Arn: ENV.FIRE_FUNCTION_ARN } });
    expect(JSON.parse(create.Target!.Input!)).toEqual({ v: 1, touchId: 'T1', repId: 'rep-1', prospectId: 'p1', dueAt: '2026-11-23T14:40:00Z' });
  });

  it('sweep: answers an SQS batch with the records it could not handle, and ignores anything else', async () => {
    const handler = sweepHandler(ENV);
    const batch = { Records: [{ messageId: 'm-1', body: '{"not":"a record"}', eventSource: 'aws:sqs', receiptHandle: 'r', attributes: {} }] };
    expect(await handler(batch)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(await handler({ hello: 'world' })).toEqual({ result: 'ignored' });
  });
});
