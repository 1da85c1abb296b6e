/**
 * TouchScheduler on EventBridge Scheduler: one one-time schedule per touch, deleted after it runs.
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { createHash } from 'node:crypto';
import type { ScheduleRequest, TouchScheduler } from '../ports.js';

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
}

const NAME_RE = /^[0-9a-zA-Z_.-]{1,64}$/;

/** Scheduler's at() takes yyyy-mm-ddThh:mm:ss with no zone; we always pair it with UTC. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/**
 * The same name and time give the same token, so a retried create is not a second schedule.
 * A token allows only [a-zA-Z0-9-_] (no "." as names do) and 64 chars, so it is a hash: a long
 * name cut to 64 chars would otherwise lose the time and give a moved touch its old token.
 */
export function clientToken(request: Pick<ScheduleRequest, 'name' | 'at'>): string {
  return createHash('sha256').update(`${request.name}\n${request.at.getTime()}`).digest('hex');
}

export function scheduleRequest(request: ScheduleRequest, options: EventBridgeSchedulerOptions): CreateScheduleCommandInput {
  if (!NAME_RE.test(request.name)) throw new Error(`invalid schedule name: ${request.name}`);
  return {
    Name: request.name,
    GroupName: options.groupName,
    ScheduleExpression: atExpression(request.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Description: `followthrough touch ${request.payload.touchId}`,
    ClientToken: clientToken(request),
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

  async create(request: ScheduleRequest): Promise<void> {
    try {
      await this.options.client.send(new CreateScheduleCommand(scheduleRequest(request, this.options)));
    } catch (error) {
      // A rescheduled touch keeps its name: replace the old schedule.
      if ((error as Error).name !== 'ConflictException') throw error;
      await this.delete(request.name);
      await this.options.client.send(new CreateScheduleCommand(scheduleRequest(request, this.options)));
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.options.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.options.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}
