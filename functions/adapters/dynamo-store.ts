/**
 * The Store on one DynamoDB table: its keys and items are laid out in dynamo-table.ts; the fire
 * path's claims are in dynamo-claims.ts, later writes on a touch in dynamo-touches.ts, the rep's
 * index queries in dynamo-queries.ts, the sweep's in dynamo-sweep.ts, script counts in
 * dynamo-variants.ts. This class holds the rest and is what the ports see.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { AddressSuppressedError, ConflictError, IdempotencyRaceError, VersionConflictError } from '../core/errors.js';
import type { Call, Prospect, Rep, Touch } from '../core/schemas.js';
import type { VariantCounts } from '../core/variants.js';
import { claimAsRead, claimTouch } from './dynamo-claims.js';
import { listFollowups, listProspects } from './dynamo-queries.js';
import { countRepair, failTouch, listOverdue } from './dynamo-sweep.js';
import { moveTouch, updateTouch } from './dynamo-touches.js';
import { sumVariantCounts, variantCountItems } from './dynamo-variants.js';
import { AGENDA_LIMIT, conditionalWrite, keys, prospectItem, queryAll, strip, touchItem, type TableContext } from './dynamo-table.js';
import type { DueTouchRef, IdempotencyRecord, OutcomeCommit, OverdueTouch, ProspectBundle, ProspectListOptions, ReadClaim, ReadClaimResult, Store, Suppression, TouchUpdate } from '../ports/store.js';

export { BY_DUE_PROJECTION, BY_DUE_SHARDS, BY_REP_INDEX, dueShard, keys, tableDefinition } from './dynamo-table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

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

  /** A put or update; false when its condition failed. */
  private write(command: PutCommand | UpdateCommand): Promise<boolean> {
    return conditionalWrite(this.db, command);
  }

  /** This store as its parts (dynamo-*.ts) take it. */
  private get db(): TableContext {
    return { doc: this.doc, table: this.table, capacity: this.capacity, count: (c) => this.count(c) };
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
    const items = await queryAll(this.db, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.prospectPk(repId, prospectId) } });
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
      // Second, where the failure below looks for it: the planned email's address is not suppressed.
      ...(commit.unsuppressed
        ? [{ ConditionCheck: { TableName: this.table, Key: keys.suppression(commit.unsuppressed), ConditionExpression: 'attribute_not_exists(pk)' } }]
        : []),
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
        if (commit.unsuppressed && reasons[1]?.Code === 'ConditionalCheckFailed') throw new AddressSuppressedError({ cause: error });
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

  async getTouches(repId: string, prospectId: string, touchIds: readonly string[]): Promise<Map<string, Touch>> {
    const found = new Map<string, Touch>();
    if (touchIds.length === 0) return found;
    // The touches of one prospect share its partition and sort by id: one Query over the span of the
    // ids asked for answers them all (others in that span are left out).
    const wanted = new Set(touchIds);
    const sorted = [...wanted].sort();
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.prospectPk(repId, prospectId), ':from': `TOUCH#${sorted[0]}`, ':to': `TOUCH#${sorted.at(-1)}` },
    });
    for (const item of items) {
      const touch = strip<Touch>(item)!;
      if (wanted.has(touch.id)) found.set(touch.id, touch);
    }
    return found;
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

  async claimTouch(ref: { repId: string; prospectId: string; id: string; dueAt?: string }, now: string, staleBefore: string): Promise<{ claimed?: Touch; current?: Touch }> {
    return claimTouch(this.db, ref, now, staleBefore);
  }

  async claimAsRead(claim: ReadClaim): Promise<ReadClaimResult> {
    return claimAsRead(this.db, claim);
  }

  async updateTouch(touch: Touch, update: TouchUpdate, ifStatus?: Touch['status']): Promise<boolean> {
    return updateTouch(this.db, touch, update, ifStatus);
  }

  async moveTouch(touch: Touch, to: { dueAt: string; promiseAt?: string | null }, staleBefore: string, prospect?: { next: Prospect; expectedVersion: number }): Promise<boolean> {
    return moveTouch(this.db, touch, to, staleBefore, prospect);
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
    return listFollowups(this.db, repId, from, to, limit);
  }

  async listOverdue(before: string, limit: number): Promise<OverdueTouch[]> {
    return listOverdue(this.db, before, limit);
  }

  async countRepair(ref: DueTouchRef): Promise<number | undefined> {
    return countRepair(this.db, ref);
  }

  async failTouch(ref: DueTouchRef, reason: string): Promise<boolean> {
    return failTouch(this.db, ref, reason);
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
    return listProspects(this.db, repId, options);
  }

  async getVariantCounts(team: string): Promise<Record<string, VariantCounts>> {
    return sumVariantCounts(this.db, 'pk = :pk AND begins_with(sk, :total)', { ':pk': keys.variantsPk(team), ':total': 'TOTAL#' });
  }

  async getVariantCountsByDay(team: string, fromDay: string, toDay: string): Promise<Record<string, VariantCounts>> {
    // '$' sorts right after '#': the upper bound takes in every variant of the last day.
    return sumVariantCounts(this.db, 'pk = :pk AND sk BETWEEN :from AND :to', { ':pk': keys.variantsPk(team), ':from': `DAY#${fromDay}#`, ':to': `DAY#${toDay}$` });
  }


}
