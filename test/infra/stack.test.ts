import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import type { FollowthroughStack } from '../../infra/stack.js';

process.env.CDK_DISABLE_CLI_TELEMETRY = '1';
process.env.CDK_DISABLE_VERSION_CHECK = '1';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const FIXTURES = path.join(HERE, 'fixtures');
const ENTRIES = {
  api: path.join(FIXTURES, 'api.ts'),
  fire: path.join(FIXTURES, 'fire.ts'),
  events: path.join(FIXTURES, 'events.ts'),
  render: path.join(FIXTURES, 'render.ts'),
};
/** The context the CLI would pass: cdk.json (feature flags and defaults) plus the required sender. */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
}).context;
const BASE_CONTEXT = { ...CDK_JSON_CONTEXT, senderEmail: 'followthrough@sales.example.com' };
const SYNTH_TIMEOUT = 120_000;

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function newOutdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-cdk-'));
  outdirs.push(dir);
  return dir;
}

function build(context: Record<string, unknown> = {}): { stack: FollowthroughStack; synth: () => Template; outdir: string } {
  const outdir = newOutdir();
  const { app, stack } = buildApp({ outdir, context: { ...BASE_CONTEXT, ...context }, entries: ENTRIES });
  return {
    stack,
    outdir,
    synth: () => {
      app.synth();
      return Template.fromStack(stack);
    },
  };
}

function synth(context: Record<string, unknown> = {}): { stack: FollowthroughStack; template: Template; outdir: string } {
  const built = build(context);
  return { stack: built.stack, outdir: built.outdir, template: built.synth() };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string; Sid?: string };

/** Every statement of the identity policies attached to a role (by the role's logical id). */
function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

function environmentOf(template: Template, functionLogicalId: string): Record<string, unknown> {
  const fn = template.toJSON().Resources[functionLogicalId] as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  };
  return fn.Properties.Environment.Variables;
}

describe('FollowthroughStack (defaults)', () => {
  let stack: FollowthroughStack;
  let template: Template;
  let outdir: string;

  beforeAll(() => {
    ({ stack, template, outdir } = synth());
  }, SYNTH_TIMEOUT);

  it('synthesizes with cdk-nag AwsSolutions checks and no unacknowledged finding', () => {
    // Prepare / Act: synth in beforeAll threw on any error finding. Assess: the report is empty too.
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations: unknown[] }>;
    };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('makes the table on demand, PITR on, retained, AWS-managed encryption, TTL on expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
          { AttributeName: 'touchId', AttributeType: 'S' },
        ]),
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

  it('builds every Lambda as nodejs22.x on arm64 with its own log group kept a month', () => {
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
    });
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 5);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      Environment: { Variables: Match.objectLike({ RESEND_LEAD_MINUTES: '10' }) },
    });
  });

  it('uses no managed policies on the execution roles (explicit log-group grants instead)', () => {
    for (const fn of [stack.apiFunction, stack.fireFunction, stack.eventsFunction, stack.renderFunction]) {
      const role = template.toJSON().Resources[logicalId(stack, fn.role)] as { Properties: Record<string, unknown> };
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('bundles an ESM file with the createRequire banner and a source map', () => {
    const fire = template.toJSON().Resources[logicalId(stack, stack.fireFunction.function)] as {
      Properties: { Code: { S3Key: string } };
    };
    const assetDir = path.join(outdir, `asset.${fire.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(environmentOf(template, logicalId(stack, stack.fireFunction.function)).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('gives each function exactly the environment its handler reads', () => {
    const keys = (fn: { function: unknown }) =>
      Object.keys(environmentOf(template, logicalId(stack, fn.function as never))).sort();
    const common = ['LINK_SECRET_ARN', 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME'];
    expect(keys(stack.apiFunction)).toEqual(
      [...common, 'FIRE_FUNCTION_ARN', 'RESEND_LEAD_MINUTES', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN', 'SCHEDULE_GROUP'].sort(),
    );
    expect(keys(stack.fireFunction)).toEqual([...common, 'PUBLIC_API_URL', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET'].sort());
    expect(keys(stack.eventsFunction)).toEqual(
      [...common, 'FIRE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN', 'SCHEDULE_GROUP', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET'].sort(),
    );
    const fireEnv = environmentOf(template, logicalId(stack, stack.fireFunction.function));
    expect(fireEnv.SENDER_EMAIL).toBe('followthrough@sales.example.com');
    expect(fireEnv.POWERTOOLS_SERVICE_NAME).toBe('followthrough');
  });

  describe('scheduling', () => {
    it('makes a schedule group and an encrypted, SSL-only dead-letter queue kept 14 days', () => {
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'followthrough-touches' });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('alarms on the first dead-lettered message', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.scheduling.deadLetterQueue), 'QueueName'] } },
        ],
      });
      template.resourceCountIs('AWS::SNS::Topic', 0);
    });

    it('lets only EventBridge Scheduler of this account assume the scheduler role', () => {
      const role = template.toJSON().Resources[logicalId(stack, stack.scheduling.schedulerRole)] as {
        Properties: { AssumeRolePolicyDocument: { Statement: Statement[] }; ManagedPolicyArns?: unknown };
      };
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const [statement, ...others] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(others).toEqual([]);
      expect(statement).toEqual({
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': expect.anything() },
        },
      });
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(':schedule/followthrough-touches/*');
    });

    it('lets the scheduler role invoke only the fire function and dead-letter only to the DLQ', () => {
      const fireArn = { 'Fn::GetAtt': [logicalId(stack, stack.fireFunction.function), 'Arn'] };
      const statements = statementsOfRole(template, logicalId(stack, stack.scheduling.schedulerRole));
      expect(statements).toEqual([
        {
          Sid: 'InvokeFireFunction',
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [fireArn, { 'Fn::Join': ['', [fireArn, ':*']] }],
        },
        {
          Sid: 'DeadLetter',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [logicalId(stack, stack.scheduling.deadLetterQueue), 'Arn'] },
        },
      ]);
    });

    it('lets the api function manage schedules in the group and pass the role only to Scheduler', () => {
      const statements = statementsOfRole(template, logicalId(stack, stack.apiFunction.role));
      const manage = statements.find((s) => s.Sid === 'ManageTouchSchedules');
      expect(actionsOf(manage ? [manage] : [])).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      expect(JSON.stringify(manage?.Resource)).toContain(':schedule/followthrough-touches/*');

      const passRole = statements.filter((s) => actionsOf([s]).includes('iam:PassRole'));
      expect(passRole).toEqual([
        {
          Sid: 'PassSchedulerRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: { 'Fn::GetAtt': [logicalId(stack, stack.scheduling.schedulerRole), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
      // The events function schedules the rep's notice after a bounce, under the same limits; fire passes no role.
      const events = statementsOfRole(template, logicalId(stack, stack.eventsFunction.role));
      expect(events.filter((s) => actionsOf([s]).includes('iam:PassRole'))).toEqual(passRole);
      expect(actionsOf(statementsOfRole(template, logicalId(stack, stack.fireFunction.role)))).not.toContain('iam:PassRole');
    });
  });

  describe('messaging', () => {
    it('makes an SES configuration set with TLS required, reputation metrics and sending on', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
      });
    });

    it('publishes bounce, complaint, delivery and reject events to the default bus and routes them to the events function', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint', 'delivery', 'reject']),
          EventBridgeDestination: { EventBusArn: Match.anyValue() },
        },
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ses'],
          'detail-type': Match.arrayWith(['Email Bounced', 'Email Complaint Received']),
          detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: logicalId(stack, stack.messaging.configurationSet) }] } } },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(stack, stack.eventsFunction.function), 'Arn'] } })],
      });
    });

    it('allows ses:SendEmail only from the sender address, its domain and the configuration set', () => {
      const statements = statementsOfRole(template, logicalId(stack, stack.fireFunction.role)).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('ses:')),
      );
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Action).toBe('ses:SendEmail');
      const resources = JSON.stringify(statements[0]?.Resource);
      expect(resources).toContain(':identity/followthrough@sales.example.com');
      expect(resources).toContain(':identity/sales.example.com');
      expect(resources).toContain(':configuration-set/');
      expect(actionsOf(statementsOfRole(template, logicalId(stack, stack.apiFunction.role)))).not.toContain('ses:SendEmail');
    });

    it('generates a 64-character link-signing secret without punctuation, readable by all three functions', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
      for (const fn of [stack.apiFunction, stack.fireFunction, stack.eventsFunction]) {
        expect(actionsOf(statementsOfRole(template, logicalId(stack, fn.role)))).toContain('secretsmanager:GetSecretValue');
      }
    });

    it('grants no SMS permission unless an origination identity is configured', () => {
      for (const fn of [stack.apiFunction, stack.fireFunction, stack.eventsFunction]) {
        expect(actionsOf(statementsOfRole(template, logicalId(stack, fn.role))).some((a) => a.startsWith('sms-voice:'))).toBe(false);
      }
    });
  });

  describe('api', () => {
    it('protects ANY /v1/{proxy+} with a JWT authorizer on the Cognito user pool client', () => {
      template.resourceCountIs('AWS::Cognito::UserPool', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(stack, stack.api.userPoolClient!) }],
          Issuer: Match.anyValue(),
        },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /v1/{proxy+}',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: Match.anyValue() },
      });
    });

    it.each(['GET /v1/health', 'GET /v1/unsubscribe', 'POST /v1/unsubscribe', 'GET /v1/sheets/{token}'])(
      'leaves %s public',
      (routeKey) => {
        const routes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } });
        const [route] = Object.values(routes) as Array<{ Properties: Record<string, unknown> }>;
        expect(route).toBeDefined();
        expect(route?.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route?.Properties.AuthorizerId).toBeUndefined();
      },
    );

    it('sends previews (behind the authorizer) and sheets (public) to the render function, which may only read the table', () => {
      const routes = template.findResources('AWS::ApiGatewayV2::Route') as Record<string, { Properties: { RouteKey: string; Target: unknown; AuthorizationType?: string } }>;
      const byKey = Object.fromEntries(Object.values(routes).map((r) => [r.Properties.RouteKey, r.Properties]));
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Record<string, { Properties: { IntegrationUri: unknown } }>;
      const renderArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, stack.renderFunction.function), 'Arn'] });
      const targetOf = (key: string) => {
        const id = JSON.stringify(byKey[key]!.Target).match(/"Ref":"([^"]+)"/)![1]!;
        return JSON.stringify(integrations[id]!.Properties.IntegrationUri);
      };
      expect(targetOf('GET /v1/prospects/{id}/preview')).toBe(renderArn);
      expect(byKey['GET /v1/prospects/{id}/preview']!.AuthorizationType).toBe('JWT');
      expect(targetOf('GET /v1/sheets/{token}')).toBe(renderArn);
      expect(targetOf('ANY /v1/{proxy+}')).not.toBe(renderArn);
      const actions = actionsOf(statementsOfRole(template, logicalId(stack, stack.renderFunction.role)));
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).not.toContainEqual(expect.stringMatching(/Put|Update|Delete|Write/));
      expect(actions).toContain('dynamodb:Query');
    });

    it('has a throttled $default stage with access logs and exports the outputs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      });
      for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName', 'ScheduleGroupName', 'DeadLetterQueueUrl']) {
        template.hasOutput(output, {});
      }
      expect(JSON.stringify(environmentOf(template, logicalId(stack, stack.fireFunction.function)).PUBLIC_API_URL)).toContain(
        '.execute-api.',
      );
    });
  });
});

describe('FollowthroughStack (optional context)', () => {
  it(
    'uses an external JWT issuer instead of making a user pool',
    () => {
      const { stack, template } = synth({ jwtIssuer: 'https://auth.example.com/', jwtAudience: 'crm, cli' });
      template.resourceCountIs('AWS::Cognito::UserPool', 0);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        JwtConfiguration: { Issuer: 'https://auth.example.com/', Audience: ['crm', 'cli'] },
      });
      expect(stack.api.userPool).toBeUndefined();
      expect(template.findOutputs('UserPoolId')).toEqual({});
    },
    SYNTH_TIMEOUT,
  );

  it(
    'e-mails the dead-letter alarm when alarmEmail is given',
    () => {
      const { template } = synth({ alarmEmail: 'ops@example.com' });
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: Match.anyValue() }],
      });
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
    'uses an origination identity ARN as given and names the stack from context',
    () => {
      const arn = 'arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-abc123';
      const { stack, template } = synth({ smsOriginationIdentity: arn, stackName: 'FollowthroughStaging', resendLeadMinutes: '15' });
      expect(stack.stackName).toBe('FollowthroughStaging');
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'followthroughstaging-touches' });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: 'sms-voice:SendTextMessage', Resource: arn })]),
        },
      });
      expect(environmentOf(template, logicalId(stack, stack.apiFunction.function)).RESEND_LEAD_MINUTES).toBe('15');
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
