import path from 'node:path';
import { type CfnElement, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { FollowthroughConfig } from './config.js';
import { Api } from './constructs/api.js';
import { Data } from './constructs/data.js';
import { FollowthroughFunction, REPO_ROOT } from './constructs/function.js';
import { Messaging } from './constructs/messaging.js';
import { Scheduling } from './constructs/scheduling.js';

/** The Lambda handler files, each exporting `handler`. */
export interface HandlerEntries {
  /** Serves the HTTP API. */
  readonly api: string;
  /** Invoked by EventBridge Scheduler at a touch's due minute. */
  readonly fire: string;
  /** Handles SES bounce, complaint, delivery and reject events. */
  readonly events: string;
  /** Serves the routes that render templates: previews and call-prep sheets. */
  readonly render: string;
}

export const DEFAULT_ENTRIES: HandlerEntries = {
  api: path.join(REPO_ROOT, 'functions/handlers/api.ts'),
  fire: path.join(REPO_ROOT, 'functions/handlers/fire.ts'),
  events: path.join(REPO_ROOT, 'functions/handlers/events.ts'),
  render: path.join(REPO_ROOT, 'functions/handlers/render.ts'),
};

export interface FollowthroughStackProps extends StackProps {
  readonly config: FollowthroughConfig;
  /** Override handler files, e.g. tiny fixtures in tests. */
  readonly entries?: Partial<HandlerEntries>;
  /** Modules left out of every bundle. @default [] (bundle everything, @aws-sdk/* included) */
  readonly externalModules?: readonly string[];
}

/**
 * followthrough: the HTTP API, the single table, one EventBridge Scheduler schedule per touch, SES and SMS
 * sending, and the SES event feedback loop. Environment-agnostic: synthesizes offline with no lookups.
 */
export class FollowthroughStack extends Stack {
  readonly data: Data;
  readonly apiFunction: FollowthroughFunction;
  readonly fireFunction: FollowthroughFunction;
  readonly eventsFunction: FollowthroughFunction;
  readonly renderFunction: FollowthroughFunction;
  readonly scheduling: Scheduling;
  readonly messaging: Messaging;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: FollowthroughStackProps) {
    super(scope, id, { stackName: props.config.stackName, ...props });
    const { config } = props;
    const entries = { ...DEFAULT_ENTRIES, ...props.entries };
    const externalModules = props.externalModules;

    this.data = new Data(this, 'Data');

    this.apiFunction = new FollowthroughFunction(this, 'ApiFunction', {
      entry: entries.api,
      description: 'followthrough HTTP API',
      timeout: Duration.seconds(10),
      environment: { RESEND_LEAD_MINUTES: String(config.resendLeadMinutes) },
      ...(externalModules ? { externalModules } : {}),
    });
    this.fireFunction = new FollowthroughFunction(this, 'FireFunction', {
      entry: entries.fire,
      description: 'followthrough: fires a touch at its due minute',
      timeout: Duration.seconds(30),
      ...(externalModules ? { externalModules } : {}),
    });
    this.eventsFunction = new FollowthroughFunction(this, 'EventsFunction', {
      entry: entries.events,
      description: 'followthrough: SES bounce and complaint handling',
      timeout: Duration.seconds(30),
      ...(externalModules ? { externalModules } : {}),
    });
    this.renderFunction = new FollowthroughFunction(this, 'RenderFunction', {
      entry: entries.render,
      description: 'followthrough: previews and call-prep sheets',
      timeout: Duration.seconds(10),
      ...(externalModules ? { externalModules } : {}),
    });
    const functions = [this.apiFunction, this.fireFunction, this.eventsFunction, this.renderFunction];
    for (const fn of functions) {
      // The render function only reads: previews and sheets change nothing.
      fn.bindTable(this.data.table, fn === this.renderFunction ? 'read' : 'readWrite');
      if (config.cadencePolicy) fn.addEnvironment('CADENCE_POLICY', config.cadencePolicy);
      acknowledgeFunctionFindings(fn, this.data.table);
    }

    this.scheduling = new Scheduling(this, 'Scheduling', {
      fireFunction: this.fireFunction.function,
      apiFunction: this.apiFunction,
      alsoSchedules: [this.eventsFunction],
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    this.messaging = new Messaging(this, 'Messaging', {
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      apiFunction: this.apiFunction,
      fireFunction: this.fireFunction,
      eventsFunction: this.eventsFunction,
      renderFunction: this.renderFunction,
      ...(config.sms ? { sms: config.sms } : {}),
    });

    this.api = new Api(this, 'Api', {
      handler: this.apiFunction.function,
      renderHandler: this.renderFunction.function,
      ...(config.jwt ? { jwt: config.jwt } : {}),
    });
    // fire is no integration of the API, so this adds no cycle; the api function reads its URL from requests.
    this.fireFunction.addEnvironment('PUBLIC_API_URL', this.api.url);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    if (this.api.userPool && this.api.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', {
        value: this.api.userPoolClient.userPoolClientId,
        description: 'App client id: the JWT audience',
      });
    }
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduling.scheduleGroup.scheduleGroupName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.scheduling.deadLetterQueue.queueUrl });
  }
}

/** cdk-nag findings every function shares, acknowledged on that function only. */
function acknowledgeFunctionFindings(fn: FollowthroughFunction, table: Table): void {
  Validations.of(fn.function).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Pinned to nodejs22.x, the runtime the code, esbuild target and tests are built for; upgraded deliberately.',
  });
  const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
    reason: "Queries use the table's own byRepDue and byTouchId indexes; the wildcard covers only this table's indexes.",
  });
}
