import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import type { FollowthroughStack } from '../../infra/stack.js';
import { ROUTES } from '../../functions/http/routing.js';
import { actionsOf, BASE_CONTEXT, build, ENTRIES, environmentOf, FIXTURES, type FunctionName, functionsOf, getAtt, logicalId, newOutdir, policyOfRole, resourceOf, STACK_UUID, type Statement, statementsOfRole, removeOutdirs, statementWithSid, synth, SYNTH_TIMEOUT } from './support.js';

afterAll(removeOutdirs);

describe('FollowthroughStack (defaults)', () => {
  let stack: FollowthroughStack;
  let template: Template;
  let outdir: string;
  let id: (construct: { node: { defaultChild?: unknown } }) => string;

  beforeAll(() => {
    ({ stack, template, outdir } = synth());
    id = (construct) => logicalId(stack, construct);
  }, SYNTH_TIMEOUT);

  it('synthesizes with cdk-nag AwsSolutions checks and no unacknowledged finding', () => {
    // Prepare / Act: synth in beforeAll threw on any error finding. Assess: the report is empty too.
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations: unknown[] }>;
    };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('builds five Lambdas as nodejs22.x on arm64, each with its own log group kept a month', () => {
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
    });
    // Five function log groups and the API's access logs.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 6);
    expect(resourceOf(template, id(stack.sweepFunction.function)).Properties.Timeout).toBe(60);
  });

  it('gives the fire function time to wait for a rep reminder’s second (up to 120 s) and then to send it (20 s)', () => {
    expect(resourceOf(template, id(stack.fireFunction.function)).Properties.Timeout).toBe(140);
  });

  it('uses no managed policies on the execution roles (explicit log-group grants instead)', () => {
    for (const fn of Object.values(functionsOf(stack))) {
      expect(resourceOf(template, id(fn.role)).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('bundles an ESM file with the createRequire banner and a source map', () => {
    const fire = resourceOf(template, id(stack.fireFunction.function)) as unknown as { Properties: { Code: { S3Key: string } } };
    const assetDir = path.join(outdir, `asset.${fire.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(environmentOf(template, id(stack.fireFunction.function)).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('gives each function exactly the environment its handler reads (the plan\'s Lambda environment contract)', () => {
    const keys = (fn: FunctionName) => Object.keys(environmentOf(template, id(functionsOf(stack)[fn].function))).sort();
    const common = ['NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME'];
    const scheduling = ['FIRE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN', 'SCHEDULE_GROUP'];
    expect(keys('api')).toEqual([...common, ...scheduling, 'LINK_SECRET_ARN'].sort());
    expect(keys('fire')).toEqual([...common, 'LINK_SECRET_ARN', 'PUBLIC_API_URL', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET'].sort());
    expect(keys('events')).toEqual([...common, ...scheduling].sort());
    expect(keys('render')).toEqual([...common, 'COGNITO_CLIENT_ID', 'COGNITO_DOMAIN_URL', 'LINK_SECRET_ARN'].sort());
    expect(keys('sweep')).toEqual([...common, ...scheduling].sort());

    const fireEnv = environmentOf(template, id(stack.fireFunction.function));
    expect(fireEnv.SENDER_EMAIL).toBe('followthrough@sales.example.com');
    expect(JSON.stringify(fireEnv.PUBLIC_API_URL)).toContain('.execute-api.');
    for (const name of ['api', 'events', 'sweep'] as const) {
      expect(environmentOf(template, id(functionsOf(stack)[name].function))).toMatchObject({
        SCHEDULE_GROUP: { Ref: id(stack.scheduling.touchScheduleGroup) },
        FIRE_FUNCTION_ARN: getAtt(id(stack.fireFunction.function)),
        SCHEDULER_ROLE_ARN: getAtt(id(stack.scheduling.schedulerRole)),
        SCHEDULE_DLQ_ARN: getAtt(id(stack.scheduling.deadLetterQueue)),
      });
    }
  });

  describe('the deploy works (issue 10, item 1)', () => {
    it('lets Scheduler assume the touch role only for schedules of this account in the touch schedule GROUP', () => {
      const role = resourceOf(template, id(stack.scheduling.schedulerRole));
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': getAtt(id(stack.scheduling.touchScheduleGroup)) },
            },
          },
        ],
      });
      // The ARN is the group's own (arn:...:schedule-group/<name>), never a schedule's or a name prefix.
      expect(resourceOf(template, id(stack.scheduling.touchScheduleGroup)).Type).toBe('AWS::Scheduler::ScheduleGroup');
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toMatch(/:schedule\//);
    });

    it('names schedule groups uniquely per stack creation and deletes them (and their schedules) with the stack', () => {
      for (const [group, kind] of [
        [stack.scheduling.touchScheduleGroup, 'touches'],
        [stack.scheduling.sweepScheduleGroup, 'sweep'],
      ] as const) {
        const resource = resourceOf(template, id(group));
        expect(resource.DeletionPolicy).toBe('Delete');
        expect(resource.Properties.Name).toEqual({ 'Fn::Join': ['', [`followthrough-${kind}-`, STACK_UUID]] });
      }
    });

    it('protects the table from deletion and retains it, on demand, PITR, AWS-managed encryption, TTL on expiresAt', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          DeletionProtectionEnabled: true,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          GlobalSecondaryIndexes: Match.arrayWith([
            {
              IndexName: 'byRepDue',
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
            {
              IndexName: 'byTouchId',
              KeySchema: [{ AttributeName: 'touchId', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ]),
        },
      });
    });

    it('makes the console\'s app client public, authorization code only, with callback and sign-out at the console', () => {
      const client = resourceOf(template, id(stack.api.userPoolClient!)).Properties;
      const apiEndpoint = getAtt(id(stack.api.httpApi), 'ApiEndpoint');
      expect(client).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        CallbackURLs: [{ 'Fn::Join': ['', [apiEndpoint, '/app/callback']] }],
        LogoutURLs: [{ 'Fn::Join': ['', [apiEndpoint, '/app/']] }],
        // A working day on one sign-in, in minutes (TokenValidityUnits).
        AccessTokenValidity: 600,
        IdTokenValidity: 600,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      });
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    });

    it('has no dependency cycle between the API, the client and the JWT authorizer (the API depends on neither)', () => {
      // Synth in beforeAll would have failed on a cycle; this pins the direction of the references.
      const clientId = id(stack.api.userPoolClient!);
      expect(JSON.stringify(resourceOf(template, id(stack.api.httpApi)))).not.toContain(clientId);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        ApiId: { Ref: id(stack.api.httpApi) },
        JwtConfiguration: { Audience: [{ Ref: clientId }], Issuer: Match.anyValue() },
      });
    });

    it('makes a Cognito domain for the classic hosted sign-in, unique per stack, and tells the render function', () => {
      const domainId = id(stack.api.userPoolDomain!);
      expect(resourceOf(template, domainId).Properties).toEqual({
        Domain: { 'Fn::Join': ['', ['followthrough-', STACK_UUID]] },
        ManagedLoginVersion: 1,
        UserPoolId: { Ref: id(stack.api.userPool!) },
      });
      const domainUrl = { 'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] };
      expect(environmentOf(template, id(stack.renderFunction.function))).toMatchObject({
        COGNITO_DOMAIN_URL: domainUrl,
        COGNITO_CLIENT_ID: { Ref: id(stack.api.userPoolClient!) },
      });
      template.hasOutput('CognitoDomainUrl', { Value: domainUrl });
      template.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', [getAtt(id(stack.api.httpApi), 'ApiEndpoint'), '/app']] } });
    });
  });

  describe('routes', () => {
    const routes = () => {
      const found = template.findResources('AWS::ApiGatewayV2::Route') as Record<
        string,
        { Properties: { RouteKey: string; Target: unknown; AuthorizationType?: string; AuthorizerId?: unknown } }
      >;
      return Object.fromEntries(Object.values(found).map((r) => [r.Properties.RouteKey, r.Properties]));
    };
    const targetOf = (key: string) => {
      const integrationId = JSON.stringify(routes()[key]!.Target).match(/"Ref":"([^"]+)"/)![1]!;
      return JSON.stringify(resourceOf(template, integrationId).Properties.IntegrationUri);
    };

    it('makes every route of the route table, with the JWT authorizer exactly where the table asks for a token', () => {
      for (const route of ROUTES) {
        const made = routes()[`${route.method} ${route.path}`];
        expect(made, `${route.method} ${route.path}`).toBeDefined();
        if (route.auth) expect(made).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
        else expect(made?.AuthorizationType ?? 'NONE').toBe('NONE');
      }
    });

    it.each(['GET /v1/health', 'GET /v1/unsubscribe', 'POST /v1/unsubscribe', 'GET /v1/sheets/{token}', 'GET /app', 'GET /app/{proxy+}'])(
      'leaves %s public',
      (routeKey) => {
        const route = routes()[routeKey];
        expect(route).toBeDefined();
        expect(route?.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route?.AuthorizerId).toBeUndefined();
      },
    );

    it('sends a path no route names to the api function, without a token, so a browser gets a not-found page', () => {
      expect(routes()['$default']).toBeDefined();
      expect(routes()['$default']!.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(targetOf('$default')).toBe(JSON.stringify(getAtt(id(stack.apiFunction.function))));
      // No catch-all behind the authorizer that would answer 401 for an unknown path.
      expect(Object.keys(routes()).filter((key) => key.includes('{proxy+}') && !key.startsWith('GET /app'))).toEqual([]);
    });

    it('sends the console, previews (behind the authorizer) and sheets (public) to the render function', () => {
      const renderArn = JSON.stringify(getAtt(id(stack.renderFunction.function)));
      for (const key of ['GET /app', 'GET /app/{proxy+}', 'GET /v1/sheets/{token}', 'GET /v1/prospects/{id}/preview']) {
        expect(targetOf(key)).toBe(renderArn);
      }
      expect(routes()['GET /v1/prospects/{id}/preview']!.AuthorizationType).toBe('JWT');
      expect(targetOf('POST /v1/prospects/{id}/calls')).not.toBe(renderArn);
    });

    it('has a throttled $default stage with access logs and exports the outputs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      });
      for (const output of [
        'ApiUrl',
        'ConsoleUrl',
        'UserPoolId',
        'UserPoolClientId',
        'CognitoDomainUrl',
        'TableName',
        'FireLogGroupName',
        'SweepLogGroupName',
        'ScheduleGroupName',
        'DeadLetterQueueUrl',
        'FireFailureDeadLetterQueueUrl',
        'SesEventsDeadLetterQueueUrl',
      ]) {
        template.hasOutput(output, {});
      }
    });
  });

  describe('every failure is visible (issue 10, item 2)', () => {
    it('keeps a fire that failed Lambda\'s two retries, or waited an hour, on the fire-failure queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id(stack.fireFunction.function) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: getAtt(id(stack.scheduling.fireFailureQueue)) } },
      });
      // Lambda sends the record with the function's own role.
      const { statements } = policyOfRole(template, id(stack.fireFunction.role));
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: getAtt(id(stack.scheduling.fireFailureQueue)) }),
      );
    });

    it('redrives a fire failure the sweep could not record to its own DLQ after five receives', () => {
      expect(resourceOf(template, id(stack.scheduling.fireFailureQueue)).Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
        // Six times the sweep's 60 s timeout.
        VisibilityTimeout: 360,
        RedrivePolicy: { deadLetterTargetArn: getAtt(id(stack.scheduling.fireFailureDeadLetterQueue)), maxReceiveCount: 5 },
      });
    });

    it('encrypts every queue and refuses it over plain HTTP', () => {
      const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
      expect(queues).toHaveLength(4);
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Array<{
        Properties: { Queues: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
      }>;
      for (const queue of queues) {
        expect(resourceOf(template, queue).Properties.SqsManagedSseEnabled).toBe(true);
        const denies = policies
          .filter((p) => p.Properties.Queues.some((q) => q.Ref === queue))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .filter((s) => s.Effect === 'Deny');
        expect(denies).toContainEqual(expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      }
    });

    it('alarms on every fire failure as it arrives, and on anything left in a dead-letter queue', () => {
      const queueName = (queue: { node: { defaultChild?: unknown } }) => [{ Name: 'QueueName', Value: getAtt(id(queue), 'QueueName') }];
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Followthrough-fire-failed',
        Namespace: 'AWS/SQS',
        MetricName: 'NumberOfMessagesSent',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: queueName(stack.scheduling.fireFailureQueue),
      });
      for (const queue of [
        stack.scheduling.deadLetterQueue,
        stack.scheduling.fireFailureDeadLetterQueue,
        stack.messaging.sesEventsDeadLetterQueue,
      ]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          Dimensions: queueName(queue),
        });
      }
      // Without alarmEmail there is no topic, and no alarm notifies anyone.
      template.resourceCountIs('AWS::SNS::Topic', 0);
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, unknown> }>) {
        expect(alarm.Properties.AlarmActions).toBeUndefined();
      }
    });

    it('gives the SES-events rule target its own dead-letter queue and retry policy, writable only by that rule', () => {
      const dlq = id(stack.messaging.sesEventsDeadLetterQueue);
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [
          Match.objectLike({
            Arn: getAtt(id(stack.eventsFunction.function)),
            DeadLetterConfig: { Arn: getAtt(dlq) },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlq }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': getAtt(id(stack.messaging.sesEventsRule)) } },
            }),
          ]),
        },
      });
    });

    it('keeps an SES event the events function failed on after its retries in the same dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id(stack.eventsFunction.function) },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: getAtt(id(stack.messaging.sesEventsDeadLetterQueue)) } },
      });
    });
  });

  describe('the sweep (issue 10, item 3)', () => {
    it('runs every 5 minutes from a recurring schedule in its own group, into the schedule DLQ when undeliverable', () => {
      const schedule = resourceOf(template, id(stack.scheduling.sweepSchedule));
      const group = id(stack.scheduling.sweepScheduleGroup);
      expect(schedule.DependsOn).toContain(group);
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        GroupName: resourceOf(template, group).Properties.Name,
        Target: {
          Arn: getAtt(id(stack.sweepFunction.function)),
          RoleArn: getAtt(id(stack.scheduling.sweepSchedulerRole)),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: { Arn: getAtt(id(stack.scheduling.deadLetterQueue)) },
        },
      });
      const input = JSON.parse((schedule.Properties.Target as { Input: string }).Input) as unknown;
      expect(input).toEqual({ v: 1, source: 'followthrough.sweep', scheduledTime: '<aws.scheduler.scheduled-time>' });
    });

    it('runs the sweep schedule as a role only its group can assume, which may only invoke the sweep', () => {
      const role = resourceOf(template, id(stack.scheduling.sweepSchedulerRole));
      expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': getAtt(id(stack.scheduling.sweepScheduleGroup)) },
            },
          },
        ],
      });
      const sweepArn = getAtt(id(stack.sweepFunction.function));
      expect(policyOfRole(template, id(stack.scheduling.sweepSchedulerRole)).statements).toEqual([
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [sweepArn, { 'Fn::Join': ['', [sweepArn, ':*']] }] },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(id(stack.scheduling.deadLetterQueue)) },
      ]);
    });

    it('consumes the fire-failure queue ten records at a time, reporting failures record by record', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(id(stack.scheduling.fireFailureQueue)),
        FunctionName: { Ref: id(stack.sweepFunction.function) },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    });

    it('does not retry a failed scheduled run (the next is 5 minutes away) and alarms when it keeps failing', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id(stack.sweepFunction.function) },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 300,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Followthrough-sweep-failing',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(stack.sweepFunction.function) } }],
        Period: 300,
        EvaluationPeriods: 3,
        Threshold: 1,
      });
    });

    it('alarms when the sweep has not run for three periods, its schedule lost or unable to invoke it (no data is the failure)', () => {
      // A schedule that cannot assume its role cannot write the DLQ either, and an uninvoked function reports no
      // Errors: only the absence of Invocations shows it.
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Followthrough-sweep-not-running',
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(stack.sweepFunction.function) } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    });

    it('adds the sparse byDue index: keys, plus the attributes that rebuild a fire payload', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'gsi2pk', AttributeType: 'S' },
          { AttributeName: 'gsi2sk', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: 'byDue',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['touchId', 'repId', 'prospectId', 'dueAt', 'kind'] },
          },
        ]),
      });
    });
  });

  describe('the rep console (issue 11)', () => {
    it('adds the sparse byRep index of prospects by name, projecting every attribute, and lets only the api function query it', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'gsi3pk', AttributeType: 'S' },
          { AttributeName: 'gsi3sk', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: 'byRep',
            KeySchema: [
              { AttributeName: 'gsi3pk', KeyType: 'HASH' },
              { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      });
      const byRep = { 'Fn::Join': ['', [getAtt(id(stack.data.table)), '/index/byRep']] };
      for (const [name, fn] of Object.entries(functionsOf(stack))) {
        const { statements } = policyOfRole(template, id(fn.role));
        const query = statements.find((s) => s.Sid === 'TableQuery');
        const resources = query ? [query.Resource].flat() : [];
        expect({ name, queriesByRep: resources.some((r) => JSON.stringify(r) === JSON.stringify(byRep)) }).toEqual({ name, queriesByRep: name === 'api' });
      }
    });
  });

});

describe('FollowthroughStack (optional context)', () => {
  it(
    'e-mails every alarm through a topic that CloudWatch may publish to, for these alarms of this account only',
    () => {
      const policy = JSON.stringify({ resendLeadMinutes: 15 });
      const { stack, template } = synth({ alarmEmail: 'ops@example.com', cadencePolicy: policy, sesMessageIdDomain: 'email.amazonses.com' });
      const id = (construct: { node: { defaultChild?: unknown } }) => logicalId(stack, construct);
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
      const topic = id(stack.alarms.topic!);
      const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')) as Array<[string, { Properties: Record<string, unknown> }]>;
      expect(alarms.map(([, a]) => a.Properties.AlarmName).sort()).toEqual(
        [
          'Followthrough-fire-failed',
          'Followthrough-fire-failure-unrecorded',
          'Followthrough-schedule-undeliverable',
          'Followthrough-ses-events-failed',
          'Followthrough-sweep-failing',
          'Followthrough-sweep-not-running',
        ],
      );
      for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);

      const topicPolicy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0] as {
        Properties: { Topics: unknown; PolicyDocument: { Statement: Statement[] } };
      };
      expect(topicPolicy.Properties.Topics).toEqual([{ Ref: topic }]);
      expect(statementWithSid(topicPolicy.Properties.PolicyDocument.Statement, 'CloudWatchAlarmsPublish')).toEqual({
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topic },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: { 'aws:SourceArn': alarms.map(([alarmId]) => getAtt(alarmId)) },
        },
      });
      // The cadence policy reaches every function.
      for (const fn of Object.values(functionsOf(stack))) {
        expect(environmentOf(template, id(fn.function)).CADENCE_POLICY).toBe(policy);
      }
      // The Message-ID domain the deployer read off a delivered message reaches the function that threads mail.
      expect(environmentOf(template, id(stack.fireFunction.function)).SES_MESSAGE_ID_DOMAIN).toBe('email.amazonses.com');
    },
    SYNTH_TIMEOUT,
  );

  it(
    'uses an external JWT issuer instead of making a user pool, and gives the console no Cognito settings',
    () => {
      const { stack, template } = synth({ jwtIssuer: 'https://auth.example.com/', jwtAudience: 'crm, cli' });
      template.resourceCountIs('AWS::Cognito::UserPool', 0);
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        JwtConfiguration: { Issuer: 'https://auth.example.com/', Audience: ['crm', 'cli'] },
      });
      expect(stack.api.userPool).toBeUndefined();
      expect(template.findOutputs('UserPoolId')).toEqual({});
      expect(template.findOutputs('CognitoDomainUrl')).toEqual({});
      template.hasOutput('ConsoleUrl', {});
      const env = environmentOf(template, logicalId(stack, stack.renderFunction.function));
      expect(env).not.toHaveProperty('COGNITO_DOMAIN_URL');
      expect(env).not.toHaveProperty('COGNITO_CLIENT_ID');
    },
    SYNTH_TIMEOUT,
  );

  it(
    'grants fire only sms-voice:SendTextMessage on the origination identity and configuration set',
    () => {
      const { stack, template } = synth({ smsOriginationIdentity: 'phone-0123abcd', smsConfigurationSet: 'reminders' });
      const statements = statementsOfRole(template, logicalId(stack, stack.fireFunction.role)).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('sms-voice:')),
      );
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Action).toBe('sms-voice:SendTextMessage');
      const resources = JSON.stringify(statements[0]?.Resource);
      expect(resources).toContain(':phone-number/phone-0123abcd');
      expect(resources).toContain(':configuration-set/reminders');
      expect(resources).not.toContain('*');
      const env = environmentOf(template, logicalId(stack, stack.fireFunction.function));
      expect(env.SMS_ORIGINATION_IDENTITY).toBe('phone-0123abcd');
      expect(env.SMS_CONFIGURATION_SET).toBe('reminders');
    },
    SYNTH_TIMEOUT,
  );

  it(
    'uses an origination identity ARN as given, and keeps schedule group names within 64 characters for a long stack name',
    () => {
      const arn = 'arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-abc123';
      const stackName = 'FollowthroughStagingForTheWestCoastInsideSalesTeam';
      const { stack, template } = synth({ smsOriginationIdentity: arn, stackName });
      expect(stack.stackName).toBe(stackName);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: 'sms-voice:SendTextMessage', Resource: arn })]),
        },
      });
      for (const [group, kind] of [
        [stack.scheduling.touchScheduleGroup, 'touches'],
        [stack.scheduling.sweepScheduleGroup, 'sweep'],
      ] as const) {
        const name = resourceOf(template, logicalId(stack, group)).Properties.Name as { 'Fn::Join': [string, [string, unknown]] };
        const literal = name['Fn::Join'][1][0];
        expect(literal).toMatch(new RegExp(`^followthroughstag[a-z]*-${kind}-$`));
        // The stack's UUID adds 36 characters: the stack name is cut to fill the 64 exactly.
        expect(literal.length + 36).toBe(64);
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${stackName}-fire-failed` });
    },
    SYNTH_TIMEOUT,
  );
});

describe('FollowthroughFunction bundling', () => {
  function fireBundle(externalModules?: readonly string[]): string {
    const outdir = newOutdir();
    const { app, stack } = buildApp({
      outdir,
      context: BASE_CONTEXT,
      entries: { ...ENTRIES, fire: path.join(FIXTURES, 'sdk-user.ts') },
      ...(externalModules ? { externalModules } : {}),
    });
    app.synth();
    const fire = Template.fromStack(stack).toJSON().Resources[logicalId(stack, stack.fireFunction.function)] as {
      Properties: { Code: { S3Key: string } };
    };
    return readFileSync(path.join(outdir, `asset.${fire.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
  }

  it(
    'bundles everything by default, the AWS SDK included (pinned and tree-shaken)',
    () => {
      const bundle = fireBundle();
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(bundle.length).toBeGreaterThan(100_000);
    },
    SYNTH_TIMEOUT,
  );

  it(
    'leaves the SDK to the runtime with externalModules: ["@aws-sdk/*", "@smithy/*"]',
    () => {
      const bundle = fireBundle(['@aws-sdk/*', '@smithy/*']);
      expect(bundle).toMatch(/from\s*["']@aws-sdk\/client-sesv2["']/);
      expect(bundle.length).toBeLessThan(10_000);
    },
    SYNTH_TIMEOUT,
  );
});

describe('context validation', () => {
  it('fails naming senderEmail when it is missing', () => {
    const { senderEmail: _omitted, ...context } = BASE_CONTEXT;
    expect(() => buildApp({ outdir: newOutdir(), context, entries: ENTRIES })).toThrow(/Missing context "senderEmail"/);
  });

  it('fails naming senderEmail when it is not an address', () => {
    expect(() => build({ senderEmail: 'not-an-address' })).toThrow(/Invalid context "senderEmail"/);
  });

  it('fails on the removed resendLeadMinutes key, pointing to cadencePolicy', () => {
    expect(() => build({ resendLeadMinutes: 15 })).toThrow(/"resendLeadMinutes" is no longer read.*cadencePolicy/);
  });
});

describe('cdk-nag', () => {
  it(
    'fails synth on an unacknowledged finding',
    () => {
      // Prepare: a secret without rotation and without an acknowledgment.
      const built = build();
      new Secret(built.stack, 'UnrotatedSecret');
      // Act / Assess
      expect(() => built.synth()).toThrow(/AwsSolutions-SMG4/);
    },
    SYNTH_TIMEOUT,
  );
});
