/**
 * TouchScheduler on EventBridge Scheduler: one one-time schedule per touch, deleted after it runs.
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { FirePayload } from '../core/fire-payload.js';
import type { HeldTouchSchedule, ScheduleRequest, TouchScheduler } from '../ports/scheduler.js';

export interface EventBridgeSchedulerOptions {
  client: SchedulerClient;
  groupName: string;
  /** The fire function's ARN: the schedule's target. */
  targetArn: string;
  /** The role Scheduler assumes to invoke the target. */
  roleArn: string;
  deadLetterArn: string;
  /** Retries of a failed invocation before the event goes to the dead-letter queue. */
  maximumRetryAttempts?: number;
  /** How long Scheduler keeps retrying: a reminder an hour late is no reminder. */
  maximumEventAgeInSeconds?: number;
  /**
   * A one-time schedule must lie in the future when it is created; a touch due now (a recap, a
   * rep notice) or already past is set this many seconds ahead instead. Default 30, less than
   * the minute a resend waits after its recap, so the two keep their order.
   */
  minimumLeadSeconds?: number;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

const NAME_RE = /^[0-9a-zA-Z_.-]{1,64}$/;

/** Scheduler's at() takes yyyy-mm-ddThh:mm:ss with no zone; we always pair it with UTC. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/** The instant an at() expression names in its time zone (UTC when none is given); undefined for rate(), cron() or nonsense. */
export function atTime(expression: string | undefined, zone: string | undefined): Date | undefined {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression ?? '');
  if (!m) return undefined;
  const at = DateTime.fromISO(m[1]!, { zone: zone || 'UTC' });
  return at.isValid ? at.toJSDate() : undefined;
}

/**
 * A fresh token per create call: the SDK reuses it on its own retries of that call, so a network
 * retry never makes a second schedule, while a touch moved back to an earlier time is never
 * mistaken for a replay of its first create. Tokens allow only [a-zA-Z0-9-_], up to 64 chars.
 */
export function clientToken(): string {
  return randomUUID();
}

/** The time the schedule is set for: the touch's own, unless that is too close or past. */
export function effectiveTime(at: Date, options: Pick<EventBridgeSchedulerOptions, 'minimumLeadSeconds' | 'now'>): Date {
  const earliest = (options.now?.() ?? new Date()).getTime() + (options.minimumLeadSeconds ?? 30) * 1000;
  return at.getTime() >= earliest ? at : new Date(Math.ceil(earliest / 1000) * 1000);
}

export function scheduleRequest(request: ScheduleRequest, options: EventBridgeSchedulerOptions): CreateScheduleCommandInput {
  if (!NAME_RE.test(request.name)) throw new Error(`invalid schedule name: ${request.name}`);
  return {
    Name: request.name,
    GroupName: options.groupName,
    ScheduleExpression: atExpression(effectiveTime(request.at, options)),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Description: `followthrough touch ${request.payload.touchId}`,
    ClientToken: clientToken(),
    Target: {
      Arn: options.targetArn,
      RoleArn: options.roleArn,
      Input: JSON.stringify(request.payload),
      RetryPolicy: {
        MaximumRetryAttempts: options.maximumRetryAttempts ?? 10,
        MaximumEventAgeInSeconds: options.maximumEventAgeInSeconds ?? 3600,
      },
      DeadLetterConfig: { Arn: options.deadLetterArn },
    },
  };
}

export class EventBridgeTouchScheduler implements TouchScheduler {
  constructor(private readonly options: EventBridgeSchedulerOptions) {}

  /**
   * Creates the schedule, or replaces one of the same name in one UpdateSchedule (never a delete
   * and a create, which leaves a moment with no schedule and lets two writers trip on each other).
   * A schedule that ran out between the two calls is created again.
   */
  async create(request: ScheduleRequest): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.client.send(new CreateScheduleCommand(scheduleRequest(request, this.options)));
        return;
      } catch (error) {
        if ((error as Error).name !== 'ConflictException' || attempt >= 3) throw error;
      }
      try {
        await this.options.client.send(new UpdateScheduleCommand(scheduleRequest(request, this.options)));
        return;
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException' || attempt >= 3) throw error;
      }
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.options.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.options.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }

  async get(name: string): Promise<HeldTouchSchedule | undefined> {
    let out;
    try {
      out = await this.options.client.send(new GetScheduleCommand({ Name: name, GroupName: this.options.groupName }));
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    let input: unknown;
    try {
      input = JSON.parse(out.Target?.Input ?? 'null');
    } catch {
      input = undefined;
    }
    const payload = FirePayload.safeParse(input);
    const at = atTime(out.ScheduleExpression, out.ScheduleExpressionTimezone);
    return { ...(payload.success ? { payload: payload.data } : {}), ...(at ? { at } : {}), enabled: out.State !== 'DISABLED' };
  }
}
