/**
 * The Lambda entries, wired as on AWS: settings from the environment, SDK clients mocked
 * (no emulator is involved here; the integration tests cover behaviour on the real engines).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const ENV = {
  TABLE_NAME: 'followthrough-test',
  SCHEDULE_GROUP: 'followthrough-touches',
  FIRE_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:fire',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
  SENDER_EMAIL: 'followthrough@example.com',
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:links',
  PUBLIC_API_URL: 'https://api.example.com/',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

function httpEvent(method: string, path: string, body?: unknown, sub?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'api.example.com' },
    requestContext: {
      domainName: 'api.example.com',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(sub ? { authorizer: { jwt: { claims: { sub }, scopes: null } } } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  };
}

describe('Lambda handlers', () => {
  const saved = { ...process.env };

  beforeAll(() => {
    Object.assign(process.env, ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'a-test-link-secret-0123456789abcdef' });
  });

  afterAll(() => {
    process.env = saved;
    secrets.restore();
    dynamo.restore();
  });

  it('api: serves health without a token and records the rep named by the token', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const { handler } = await import('../../functions/handlers/api.js');

    const health = await handler(httpEvent('GET', '/v1/health') as never);
    const rep = await handler(httpEvent('PUT', '/v1/reps/me', { name: 'Ann Rep', email: 'ann@example.com', timezone: 'America/New_York', reminderChannel: 'email' }, 'rep-123') as never);

    expect(health.statusCode).toBe(200);
    expect(rep.statusCode).toBe(200);
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.TableName).toBe('followthrough-test');
    expect(put.Item).toMatchObject({ pk: 'REP#rep-123', sk: 'REP', name: 'Ann Rep' });
    expect((await handler(httpEvent('GET', '/v1/reps/me') as never)).statusCode).toBe(401);
    // Unsubscribe verifies with the secret from Secrets Manager: a forged token changes nothing.
    const forged = await handler({ ...httpEvent('POST', '/v1/unsubscribe'), queryStringParameters: { token: 'x.y' } } as never);
    expect(forged.statusCode).toBe(400);
  });

  it('fire: reads the prospect first and drops a delivery for a touch that does not exist', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const { handler } = await import('../../functions/handlers/fire.js');

    const result = await handler({ v: 1, touchId: 'T1', repId: 'rep-123', prospectId: 'p1', dueAt: '2026-11-25T21:00:00Z' });

    expect(result).toEqual({ result: 'ignored', touchId: 'T1', reason: 'no such touch' });
    // No prospect: the touch is claimed alone (to be failed, were it there), for the time delivered.
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input.ExpressionAttributeValues).toEqual({ ':pk': 'PROSPECT#rep-123#p1' });
    const claim = dynamo.commandCalls(UpdateCommand).at(-1)!.args[0].input;
    expect(claim.Key).toEqual({ pk: 'PROSPECT#rep-123#p1', sk: 'TOUCH#T1' });
    expect(claim.ConditionExpression).toContain('dueAt = :due');
    expect(await handler({ not: 'a payload' })).toEqual({ result: 'ignored', reason: 'invalid payload' });
  });

  it('events: ignores what is not an SES bounce or complaint', async () => {
    const { handler } = await import('../../functions/handlers/events.js');
    expect(await handler({ source: 'aws.ses', detail: { eventType: 'Delivery', mail: { messageId: 'm' } } })).toEqual({
      result: 'ignored',
      reason: 'event Delivery needs no action',
    });
  });

  it('render: refuses a sheet link that was not signed with the secret', async () => {
    const { handler } = await import('../../functions/handlers/render.js');
    const res = await handler(httpEvent('GET', '/v1/sheets/abc.def') as never);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
