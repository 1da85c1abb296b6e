import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  atExpression,
  clientToken,
  effectiveTime,
  EventBridgeTouchScheduler,
  scheduleRequest,
  type EventBridgeSchedulerOptions,
} from '../../functions/adapters/eventbridge-scheduler.js';
import type { ScheduleRequest } from '../../functions/ports/index.js';

// Documented CreateSchedule / DeleteSchedule constraints (EventBridge Scheduler API reference):
// Name and GroupName: 1-64 chars of [0-9a-zA-Z-_.]; ClientToken: 1-64 chars of [a-zA-Z0-9-_];
// a one-time schedule is at(yyyy-mm-ddThh:mm:ss) read in ScheduleExpressionTimezone;
// RetryPolicy MaximumRetryAttempts 0-185, MaximumEventAgeInSeconds 60-86400;
// Target.Input at least 1 char (no maximum; ours stay under 8192); Description at most 512 chars.
/** The fields the SDK's exception classes take: the service sends both spellings of message. */
const serviceError = (message: string) => ({ message, Message: message, $metadata: {} });

const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
const CLIENT_TOKEN = /^[a-zA-Z0-9_-]{1,64}$/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;

const options = (client: SchedulerClient): EventBridgeSchedulerOptions => ({
  client,
  groupName: 'followthrough-touches',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:followthrough-fire',
  roleArn: 'arn:aws:iam::123456789012:role/followthrough-scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:followthrough-schedule-dlq',
  // Before every time used here, so no request is moved forward.
  now: () => new Date('1990-01-01T00:00:00Z'),
});

function request(overrides: Partial<ScheduleRequest> = {}): ScheduleRequest {
  return {
    name: 'touch-01JD7Z3K5V8Q2W4E6R8T0Y2U4I',
    at: new Date('2026-03-10T14:30:00Z'),
    payload: { v: 1, touchId: '01JD7Z3K5V8Q2W4E6R8T0Y2U4I', repId: 'rep-1', prospectId: 'prospect-1', dueAt: '2026-03-10T14:30:00Z' },
    ...overrides,
  };
}

/** Every documented rule a CreateSchedule request from this adapter must meet. */
function expectServiceAccepts(input: CreateScheduleCommandInput) {
  expect(input.Name).toMatch(NAME);
  expect(input.GroupName).toMatch(NAME);
  expect(input.ClientToken).toMatch(CLIENT_TOKEN);
  expect(input.ScheduleExpression).toMatch(AT);
  expect(input.ScheduleExpressionTimezone).toBe('UTC');
  expect(input.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
  expect(input.ActionAfterCompletion).toBe('DELETE');
  expect(input.Description!.length).toBeLessThanOrEqual(512);
  const target = input.Target!;
  expect(target.Input!.length).toBeGreaterThanOrEqual(1);
  expect(target.Input!.length).toBeLessThanOrEqual(8192);
  const retry = target.RetryPolicy!;
  expect(retry.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
  expect(retry.MaximumRetryAttempts).toBeLessThanOrEqual(185);
  expect(retry.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
  expect(retry.MaximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
}

describe('atExpression', () => {
  it.each([
    ['an instant given with a +05:30 offset', '2026-06-15T09:15:30+05:30', 'at(2026-06-15T03:45:30)'],
    ['an instant given with a -07:00 offset', '2026-02-01T22:00:00-07:00', 'at(2026-02-02T05:00:00)'],
    ['New York just after the spring-forward gap', '2026-03-08T03:30:00-04:00', 'at(2026-03-08T07:30:00)'],
    ['the second 01:30 of New York fall-back', '2026-11-01T01:30:00-05:00', 'at(2026-11-01T06:30:00)'],
    ['the first 01:30 of New York fall-back', '2026-11-01T01:30:00-04:00', 'at(2026-11-01T05:30:00)'],
    ['the last day of January (zero-based month trap)', '2026-01-31T23:59:59Z', 'at(2026-01-31T23:59:59)'],
    ['the first of December (zero-based month trap)', '2026-12-01T00:00:00Z', 'at(2026-12-01T00:00:00)'],
    ['the last second of a year', '2026-12-31T23:59:59Z', 'at(2026-12-31T23:59:59)'],
    ['a leap day', '2028-02-29T12:00:00Z', 'at(2028-02-29T12:00:00)'],
  ])('renders %s in UTC', (_label, iso, expected) => {
    // Prepare
    const at = new Date(iso);

    // Act
    const expression = atExpression(at);

    // Assess
    expect(expression).toBe(expected);
  });

  it('renders a Date built from UTC fields with the calendar month, not the zero-based one', () => {
    // Prepare
    const at = new Date(Date.UTC(2026, 0, 31, 9, 5, 7));

    // Act
    const expression = atExpression(at);

    // Assess
    expect(expression).toBe('at(2026-01-31T09:05:07)');
  });

  it('drops milliseconds, keeping whole seconds', () => {
    // Prepare
    const at = new Date('2026-03-10T14:30:00.999Z');

    // Act
    const expression = atExpression(at);

    // Assess
    expect(expression).toBe('at(2026-03-10T14:30:00)');
  });

  it('refuses an invalid Date', () => {
    // Prepare
    const at = new Date('not a date');

    // Act
    const act = () => atExpression(at);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('clientToken', () => {
  it('is new for every create call, within the token alphabet', () => {
    // Act
    const tokens = Array.from({ length: 50 }, () => clientToken());

    // Assess
    expect(new Set(tokens).size).toBe(50);
    for (const token of tokens) expect(token).toMatch(CLIENT_TOKEN);
  });
});

describe('effectiveTime', () => {
  const now = () => new Date('2026-11-23T15:00:00.250Z');

  it('keeps a time far enough ahead exactly', () => {
    expect(effectiveTime(new Date('2026-11-23T15:05:00Z'), { now }).toISOString()).toBe('2026-11-23T15:05:00.000Z');
  });

  it('moves a time that is due now or past to the lead ahead, on a whole second', () => {
    expect(effectiveTime(new Date('2026-11-23T15:00:00Z'), { now }).toISOString()).toBe('2026-11-23T15:00:31.000Z');
    expect(effectiveTime(new Date('2026-11-01T00:00:00Z'), { now, minimumLeadSeconds: 5 }).toISOString()).toBe('2026-11-23T15:00:06.000Z');
  });
});

describe('scheduleRequest', () => {
  const client = new SchedulerClient({});

  it('builds a one-time UTC schedule that deletes itself after running', () => {
    // Prepare
    const touch = request();

    // Act
    const input = scheduleRequest(touch, options(client));

    // Assess
    expectServiceAccepts(input);
    expect(input).toMatchObject({
      Name: 'touch-01JD7Z3K5V8Q2W4E6R8T0Y2U4I',
      GroupName: 'followthrough-touches',
      ScheduleExpression: 'at(2026-03-10T14:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
    });
  });

  it('targets the fire function with the Scheduler role, a retry policy and the dead-letter queue', () => {
    // Prepare
    const touch = request();

    // Act
    const target = scheduleRequest(touch, options(client)).Target!;

    // Assess
    expect(target.Arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:followthrough-fire');
    expect(target.RoleArn).toBe('arn:aws:iam::123456789012:role/followthrough-scheduler');
    expect(target.DeadLetterConfig).toEqual({ Arn: 'arn:aws:sqs:us-east-1:123456789012:followthrough-schedule-dlq' });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 });
  });

  it('passes a custom retry policy through', () => {
    // Prepare
    const custom = { ...options(client), maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 };

    // Act
    const retry = scheduleRequest(request(), custom).Target!.RetryPolicy;

    // Assess
    expect(retry).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  it('sends the payload as JSON that parses back to it', () => {
    // Prepare
    const touch = request();

    // Act
    const input = scheduleRequest(touch, options(client)).Target!.Input!;

    // Assess
    expect(JSON.parse(input)).toEqual(touch.payload);
  });

  it('keeps the largest payload the schemas allow within Input and Description limits', () => {
    // Prepare
    const longId = 'i'.repeat(64);
    const touch = request({
      name: 'n'.repeat(64),
      payload: { v: 1, touchId: longId, repId: 'r'.repeat(256), prospectId: longId, dueAt: '2026-03-10T14:30:00Z' },
    });

    // Act
    const input = scheduleRequest(touch, options(client));

    // Assess
    expectServiceAccepts(input);
    expect(JSON.parse(input.Target!.Input!)).toEqual(touch.payload);
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a space', 'touch 1'],
    ['a slash', 'touch/1'],
    ['a colon', 'touch:1'],
    ['a non-ASCII letter', 'tóuch-1'],
  ])('refuses a name that is %s', (_label, name) => {
    // Prepare
    const touch = request({ name });

    // Act
    const act = () => scheduleRequest(touch, options(client));

    // Assess
    expect(act).toThrow(/invalid schedule name/);
  });

  it('meets every documented rule for any valid name and any time this century', () => {
    // Prepare
    const nameChars = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.'.split(''));
    const names = fc.string({ unit: nameChars, minLength: 1, maxLength: 64 });
    const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

    // Act + Assess
    fc.assert(
      fc.property(names, instants, (name, at) => {
        const input = scheduleRequest(request({ name, at }), options(client));
        expectServiceAccepts(input);
        expect(input.ScheduleExpression).toBe(`at(${at.toISOString().slice(0, 19)})`);
      }),
    );
  });
});

describe('EventBridgeTouchScheduler', () => {
  const mock = mockClient(SchedulerClient);
  let scheduler: EventBridgeTouchScheduler;

  beforeEach(() => {
    mock.reset();
    scheduler = new EventBridgeTouchScheduler(options(new SchedulerClient({})));
  });

  afterEach(() => {
    mock.reset();
  });

  const conflict = () => new ConflictException(serviceError('Schedule already exists'));
  const notFound = () => new ResourceNotFoundException(serviceError('Schedule not found'));

  it('creates one schedule with the request it builds', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
    const touch = request();

    // Act
    await scheduler.create(touch);

    // Assess
    const calls = mock.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ ...scheduleRequest(touch, options(new SchedulerClient({}))), ClientToken: expect.stringMatching(CLIENT_TOKEN) });
    expectServiceAccepts(calls[0]!.args[0].input);
    expect(mock.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
  });

  it('replaces a schedule of the same name in one UpdateSchedule, never leaving a moment without one', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn' });
    mock.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const touch = request();

    // Act
    await scheduler.create(touch);

    // Assess
    const sequence = mock.calls().map((call) => call.args[0].constructor.name);
    expect(sequence).toEqual(['CreateScheduleCommand', 'UpdateScheduleCommand']);
    const update = mock.commandCalls(UpdateScheduleCommand)[0]!.args[0].input;
    expect(update).toEqual({ ...scheduleRequest(touch, options(new SchedulerClient({}))), ClientToken: expect.stringMatching(CLIENT_TOKEN) });
    expectServiceAccepts(update as CreateScheduleCommandInput);
    expect(mock.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
  });

  it('creates again when the old schedule ran out between the conflict and the update', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn' });
    mock.on(UpdateScheduleCommand).rejects(notFound());

    // Act
    await scheduler.create(request());

    // Assess
    expect(mock.calls().map((call) => call.args[0].constructor.name)).toEqual(['CreateScheduleCommand', 'UpdateScheduleCommand', 'CreateScheduleCommand']);
  });

  it('gives up after three rounds of a schedule appearing and vanishing, with the last error', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).rejects(conflict());
    mock.on(UpdateScheduleCommand).rejects(notFound());

    // Act
    const act = scheduler.create(request());

    // Assess
    await expect(act).rejects.toThrow(ConflictException);
    expect(mock.commandCalls(CreateScheduleCommand)).toHaveLength(3);
  });

  it('lets any other create error through without deleting anything', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).rejects(new ValidationException(serviceError('bad expression')));

    // Act
    const act = scheduler.create(request());

    // Assess
    await expect(act).rejects.toThrow(ValidationException);
    expect(mock.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
    expect(mock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('lets an error from the replacing update through', async () => {
    // Prepare
    mock.on(CreateScheduleCommand).rejectsOnce(conflict());
    mock.on(UpdateScheduleCommand).rejects(new ThrottlingException(serviceError('slow down')));

    // Act
    const act = scheduler.create(request());

    // Assess
    await expect(act).rejects.toThrow(ThrottlingException);
  });

  it('does not call the service for a name it refuses', async () => {
    // Prepare
    const touch = request({ name: 'touch/../1' });

    // Act
    const act = scheduler.create(touch);

    // Assess
    await expect(act).rejects.toThrow(/invalid schedule name/);
    expect(mock.calls()).toHaveLength(0);
  });

  it('deletes by name in its group', async () => {
    // Prepare
    mock.on(DeleteScheduleCommand).resolves({});

    // Act
    await scheduler.delete('touch-01JD7Z3K5V8Q2W4E6R8T0Y2U4I');

    // Assess
    const calls = mock.commandCalls(DeleteScheduleCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toEqual({ Name: 'touch-01JD7Z3K5V8Q2W4E6R8T0Y2U4I', GroupName: 'followthrough-touches' });
    expect(input.Name).toMatch(NAME);
    expect(input.GroupName).toMatch(NAME);
  });

  it('treats deleting a schedule that is already gone as done', async () => {
    // Prepare
    mock.on(DeleteScheduleCommand).rejects(notFound());

    // Act
    const act = scheduler.delete('touch-gone');

    // Assess
    await expect(act).resolves.toBeUndefined();
  });

  it('lets any other delete error through', async () => {
    // Prepare
    mock.on(DeleteScheduleCommand).rejects(new ThrottlingException(serviceError('slow down')));

    // Act
    const act = scheduler.delete('touch-1');

    // Assess
    await expect(act).rejects.toThrow(ThrottlingException);
  });
});
