/**
 * The Store on one DynamoDB table: its keys and items are laid out in dynamo-table.ts, the fire
 * path's claims in dynamo-claims.ts.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, IdempotencyRaceError, VersionConflictError } from '../core/errors.js';
import type { Call, Prospect, Rep, Touch } from '../core/schemas.js';
import type { VariantCounts } from '../core/variants.js';
import { claimAsRead } from './dynamo-claims.js';
import { AGENDA_LIMIT, BY_DUE_SHARDS, BY_REP_INDEX, IN_AGENDA, keys, prospectItem, seg, strip, touchItem } from './dynamo-table.js';
import type { DueTouchRef, IdempotencyRecord, OutcomeCommit, OverdueTouch, ProspectBundle, ProspectListOptions, ReadClaim, ReadClaimResult, Store, Suppression, TouchUpdate, VariantCountUpdate } from '../ports/store.js';

export { BY_DUE_PROJECTION, BY_DUE_SHARDS, BY_REP_INDEX, dueShard, keys, tableDefinition } from './dynamo-table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * Adds to a team's script counts with ADD, never read-modify-write: every rep of the team writes
 * the same items, and concurrent ADDs all count.
 */
function variantCountItems(table: string, update: VariantCountUpdate): TransactItem[] {
  return update.events.flatMap(({ variant, count, day }) =>
    [keys.variantTotal(update.team, variant), keys.variantDay(update.team, day, variant)].map((key) => ({
      Update: {
        TableName: table,
        Key: key,
        UpdateExpression: 'ADD #count :one SET #type = :type, #team = :team, #variant = :variant',
        ExpressionAttributeNames: { '#count': count === 'used' ? 'used' : 'callbacks', '#type': 'type', '#team': 'team', '#variant': 'variant' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'variantCounts', ':team': update.team, ':variant': variant },
      },
    })),
  );
}

export interface DynamoStoreOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** Report consumed capacity to this callback (the benchmark counts it). */
  onConsumed?: (units: number) => void;
}

export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly onConsumed?: (units: number) => void;

  constructor(options: DynamoStoreOptions) {
    this.doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.onConsumed = options.onConsumed;
  }

  private get capacity() {
    return this.onConsumed ? ({ ReturnConsumedCapacity: 'TOTAL' } as const) : {};
  }

  private count(consumed: { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined) {
    if (!this.onConsumed || !consumed) return;
    const list = Array.isArray(consumed) ? consumed : [consumed];
    this.onConsumed(list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0));
  }

  /** One item by key, without the key attributes. */
  private async get<T>(key: { pk: string; sk: string }, consistent = false): Promise<T | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ...(consistent ? { ConsistentRead: true } : {}), ...this.capacity }));
    this.count(out.ConsumedCapacity);
    return strip<T>(out.Item);
  }

  /** A put or update; false when its condition failed, so each caller says what that means. */
  private async write(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      const out = await this.doc.send(command as PutCommand);
      this.count(out.ConsumedCapacity);
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async getRep(repId: string): Promise<Rep | undefined> {
    return this.get<Rep>(keys.rep(repId));
  }

  async putRep(rep: Rep): Promise<void> {
    await this.write(new PutCommand({ TableName: this.table, Item: { ...keys.rep(rep.id), type: 'rep', ...rep }, ...this.capacity }));
  }

  async createProspect(prospect: Prospect): Promise<void> {
    const created = await this.write(
      new PutCommand({
        TableName: this.table,
        Item: prospectItem(prospect),
        ConditionExpression: 'attribute_not_exists(pk)',
        ...this.capacity,
      }),
    );
    if (!created) throw new ConflictError('duplicate_id', `A prospect with id ${prospect.id} already exists: pick another id or leave it out`);
  }

  async getProspect(repId: string, prospectId: string): Promise<Prospect | undefined> {
    return this.get<Prospect>(keys.prospect(repId, prospectId), true);
  }

  async getProspectBundle(repId: string, prospectId: string): Promise<ProspectBundle | undefined> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.prospectPk(repId, prospectId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const prospectItem = items.find((i) => i.sk === 'PROSPECT');
    if (!prospectItem) return undefined;
    const calls = items.filter((i) => String(i.sk).startsWith('CALL#')).map((i) => strip<Call>(i)!);
    const touches = items
      .filter((i) => String(i.sk).startsWith('TOUCH#'))
      .map((i) => strip<Touch>(i)!)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    return { prospect: strip<Prospect>(prospectItem)!, calls, touches };
  }

  async saveProspect(prospect: Prospect, expectedVersion: number): Promise<void> {
    const saved = await this.write(
      new PutCommand({
        TableName: this.table,
        Item: prospectItem(prospect),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
        ...this.capacity,
      }),
    );
    if (!saved) throw new VersionConflictError();
  }

  async commitOutcome(commit: OutcomeCommit): Promise<void> {
    const { prospect } = commit;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: prospectItem(prospect),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': commit.expectedVersion },
        },
      },
      ...(commit.call
        ? [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.call(commit.call), type: 'call', ...commit.call },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...commit.newTouches.map((t) => ({ Put: { TableName: this.table, Item: touchItem(t) } })),
      ...commit.cancelTouches.map(({ touch, reason }) => ({
        Update: {
          TableName: this.table,
          Key: keys.touch(touch),
          UpdateExpression: 'SET #s = :c, reason = :r, updatedAt = :u REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
          ConditionExpression: '#s = :sch',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':c': 'cancelled', ':r': reason, ':u': prospect.updatedAt, ':sch': 'scheduled' },
        },
      })),
      ...(commit.variantCounts ? variantCountItems(this.table, commit.variantCounts) : []),
    ];
    if (commit.idempotency) {
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.idempotency(prospect.repId, commit.idempotency.key),
            type: 'idempotency',
            ...commit.idempotency,
            expiresAt: Math.floor(Date.parse(prospect.updatedAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      const out = await this.doc.send(new TransactWriteCommand({ TransactItems: items, ...this.capacity }));
      this.count(out.ConsumedCapacity);
    } catch (error) {
      const name = (error as Error).name;
      // A failed condition or a concurrent transaction on the same items: the caller reloads and replans.
      if (name === 'TransactionCanceledException' || name === 'TransactionConflictException') {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const idempotencyLost = commit.idempotency && reasons[reasons.length - 1]?.Code === 'ConditionalCheckFailed';
        if (idempotencyLost) throw new IdempotencyRaceError({ cause: error });
        throw new VersionConflictError({ cause: error });
      }
      throw error;
    }
  }

  async updateIdempotencyResponse(repId: string, key: string, response: unknown): Promise<void> {
    await this.write(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.idempotency(repId, key),
        UpdateExpression: 'SET #r = :r',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#r': 'response' },
        ExpressionAttributeValues: { ':r': response },
        ...this.capacity,
      }),
    );
  }

  async getIdempotency(repId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.get<IdempotencyRecord>(keys.idempotency(repId, key), true);
  }

  async getTouch(repId: string, prospectId: string, touchId: string): Promise<Touch | undefined> {
    return this.get<Touch>(keys.touch({ repId, prospectId, id: touchId }), true);
  }

  async findTouch(touchId: string): Promise<Touch | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byTouchId',
        KeyConditionExpression: 'touchId = :t',
        ExpressionAttributeValues: { ':t': touchId },
        Limit: 1,
        ...this.capacity,
      }),
    );
    this.count(out.ConsumedCapacity);
    const ref = out.Items?.[0];
    if (!ref) return undefined;
    return this.get<Touch>({ pk: String(ref.pk), sk: String(ref.sk) }, true);
  }

  async claimTouch(
    ref: { repId: string; prospectId: string; id: string; dueAt?: string },
    now: string,
    staleBefore: string,
  ): Promise<{ claimed?: Touch; current?: Touch }> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.touch(ref),
          UpdateExpression: 'SET claimedAt = :now',
          ConditionExpression: `#s = :sch${ref.dueAt ? ' AND dueAt = :due' : ''} AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':now': now, ':sch': 'scheduled', ':stale': staleBefore, ...(ref.dueAt ? { ':due': ref.dueAt } : {}) },
          ReturnValues: 'ALL_NEW',
          // When the claim fails, the same call says why: no second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      return { claimed: strip<Touch>(out.Attributes) };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        const item = (error as { Item?: Record<string, unknown> }).Item;
        return { current: item ? strip<Touch>(unmarshall(item as never)) : undefined };
      }
      throw error;
    }
  }

  async claimAsRead(claim: ReadClaim): Promise<ReadClaimResult> {
    return claimAsRead({ doc: this.doc, table: this.table, capacity: this.capacity, count: (c) => this.count(c) }, claim);
  }

  async updateTouch(touch: Touch, update: TouchUpdate, ifStatus?: Touch['status']): Promise<boolean> {
    const names: Record<string, string> = { '#s': 'status' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    const next: Touch = { ...touch };
    for (const [field, value] of Object.entries(update) as [keyof TouchUpdate, unknown][]) {
      if (value === undefined) continue;
      const name = field === 'status' ? '#s' : field;
      if (value === null) {
        removes.push(name);
        delete (next as unknown as Record<string, unknown>)[field];
      } else {
        sets.push(`${name} = :${field}`);
        values[`:${field}`] = value;
        (next as unknown as Record<string, unknown>)[field] = value;
      }
    }
    sets.push('updatedAt = :updatedAt');
    values[':updatedAt'] = new Date().toISOString();
    // The indexes follow status and dueAt in this same write: the agenda keeps scheduled and failed
    // touches, the sweep's byDue scheduled ones alone.
    if (IN_AGENDA.has(next.status)) {
      const due = keys.due(next);
      sets.push('gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk');
      values[':gsi1pk'] = due.gsi1pk;
      values[':gsi1sk'] = due.gsi1sk;
    } else {
      removes.push('gsi1pk', 'gsi1sk');
    }
    if (next.status === 'scheduled') {
      const pending = keys.pending(next);
      sets.push('gsi2pk = :gsi2pk', 'gsi2sk = :gsi2sk');
      values[':gsi2pk'] = pending.gsi2pk;
      values[':gsi2sk'] = pending.gsi2sk;
    } else {
      removes.push('gsi2pk', 'gsi2sk');
    }
    let condition = 'attribute_exists(pk)';
    if (ifStatus) {
      condition += ' AND #s = :ifStatus';
      values[':ifStatus'] = ifStatus;
    }
    const expression = `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`;
    if (!expression.includes('#s') && !condition.includes('#s')) delete names['#s'];
    return this.write(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.touch(touch),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ...this.capacity,
      }),
    );
  }

  async moveTouch(touch: Touch, to: { dueAt: string; promiseAt?: string | null }, staleBefore: string, prospect?: { next: Prospect; expectedVersion: number }): Promise<boolean> {
    const moved = { ...touch, dueAt: to.dueAt };
    const values: Record<string, unknown> = {
      ':due': to.dueAt,
      ':read': touch.dueAt,
      ':sch': 'scheduled',
      ':stale': staleBefore,
      ':u': new Date().toISOString(),
      ...Object.fromEntries(Object.entries({ ...keys.due(moved), ...keys.pending(moved) }).map(([k, v]) => [`:${k}`, v])),
    };
    let expression = 'SET dueAt = :due, updatedAt = :u, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk';
    if (to.promiseAt) {
      expression += ', promiseAt = :promise';
      values[':promise'] = to.promiseAt;
    } else if (to.promiseAt === null) {
      expression += ' REMOVE promiseAt';
    }
    const update = {
      TableName: this.table,
      Key: keys.touch(touch),
      UpdateExpression: expression,
      // What the mover read: still scheduled for that time, and not being sent right now.
      ConditionExpression: '#s = :sch AND dueAt = :read AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: values,
    };
    if (!prospect) return this.write(new UpdateCommand({ ...update, ...this.capacity }));
    try {
      const out = await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            { Put: { TableName: this.table, Item: prospectItem(prospect.next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': prospect.expectedVersion } } },
          ],
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      return true;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TransactionCanceledException' || name === 'TransactionConflictException') return false;
      throw error;
    }
  }

  async getSuppression(email: string): Promise<Suppression | undefined> {
    return this.get<Suppression>(keys.suppression(email));
  }

  async addSuppression(suppression: Suppression): Promise<boolean> {
    return this.write(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.suppression(suppression.email), type: 'suppression', ...suppression, email: suppression.email.trim().toLowerCase() },
        ConditionExpression: 'attribute_not_exists(pk)',
        ...this.capacity,
      }),
    );
  }

  async listFollowups(repId: string, from: string, to: string, limit = AGENDA_LIMIT): Promise<Touch[]> {
    const touches: Touch[] = [];
    let start: Record<string, unknown> | undefined;
    // A Query answers at most 1 MB a page: a busy rep's two weeks take several.
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byRepDue',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `REP#${seg(repId)}`, ':from': from, ':to': `${to}` },
          Limit: limit - touches.length,
          ExclusiveStartKey: start,
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      touches.push(...(out.Items ?? []).map((i) => strip<Touch>(i)!).filter((t) => t.dueAt < to && IN_AGENDA.has(t.status)));
      start = out.LastEvaluatedKey;
    } while (start && touches.length < limit);
    return touches;
  }

  async listOverdue(before: string, limit: number): Promise<OverdueTouch[]> {
    const shards = await Promise.all(
      Array.from({ length: BY_DUE_SHARDS }, async (_, shard) => {
        const found: OverdueTouch[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.doc.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: 'byDue',
              // "<dueAt>#<id>" < "<before>" holds exactly when dueAt < before: the instants have one format.
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
              ExpressionAttributeValues: { ':pk': `DUE#${shard}`, ':before': before },
              ProjectionExpression: 'touchId, repId, prospectId, dueAt, kind',
              Limit: limit - found.length,
              ExclusiveStartKey: start,
              ...this.capacity,
            }),
          );
          this.count(out.ConsumedCapacity);
          for (const item of out.Items ?? []) {
            found.push({ id: String(item.touchId), repId: String(item.repId), prospectId: String(item.prospectId), dueAt: String(item.dueAt), kind: item.kind as Touch['kind'] });
          }
          start = out.LastEvaluatedKey;
        } while (start && found.length < limit);
        return found;
      }),
    );
    return shards
      .flat()
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  async countRepair(ref: DueTouchRef): Promise<number | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.touch(ref),
          UpdateExpression: 'ADD repairs :one SET updatedAt = :u',
          ConditionExpression: '#s = :sch AND dueAt = :due',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':u': new Date().toISOString(), ':sch': 'scheduled', ':due': ref.dueAt },
          ReturnValues: 'UPDATED_NEW',
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      return Number(out.Attributes?.repairs);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async failTouch(ref: DueTouchRef, reason: string): Promise<boolean> {
    // Failed touches stay in the agenda (gsi1 is kept) and leave the sweep's index in the same write.
    return this.write(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.touch(ref),
        UpdateExpression: 'SET #s = :f, reason = :r, updatedAt = :u REMOVE claimedAt, gsi2pk, gsi2sk',
        ConditionExpression: '#s = :sch AND dueAt = :due',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'failed', ':r': reason, ':u': new Date().toISOString(), ':sch': 'scheduled', ':due': ref.dueAt },
        ...this.capacity,
      }),
    );
  }

  async addTouch(touch: Touch): Promise<boolean> {
    return this.write(
      new PutCommand({ TableName: this.table, Item: touchItem(touch), ConditionExpression: 'attribute_not_exists(pk)', ...this.capacity }),
    );
  }

  async recordSendEvent(ref: Pick<Touch, 'repId' | 'prospectId' | 'id'>, sent: { messageId: string; at: string; subject?: string; header?: string }): Promise<boolean> {
    const { header, ...seen } = sent;
    // Only these attributes: a Send event can arrive while the fire function is still marking the touch sent.
    return this.write(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.touch(ref),
        UpdateExpression: `SET sesSent = :s${header ? ', messageIdHeader = :h' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':s': seen, ...(header ? { ':h': header } : {}) },
        ...this.capacity,
      }),
    );
  }

  async listProspects(repId: string, options: ProspectListOptions = {}): Promise<Prospect[]> {
    const limit = options.limit ?? Infinity;
    const kept: Prospect[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: BY_REP_INDEX,
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': `REP#${seg(repId)}` },
          // Without a filter the first page is the answer; with one, pages of a few hundred small items.
          Limit: options.match || !Number.isFinite(limit) ? 250 : limit,
          ExclusiveStartKey: start,
          ...this.capacity,
        }),
      );
      this.count(out.ConsumedCapacity);
      for (const item of out.Items ?? []) {
        const prospect = strip<Prospect>(item)!;
        if (options.match && !options.match(prospect)) continue;
        kept.push(prospect);
        if (kept.length >= limit) return kept;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return kept;
  }

  async getVariantCounts(team: string): Promise<Record<string, VariantCounts>> {
    return this.sumVariantCounts('pk = :pk AND begins_with(sk, :total)', { ':pk': keys.variantsPk(team), ':total': 'TOTAL#' });
  }

  async getVariantCountsByDay(team: string, fromDay: string, toDay: string): Promise<Record<string, VariantCounts>> {
    // '$' sorts right after '#': the upper bound takes in every variant of the last day.
    return this.sumVariantCounts('pk = :pk AND sk BETWEEN :from AND :to', { ':pk': keys.variantsPk(team), ':from': `DAY#${fromDay}#`, ':to': `DAY#${toDay}$` });
  }

  private async sumVariantCounts(condition: string, values: Record<string, string>): Promise<Record<string, VariantCounts>> {
    const counts: Record<string, VariantCounts> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: condition, ExpressionAttributeValues: values, ExclusiveStartKey: start, ...this.capacity }),
      );
      this.count(out.ConsumedCapacity);
      for (const item of out.Items ?? []) {
        const variant = String(item.variant);
        const current = counts[variant] ?? { used: 0, callbacks: 0 };
        counts[variant] = { used: current.used + Number(item.used ?? 0), callbacks: current.callbacks + Number(item.callbacks ?? 0) };
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return counts;
  }
}
