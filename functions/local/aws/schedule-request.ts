/**
 * CreateSchedule and UpdateSchedule requests, checked as the Scheduler API reference documents them
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html and the
 * shapes it links: Target, RetryPolicy, DeadLetterConfig, FlexibleTimeWindow), and the schedule as
 * GetSchedule and ListSchedules answer it. Constraint violations come back worded as AWS's request
 * validation words them, all of them in one ValidationException.
 */
import { isValidZone } from '../../core/time.js';
import { parseScheduleExpression, type ScheduleTiming } from './schedule-expression.js';
import { AwsServiceError, epochSeconds, Violations } from './wire.js';

export const NAME = /^[0-9a-zA-Z-_.]+$/;
export const NAME_PATTERN = '[0-9a-zA-Z-_.]+';
export const CLIENT_TOKEN = /^[a-zA-Z0-9-_]+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
const KMS_ARN = /^arn:aws(-[a-z]+)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[0-9a-zA-Z-_]*$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:/;

/** Defaults the service applies when RetryPolicy or its members are left out: 24 hours, 185 retries. */
export const DEFAULT_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy: { MaximumEventAgeInSeconds: number; MaximumRetryAttempts: number };
  DeadLetterConfig?: { Arn: string };
  /** Target parameters this runtime keeps but does not act on (EcsParameters, SqsParameters, ...). */
  [other: string]: unknown;
}

/** A schedule as stored: the request's members with the service's defaults applied; dates in ms. */
export interface ScheduleDefinition {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  StartDate?: number;
  EndDate?: number;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  KmsKeyArn?: string;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Target: ScheduleTarget;
}

export interface ScheduleRequestLimits {
  /**
   * Longest Target.Input accepted, when a caller wants one. Unset by default: the Target reference
   * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html) gives Input a
   * minimum length of 1 and no maximum, so the service takes what an 8 KB limit here would refuse.
   */
  maxInputLength?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function throwIfAny(v: Violations): void {
  const message = v.message();
  if (message) throw new AwsServiceError('ValidationException', message);
}

/**
 * The definition a Create or Update request asks for, or the ValidationException the service would
 * answer. Group existence, conflicts and the ClientToken are the caller's: they need the store.
 */
export function readScheduleRequest(name: string, body: Json, limits: ScheduleRequestLimits): { definition: ScheduleDefinition; timing: ScheduleTiming } {
  const v = new Violations();
  v.string('name', name, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
  v.string('groupName', body.GroupName, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
  v.string('clientToken', body.ClientToken, { min: 1, max: 64, pattern: CLIENT_TOKEN, patternText: '[a-zA-Z0-9-_]+' });
  if (v.required('scheduleExpression', body.ScheduleExpression)) v.string('scheduleExpression', body.ScheduleExpression, { min: 1, max: 256 });
  v.string('scheduleExpressionTimezone', body.ScheduleExpressionTimezone, { min: 1, max: 50 });
  v.string('description', body.Description, { max: 512 });
  v.string('kmsKeyArn', body.KmsKeyArn, { min: 1, max: 2048, pattern: KMS_ARN });
  v.oneOf('state', body.State, ['ENABLED', 'DISABLED']);
  v.oneOf('actionAfterCompletion', body.ActionAfterCompletion, ['NONE', 'DELETE']);
  for (const date of ['StartDate', 'EndDate'] as const) {
    const value = body[date];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) v.add(date[0]!.toLowerCase() + date.slice(1), value, 'Member must be a timestamp');
  }
  const window = body.FlexibleTimeWindow;
  if (v.required('flexibleTimeWindow', window) && isObject(window)) {
    if (v.required('flexibleTimeWindow.mode', window.Mode)) v.oneOf('flexibleTimeWindow.mode', window.Mode, ['OFF', 'FLEXIBLE']);
    v.integer('flexibleTimeWindow.maximumWindowInMinutes', window.MaximumWindowInMinutes, 1, 1440);
  }
  const target = body.Target;
  if (v.required('target', target) && isObject(target)) {
    if (v.required('target.arn', target.Arn)) v.string('target.arn', target.Arn, { min: 1, max: 1600 });
    if (v.required('target.roleArn', target.RoleArn)) v.string('target.roleArn', target.RoleArn, { min: 1, max: 1600, pattern: ROLE_ARN });
    v.string('target.input', target.Input, { min: 1 });
    const retry = target.RetryPolicy;
    if (isObject(retry)) {
      v.integer('target.retryPolicy.maximumEventAgeInSeconds', retry.MaximumEventAgeInSeconds, 60, 86_400);
      v.integer('target.retryPolicy.maximumRetryAttempts', retry.MaximumRetryAttempts, 0, 185);
    }
    const dlq = target.DeadLetterConfig;
    if (isObject(dlq)) v.string('target.deadLetterConfig.arn', dlq.Arn, { min: 1, max: 1600, pattern: SQS_ARN });
  }
  throwIfAny(v);

  // The members are well-formed; now what they mean.
  const w = window as Json;
  const t = target as Json;
  const timezone = (body.ScheduleExpressionTimezone as string | undefined) ?? 'UTC';
  if (!isValidZone(timezone)) throw new AwsServiceError('ValidationException', `Invalid ScheduleExpressionTimezone ${timezone}.`);
  const timing = parseScheduleExpression(body.ScheduleExpression as string, timezone);
  if (w.Mode === 'FLEXIBLE' && w.MaximumWindowInMinutes === undefined) {
    throw new AwsServiceError('ValidationException', 'MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  const input = t.Input as string | undefined;
  if (input !== undefined && limits.maxInputLength !== undefined && input.length > limits.maxInputLength) {
    throw new AwsServiceError('ValidationException', `Target Input is ${input.length} characters long; at most ${limits.maxInputLength} are accepted.`);
  }
  // "If you are configuring a templated Lambda ... target, the input must be a well-formed JSON" (Target.Input).
  if (input !== undefined && LAMBDA_ARN.test(t.Arn as string) && !isJson(input)) {
    throw new AwsServiceError('ValidationException', 'Target Input must be well-formed JSON for a Lambda target.');
  }
  const start = body.StartDate as number | undefined;
  const end = body.EndDate as number | undefined;
  if (start !== undefined && end !== undefined && end <= start) throw new AwsServiceError('ValidationException', 'The EndDate must be after the StartDate.');

  const retry = isObject(t.RetryPolicy) ? t.RetryPolicy : {};
  const definition: ScheduleDefinition = {
    Name: name,
    GroupName: (body.GroupName as string | undefined) ?? 'default',
    ScheduleExpression: body.ScheduleExpression as string,
    ScheduleExpressionTimezone: timezone,
    ...(start !== undefined ? { StartDate: Math.round(start * 1000) } : {}),
    ...(end !== undefined ? { EndDate: Math.round(end * 1000) } : {}),
    ...(body.Description !== undefined ? { Description: body.Description as string } : {}),
    State: (body.State as ScheduleDefinition['State'] | undefined) ?? 'ENABLED',
    ...(body.KmsKeyArn !== undefined ? { KmsKeyArn: body.KmsKeyArn as string } : {}),
    ActionAfterCompletion: (body.ActionAfterCompletion as ScheduleDefinition['ActionAfterCompletion'] | undefined) ?? 'NONE',
    FlexibleTimeWindow: {
      Mode: w.Mode as 'OFF' | 'FLEXIBLE',
      ...(w.MaximumWindowInMinutes !== undefined ? { MaximumWindowInMinutes: w.MaximumWindowInMinutes as number } : {}),
    },
    Target: {
      ...t,
      Arn: t.Arn as string,
      RoleArn: t.RoleArn as string,
      RetryPolicy: {
        MaximumEventAgeInSeconds: (retry.MaximumEventAgeInSeconds as number | undefined) ?? DEFAULT_RETRY_POLICY.MaximumEventAgeInSeconds,
        MaximumRetryAttempts: (retry.MaximumRetryAttempts as number | undefined) ?? DEFAULT_RETRY_POLICY.MaximumRetryAttempts,
      },
    },
  };
  return { definition, timing };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface ScheduleRecordTimes {
  arn: string;
  created: number;
  modified: number;
}

/** GetSchedule's answer; timestamps in epoch seconds, the restJson1 default. */
export function getScheduleOutput(d: ScheduleDefinition, r: ScheduleRecordTimes): Json {
  return {
    Arn: r.arn,
    Name: d.Name,
    GroupName: d.GroupName,
    ScheduleExpression: d.ScheduleExpression,
    ScheduleExpressionTimezone: d.ScheduleExpressionTimezone,
    ...(d.StartDate !== undefined ? { StartDate: epochSeconds(d.StartDate) } : {}),
    ...(d.EndDate !== undefined ? { EndDate: epochSeconds(d.EndDate) } : {}),
    ...(d.Description !== undefined ? { Description: d.Description } : {}),
    State: d.State,
    ...(d.KmsKeyArn !== undefined ? { KmsKeyArn: d.KmsKeyArn } : {}),
    ActionAfterCompletion: d.ActionAfterCompletion,
    FlexibleTimeWindow: d.FlexibleTimeWindow,
    Target: d.Target,
    CreationDate: epochSeconds(r.created),
    LastModificationDate: epochSeconds(r.modified),
  };
}

/** One entry of ListSchedules. */
export function scheduleSummary(d: ScheduleDefinition, r: ScheduleRecordTimes): Json {
  return {
    Arn: r.arn,
    Name: d.Name,
    GroupName: d.GroupName,
    State: d.State,
    CreationDate: epochSeconds(r.created),
    LastModificationDate: epochSeconds(r.modified),
    Target: { Arn: d.Target.Arn },
  };
}
