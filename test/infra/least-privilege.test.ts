/**
 * Least privilege (issue 10, item 7): each function's role grants the calls its code makes and nothing more, checked
 * against the code's SDK commands (table actions by name and index, Scheduler calls, the secret, the on-failure queue).
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowthroughStack } from '../../infra/stack.js';
import { actionsOf, environmentOf, FUNCTION_NAMES, functionsOf, getAtt, logicalId, policyOfRole, resourceOf, type Statement, removeOutdirs, statementWithSid, synth, SYNTH_TIMEOUT } from './support.js';

afterAll(removeOutdirs);

describe('FollowthroughStack: least privilege (issue 10, item 7)', () => {
  let stack: FollowthroughStack;
  let template: Template;
  let id: (construct: { node: { defaultChild?: unknown } }) => string;

  beforeAll(() => {
    ({ stack, template } = synth());
    id = (construct) => logicalId(stack, construct);
  }, SYNTH_TIMEOUT);

  const tableArn = () => getAtt(id(stack.data.table));
  const indexArn = (index: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${index}`]] });

  it.each([
    // The code calls no BatchGetItem anywhere, and ConditionCheck in the fire function's claim and an outcome's commit.
    ['api', ['ConditionCheckItem', 'GetItem', 'PutItem', 'UpdateItem'], ['<table>', 'byRep', 'byRepDue', 'byTouchId']],
    ['fire', ['ConditionCheckItem', 'GetItem', 'UpdateItem'], ['<table>']],
    ['events', ['GetItem', 'PutItem', 'UpdateItem'], ['<table>', 'byTouchId']],
    ['render', ['GetItem'], ['<table>']],
    ['sweep', ['GetItem', 'PutItem', 'UpdateItem'], ['byDue']],
  ] as const)('grants %s the table items %j and Query on %j, by action', (name, items, queried) => {
    const { statements, actions } = policyOfRole(template, id(functionsOf(stack)[name].role));
    expect(statementWithSid(statements, 'TableItems')).toEqual({
      Sid: 'TableItems',
      Effect: 'Allow',
      Action: items.length === 1 ? `dynamodb:${items[0]}` : items.map((a) => `dynamodb:${a}`),
      Resource: tableArn(),
    });
    const resources = queried.map((q) => (q === '<table>' ? tableArn() : indexArn(q)));
    expect(statementWithSid(statements, 'TableQuery')).toEqual({
      Sid: 'TableQuery',
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: resources.length === 1 ? resources[0] : resources,
    });
    // Nothing else on DynamoDB: no Scan, batch writes, deletes, PartiQL or wildcards.
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      [...items.map((a) => `dynamodb:${a}`), 'dynamodb:Query'].sort(),
    );
  });

  it.each([
    ['api', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule']],
    ['events', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']],
    ['sweep', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule']],
  ] as const)('lets %s make only %j calls, on touch schedules, and pass the role only to Scheduler', (name, scheduler) => {
    const { statements, actions } = policyOfRole(template, id(functionsOf(stack)[name].role));
    expect(actions.filter((a) => a.startsWith('scheduler:'))).toEqual([...scheduler]);
    const manage = statementWithSid(statements, 'ManageTouchSchedules');
    expect(JSON.stringify(manage.Resource)).toContain(`:schedule/",{"Ref":"${id(stack.scheduling.touchScheduleGroup)}"},"/*"`);
    expect(statements.filter((s) => actionsOf([s]).includes('iam:PassRole'))).toEqual([
      {
        Sid: 'PassSchedulerRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: getAtt(id(stack.scheduling.schedulerRole)),
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('gives fire and render no Scheduler call and no PassRole', () => {
    for (const name of ['fire', 'render'] as const) {
      const { actions } = policyOfRole(template, id(functionsOf(stack)[name].role));
      expect(actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    }
  });

  it('lets the touch schedules\' role invoke only the fire function and dead-letter only to the schedule DLQ', () => {
    expect(policyOfRole(template, id(stack.scheduling.schedulerRole)).statements).toEqual([
      { Sid: 'InvokeFireFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt(id(stack.fireFunction.function)) },
      { Sid: 'DeadLetter', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(id(stack.scheduling.deadLetterQueue)) },
    ]);
  });

  it('lets only the fire function send e-mail, and only from the sender address, its domain and the configuration set', () => {
    for (const name of ['api', 'events', 'render', 'sweep'] as const) {
      expect(policyOfRole(template, id(functionsOf(stack)[name].role)).actions.some((a) => a.startsWith('ses:'))).toBe(false);
    }
    const sesStatements = policyOfRole(template, id(stack.fireFunction.role)).statements.filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]?.Action).toBe('ses:SendEmail');
    const resources = JSON.stringify(sesStatements[0]?.Resource);
    expect(resources).toContain(':identity/followthrough@sales.example.com');
    expect(resources).toContain(':identity/sales.example.com');
    expect(resources).toContain(':configuration-set/');
  });

  it('lets api, fire and render read the link-signing secret, and neither events nor sweep', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    for (const name of FUNCTION_NAMES) {
      const reads = policyOfRole(template, id(functionsOf(stack)[name].role)).actions.includes('secretsmanager:GetSecretValue');
      expect([name, reads]).toEqual([name, ['api', 'fire', 'render'].includes(name)]);
    }
  });

  it('lets a reader of the secret call GetSecretValue on it and nothing else (the code never describes it)', () => {
    const secret = { Ref: id(stack.messaging.linkSecret) };
    for (const name of ['api', 'fire', 'render'] as const) {
      const { statements, actions } = policyOfRole(template, id(functionsOf(stack)[name].role));
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual(['secretsmanager:GetSecretValue']);
      expect(statements.filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue'))).toEqual([
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret },
      ]);
    }
  });

  it('lets fire and events only send to their on-failure queue: the one call Lambda makes with their role', () => {
    for (const [fn, queue] of [
      [stack.fireFunction, stack.scheduling.fireFailureQueue],
      [stack.eventsFunction, stack.messaging.sesEventsDeadLetterQueue],
    ] as const) {
      const { statements, actions } = policyOfRole(template, id(fn.role));
      expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
      expect(statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage'))).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(id(queue)) },
      ]);
    }
  });

  it('grants no SMS permission unless an origination identity is configured', () => {
    for (const name of FUNCTION_NAMES) {
      expect(policyOfRole(template, id(functionsOf(stack)[name].role)).actions.some((a) => a.startsWith('sms-voice:'))).toBe(false);
    }
  });

  it('publishes bounces, complaints and sends, and routes only what the events function acts on: no delivery, no send but a touch’s', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint', 'send']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    const configurationSet = { Ref: id(stack.messaging.configurationSet) };
    const patterns = Object.values(template.findResources('AWS::Events::Rule')).map((r) => (r as { Properties: { EventPattern: unknown } }).Properties.EventPattern);
    expect(patterns).toEqual([
      { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'], detail: { mail: { tags: { 'ses:configuration-set': [configurationSet] } } } },
      // That a touch's email went out (read by a delivery retried after a crash), and the Message-ID SES stamps
      // on a recap (its resend's In-Reply-To), are known from the Send event alone.
      { source: ['aws.ses'], 'detail-type': ['Email Sent'], detail: { mail: { tags: { 'ses:configuration-set': [configurationSet], touch: [{ exists: true }] } } } },
    ]);
  });

  it('gives the Send rule the same target, retries and dead-letter queue, writable only by the rules', () => {
    const rule = resourceOf(template, id(stack.messaging.sesSentRule));
    expect((rule.Properties as { Targets: unknown[] }).Targets).toEqual([
      expect.objectContaining({
        Arn: getAtt(id(stack.eventsFunction.function)),
        DeadLetterConfig: { Arn: getAtt(id(stack.messaging.sesEventsDeadLetterQueue)) },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id(stack.messaging.sesEventsDeadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: { ArnEquals: { 'aws:SourceArn': getAtt(id(stack.messaging.sesSentRule)) } } }),
        ]),
      },
    });
  });

  it('sets RESEND_LEAD_MINUTES nowhere: the cadence policy is its one source', () => {
    for (const name of FUNCTION_NAMES) {
      expect(environmentOf(template, id(functionsOf(stack)[name].function))).not.toHaveProperty('RESEND_LEAD_MINUTES');
    }
  });
});
