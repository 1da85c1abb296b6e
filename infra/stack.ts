import path from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FIRE_TIMEOUT_SECONDS } from '../functions/core/on-time.js';
import type { FollowthroughConfig } from './config.js';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { BY_DUE_INDEX, BY_REP_DUE_INDEX, BY_REP_INDEX, BY_TOUCH_ID_INDEX, Data } from './constructs/data.js';
import { BASE_TABLE, FollowthroughFunction, REPO_ROOT, type TableAccess } from './constructs/function.js';
import { Messaging } from './constructs/messaging.js';
import { type ScheduleAction, Scheduling } from './constructs/scheduling.js';

/** The Lambda handler files, each exporting `handler`. */
export interface HandlerEntries {
  /** Serves the HTTP API. */
  readonly api: string;
  /** Invoked by EventBridge Scheduler at a touch's due minute. */
  readonly fire: string;
  /** Handles SES bounce and complaint events, and records the Message-ID of recaps from their Send events. */
  readonly events: string;
  /** Serves the routes that render templates (previews, call-prep sheets) and the rep console. */
  readonly render: string;
  /** Runs every five minutes, and on each fire that failed: keeps the promises schedules missed. */
  readonly sweep: string;
}

export type FunctionName = keyof HandlerEntries;

export const DEFAULT_ENTRIES: HandlerEntries = {
  api: path.join(REPO_ROOT, 'functions/handlers/api.ts'),
  fire: path.join(REPO_ROOT, 'functions/handlers/fire.ts'),
  events: path.join(REPO_ROOT, 'functions/handlers/events.ts'),
  render: path.join(REPO_ROOT, 'functions/handlers/render.ts'),
  sweep: path.join(REPO_ROOT, 'functions/handlers/sweep.ts'),
};

/**
 * The table calls each function makes, and nothing more. Where a function writes transactions, its item actions
 * are the ones inside them (see {@link TableAccess}): the api's outcome commit puts, updates and checks that the
 * address it plans email to is not suppressed; the fire claim checks that the prospect, rep and suppression are as the touch was prepared; the events function
 * and the sweep update touches and put records (a suppression, a rep notice).
 */
export const TABLE_ACCESS: Readonly<Record<FunctionName, TableAccess>> = {
  api: {
    // ConditionCheckItem: an outcome's commit holds only while the address its email goes to is not suppressed.
    items: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
    // byRep: the console's prospect search and the promises report.
    query: [BASE_TABLE, BY_REP_DUE_INDEX, BY_TOUCH_ID_INDEX, BY_REP_INDEX],
  },
  fire: { items: ['GetItem', 'UpdateItem', 'ConditionCheckItem'], query: [BASE_TABLE] },
  events: { items: ['GetItem', 'PutItem', 'UpdateItem'], query: [BASE_TABLE, BY_TOUCH_ID_INDEX] },
  render: { items: ['GetItem'], query: [BASE_TABLE] },
  sweep: { items: ['GetItem', 'PutItem', 'UpdateItem'], query: [BY_DUE_INDEX] },
};

/**
 * The Scheduler calls of the functions that manage touch schedules (fire and render make none). A schedule of the
 * same name is replaced with UpdateSchedule; the api reads schedules when a retried call checks what the first made.
 */
export const SCHEDULE_ACCESS: Readonly<Partial<Record<FunctionName, readonly ScheduleAction[]>>> = {
  api: ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'GetSchedule'],
  // The rep's notice after a bounce is a touch like any other: scheduled now, sent by the fire function.
  events: ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule'],
  sweep: ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'GetSchedule'],
};

export interface FollowthroughStackProps extends StackProps {
  readonly config: FollowthroughConfig;
  /** Override handler files, e.g. tiny fixtures in tests. */
  readonly entries?: Partial<HandlerEntries>;
  /** Modules left out of every bundle. @default [] (bundle everything, @aws-sdk/* included) */
  readonly externalModules?: readonly string[];
}

/**
 * followthrough: the HTTP API and the rep console, the single table, one EventBridge Scheduler schedule per touch
 * with a sweep behind them, SES and SMS sending, the SES event feedback loop, and an alarm on every dead end.
 * Environment-agnostic: synthesizes offline with no lookups.
 */
export class FollowthroughStack extends Stack {
  readonly data: Data;
  readonly apiFunction: FollowthroughFunction;
  readonly fireFunction: FollowthroughFunction;
  readonly eventsFunction: FollowthroughFunction;
  readonly renderFunction: FollowthroughFunction;
  readonly sweepFunction: FollowthroughFunction;
  readonly alarms: Alarms;
  readonly scheduling: Scheduling;
  readonly messaging: Messaging;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: FollowthroughStackProps) {
    super(scope, id, { stackName: props.config.stackName, ...props });
    const { config } = props;
    const entries = { ...DEFAULT_ENTRIES, ...props.entries };
    const externalModules = props.externalModules ? { externalModules: props.externalModules } : {};

    this.data = new Data(this, 'Data');

    this.apiFunction = new FollowthroughFunction(this, 'ApiFunction', {
      entry: entries.api,
      description: 'followthrough HTTP API',
      timeout: Duration.seconds(10),
      ...externalModules,
    });
    this.fireFunction = new FollowthroughFunction(this, 'FireFunction', {
      entry: entries.fire,
      description: 'followthrough: fires a touch at its due minute, a rep reminder on its second',
      // A rep reminder's schedule fires up to two minutes early and waits for its second (core/on-time.ts);
      // the work after a claim is cut off within the claim's lease (core/claims.ts).
      timeout: Duration.seconds(FIRE_TIMEOUT_SECONDS),
      ...externalModules,
    });
    this.eventsFunction = new FollowthroughFunction(this, 'EventsFunction', {
      entry: entries.events,
      description: 'followthrough: SES bounces and complaints; the Send event of each email',
      timeout: Duration.seconds(30),
      ...externalModules,
    });
    this.renderFunction = new FollowthroughFunction(this, 'RenderFunction', {
      entry: entries.render,
      description: 'followthrough: previews, call-prep sheets and the rep console',
      timeout: Duration.seconds(10),
      ...externalModules,
    });
    this.sweepFunction = new FollowthroughFunction(this, 'SweepFunction', {
      entry: entries.sweep,
      description: 'followthrough: delivers touches still scheduled past their time; records failed fires',
      timeout: Duration.seconds(60),
      ...externalModules,
    });
    const functions: Record<FunctionName, FollowthroughFunction> = {
      api: this.apiFunction,
      fire: this.fireFunction,
      events: this.eventsFunction,
      render: this.renderFunction,
      sweep: this.sweepFunction,
    };
    for (const [name, fn] of Object.entries(functions) as Array<[FunctionName, FollowthroughFunction]>) {
      fn.bindTable(this.data.table, TABLE_ACCESS[name]);
      if (config.cadencePolicy) fn.addEnvironment('CADENCE_POLICY', config.cadencePolicy);
      Validations.of(fn.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Pinned to nodejs22.x, the runtime the code, esbuild target and tests are built for; upgraded deliberately.',
      });
    }

    this.alarms = new Alarms(this, 'Alarms', { ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}) });

    this.scheduling = new Scheduling(this, 'Scheduling', {
      fireFunction: this.fireFunction,
      sweepFunction: this.sweepFunction,
      schedulers: (Object.entries(SCHEDULE_ACCESS) as Array<[FunctionName, readonly ScheduleAction[]]>).map(
        ([name, actions]) => ({ fn: functions[name], actions }),
      ),
      alarms: this.alarms,
    });

    this.messaging = new Messaging(this, 'Messaging', {
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      apiFunction: this.apiFunction,
      fireFunction: this.fireFunction,
      eventsFunction: this.eventsFunction,
      renderFunction: this.renderFunction,
      alarms: this.alarms,
      ...(config.sms ? { sms: config.sms } : {}),
    });

    this.api = new Api(this, 'Api', {
      handler: this.apiFunction.function,
      renderHandler: this.renderFunction.function,
      ...(config.jwt ? { jwt: config.jwt } : {}),
    });
    // fire is no integration of the API, so this adds no cycle; the api function reads its URL from requests.
    this.fireFunction.addEnvironment('PUBLIC_API_URL', this.api.url);
    if (config.sesMessageIdDomain) this.fireFunction.addEnvironment('SES_MESSAGE_ID_DOMAIN', config.sesMessageIdDomain);
    // What the console's /app/config.json tells the browser: where to sign in, and as which (public) client.
    if (this.api.userPoolDomain && this.api.userPoolClient) {
      this.renderFunction.addEnvironment('COGNITO_DOMAIN_URL', this.api.userPoolDomain.baseUrl());
      this.renderFunction.addEnvironment('COGNITO_CLIENT_ID', this.api.userPoolClient.userPoolClientId);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'ConsoleUrl', { value: this.api.consoleUrl, description: 'The rep console: open it and sign in' });
    if (this.api.userPool && this.api.userPoolClient && this.api.userPoolDomain) {
      new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', {
        value: this.api.userPoolClient.userPoolClientId,
        description: 'App client id: the JWT audience',
      });
      new CfnOutput(this, 'CognitoDomainUrl', {
        value: this.api.userPoolDomain.baseUrl(),
        description: 'The Cognito hosted sign-in domain the console sends reps to',
      });
    }
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'FireLogGroupName', {
      value: this.fireFunction.logGroup.logGroupName,
      description: 'Where each touch firing is logged: aws logs tail <name> --follow',
    });
    new CfnOutput(this, 'SweepLogGroupName', {
      value: this.sweepFunction.logGroup.logGroupName,
      description: 'What the sweep found and repaired, and the fire failures it recorded',
    });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduling.touchScheduleGroup.scheduleGroupName });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.scheduling.deadLetterQueue.queueUrl,
      description: 'Schedules that could not invoke their function',
    });
    new CfnOutput(this, 'FireFailureDeadLetterQueueUrl', {
      value: this.scheduling.fireFailureDeadLetterQueue.queueUrl,
      description: 'Failed fires the sweep could not record',
    });
    new CfnOutput(this, 'SesEventsDeadLetterQueueUrl', {
      value: this.messaging.sesEventsDeadLetterQueue.queueUrl,
      description: 'SES bounces and complaints that were not processed',
    });
  }
}
