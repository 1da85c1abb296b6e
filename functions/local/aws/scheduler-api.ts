/**
 * EventBridge Scheduler's restJson1 wire, as the SDK's operation schemas define it:
 * POST/GET/PUT/DELETE /schedules/{Name} (GroupName in the body for POST and PUT, `groupName` and
 * `clientToken` query parameters for GET and DELETE) and GET /schedules with the query parameters
 * ScheduleGroup, NamePrefix, State, NextToken and MaxResults. Timestamps are epoch seconds. An error
 * is its HTTP status, an `x-amzn-errortype` header naming it and a `{"Message"}` body.
 */
import { CLIENT_TOKEN, getScheduleOutput, NAME, NAME_PATTERN, readScheduleRequest, scheduleSummary, throwIfAny, type ScheduleDefinition, type ScheduleRequestLimits } from './schedule-request.js';
import { AwsServiceError, jsonResponse, Violations, type Clock, type WireResponse } from './wire.js';

/** The part of the scheduler service the API reads and writes. */
export interface ScheduleStore {
  get(group: string, name: string): { definition: ScheduleDefinition; arn: string; created: number; modified: number } | undefined;
  all(): { definition: ScheduleDefinition; arn: string; created: number; modified: number }[];
  put(definition: ScheduleDefinition, times: { arn: string; created: number; modified: number }): unknown;
  remove(group: string, name: string): boolean;
}

export interface SchedulerApiOptions {
  clock: Clock;
  region: string;
  accountId: string;
  groups: Set<string>;
  limits: ScheduleRequestLimits;
  idempotencyWindowMs: number;
}

type Json = Record<string, unknown>;

const notFound = (message: string) => new AwsServiceError('ResourceNotFoundException', message, 404);
const ERROR_STATUS: Record<string, number> = { ValidationException: 400, ConflictException: 409, ResourceNotFoundException: 404, InternalServerException: 500 };

export class SchedulerApi {
  private readonly tokens = new Map<string, { fingerprint: string; result: Json; at: number }>();

  constructor(
    private readonly store: ScheduleStore,
    private readonly options: SchedulerApiOptions,
  ) {}

  /** Answers one HTTP request; `path` without the query string. */
  async handle(method: string, path: string, query: URLSearchParams, rawBody: string): Promise<WireResponse> {
    try {
      const match = /^\/schedules(?:\/([^/]+))?\/?$/.exec(path);
      if (!match) throw unknownOperation(method, path);
      const name = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
      const body = parseBody(rawBody);
      if (name === undefined) {
        if (method !== 'GET') throw unknownOperation(method, path);
        return jsonResponse(200, this.listSchedules(Object.fromEntries(query)));
      }
      switch (method) {
        case 'POST':
          return jsonResponse(200, this.createSchedule(name, body));
        case 'GET':
          return jsonResponse(200, this.getSchedule(name, query.get('groupName') ?? undefined));
        case 'PUT':
          return jsonResponse(200, this.updateSchedule(name, body));
        case 'DELETE':
          return jsonResponse(200, this.deleteSchedule(name, query.get('groupName') ?? undefined, query.get('clientToken') ?? undefined));
        default:
          throw unknownOperation(method, path);
      }
    } catch (error) {
      return restJsonError(error);
    }
  }

  createSchedule(name: string, body: Json): { ScheduleArn: string } {
    const { definition } = readScheduleRequest(name, body, this.options.limits);
    return this.idempotent('CreateSchedule', body.ClientToken, { name, body }, () => {
      this.requireGroup(definition.GroupName);
      if (this.store.get(definition.GroupName, name)) throw new AwsServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
      const now = this.now();
      const arn = this.arn(definition.GroupName, name);
      this.store.put(definition, { arn, created: now, modified: now });
      return { ScheduleArn: arn };
    }) as { ScheduleArn: string };
  }

  /** UpdateSchedule replaces every member: one left out returns to its default, as the API reference warns. */
  updateSchedule(name: string, body: Json): { ScheduleArn: string } {
    const { definition } = readScheduleRequest(name, body, this.options.limits);
    return this.idempotent('UpdateSchedule', body.ClientToken, { name, body }, () => {
      this.requireGroup(definition.GroupName);
      const existing = this.store.get(definition.GroupName, name);
      if (!existing) throw notFound(`Schedule ${name} does not exist.`);
      this.store.put(definition, { arn: existing.arn, created: existing.created, modified: this.now() });
      return { ScheduleArn: existing.arn };
    }) as { ScheduleArn: string };
  }

  getSchedule(name: string, groupName = 'default'): Json {
    this.checkNameAndGroup(name, groupName);
    this.requireGroup(groupName);
    const schedule = this.store.get(groupName, name);
    if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
    return getScheduleOutput(schedule.definition, schedule);
  }

  deleteSchedule(name: string, groupName = 'default', clientToken?: string): Json {
    this.checkNameAndGroup(name, groupName, clientToken);
    return this.idempotent('DeleteSchedule', clientToken, { name, groupName }, () => {
      this.requireGroup(groupName);
      if (!this.store.remove(groupName, name)) throw notFound(`Schedule ${name} does not exist.`);
      return {};
    });
  }

  listSchedules(params: { ScheduleGroup?: string; NamePrefix?: string; State?: string; NextToken?: string; MaxResults?: string | number }): Json {
    const v = new Violations();
    v.string('groupName', params.ScheduleGroup, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
    v.string('namePrefix', params.NamePrefix, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
    v.oneOf('state', params.State, ['ENABLED', 'DISABLED']);
    v.string('nextToken', params.NextToken, { min: 1, max: 2048 });
    const max = params.MaxResults === undefined ? undefined : Number(params.MaxResults);
    v.integer('maxResults', max, 1, 100);
    throwIfAny(v);
    if (params.ScheduleGroup) this.requireGroup(params.ScheduleGroup);
    const after = params.NextToken === undefined ? undefined : readToken(params.NextToken);
    const matching = this.store
      .all()
      .filter(({ definition: d }) => (params.ScheduleGroup === undefined || d.GroupName === params.ScheduleGroup) && (params.NamePrefix === undefined || d.Name.startsWith(params.NamePrefix)) && (params.State === undefined || d.State === params.State))
      .map((s) => ({ key: `${s.definition.GroupName}/${s.definition.Name}`, s }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .filter(({ key }) => after === undefined || key > after);
    const page = matching.slice(0, max ?? 100);
    const more = matching.length > page.length;
    return {
      Schedules: page.map(({ s }) => scheduleSummary(s.definition, s)),
      ...(more ? { NextToken: Buffer.from(JSON.stringify({ after: page.at(-1)!.key })).toString('base64url') } : {}),
    };
  }

  private checkNameAndGroup(name: string, groupName: string, clientToken?: string): void {
    const v = new Violations();
    v.string('name', name, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
    v.string('groupName', groupName, { min: 1, max: 64, pattern: NAME, patternText: NAME_PATTERN });
    v.string('clientToken', clientToken, { min: 1, max: 64, pattern: CLIENT_TOKEN, patternText: '[a-zA-Z0-9-_]+' });
    throwIfAny(v);
  }

  private requireGroup(group: string): void {
    if (!this.options.groups.has(group)) throw notFound(`Schedule group ${group} does not exist.`);
  }

  /**
   * ClientToken idempotency: a request repeated with the same token within the window answers what
   * the first one did (a network retry of a create that succeeded gets its ARN, not a conflict).
   * The same token with different parameters is refused; the API has no IdempotentParameterMismatch,
   * so it is a ConflictException here. Only successful answers are remembered.
   */
  private idempotent(operation: string, token: unknown, request: unknown, run: () => Json): Json {
    if (typeof token !== 'string') return run();
    const now = this.now();
    const expired = (at: number) => now - at > this.options.idempotencyWindowMs;
    // Tokens are kept in the order they came, so the expired ones are at the front: forgetting them
    // stops at the first still in its window, rather than reading every token on every request (a
    // local runtime holding thousands of schedules made each create slower than the last).
    for (const [key, seen] of this.tokens) {
      if (!expired(seen.at)) break;
      this.tokens.delete(key);
    }
    const key = `${operation}\n${token}`;
    const fingerprint = JSON.stringify(request, (k, value: unknown) => (k === 'ClientToken' ? undefined : value));
    // Checked again here: a clock set back leaves an expired token behind a newer one.
    const seen = this.tokens.get(key);
    if (seen && !expired(seen.at)) {
      if (seen.fingerprint !== fingerprint) throw new AwsServiceError('ConflictException', `ClientToken ${token} was already used for a different ${operation} request.`, 409);
      return seen.result;
    }
    const result = run();
    // Deleted first so a token used again after its window goes to the back, in its time order.
    this.tokens.delete(key);
    this.tokens.set(key, { fingerprint, result, at: now });
    return result;
  }

  private arn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.options.region}:${this.options.accountId}:schedule/${group}/${name}`;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}

function parseBody(raw: string): Json {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // answered below
  }
  throw new AwsServiceError('SerializationException', 'Request body is not a JSON object.');
}

function readToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // answered below
  }
  throw new AwsServiceError('ValidationException', 'Invalid NextToken.');
}

function unknownOperation(method: string, path: string): AwsServiceError {
  return new AwsServiceError('UnknownOperationException', `No operation ${method} ${path} on this local EventBridge Scheduler.`, 404);
}

/** restJson1 error: status, `x-amzn-errortype`, `{"Message", ...members}`. */
export function restJsonError(error: unknown): WireResponse {
  const e = error instanceof AwsServiceError ? error : new AwsServiceError('InternalServerException', 'Internal error.', 500);
  const status = e.status !== 400 ? e.status : (ERROR_STATUS[e.code] ?? 400);
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code }, body: JSON.stringify({ Message: e.message, ...e.members }) };
}
