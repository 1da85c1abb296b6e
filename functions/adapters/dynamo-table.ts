/**
 * The one DynamoDB table: its keys, item shapes and definition (the store that reads and writes
 * it is dynamo-store.ts).
 *
 *   rep        pk REP#<rep>                  sk REP
 *   prospect   pk PROSPECT#<rep>#<prospect>  sk PROSPECT
 *              (+ gsi3pk REP#<rep>, gsi3sk PROSPECT#<folded name>#<prospect>: GSI byRep, a rep's prospects by name)
 *   call       pk PROSPECT#<rep>#<prospect>  sk CALL#<ulid>
 *   touch      pk PROSPECT#<rep>#<prospect>  sk TOUCH#<touchId>   (+ touchId for GSI byTouchId;
 *              gsi1pk REP#<rep>, gsi1sk <dueAt>#<touchId> only while scheduled or failed: GSI byRepDue,
 *              the rep's agenda, which shows what failed beside what is pending;
 *              gsi2pk DUE#<0-7>, gsi2sk <dueAt>#<touchId> only while scheduled: GSI byDue, the sweep's)
 *   idempotency pk IDEMPOTENCY#<rep>#<key>   sk IDEMPOTENCY  (expiresAt TTL)
 *   suppression pk SUPPRESSION#<address>      sk SUPPRESSION
 *   script counts pk VARIANTS#<team>          sk TOTAL#<variant>            (used, callbacks: ADD only)
 *              and by UTC day                 sk DAY#<yyyy-mm-dd>#<variant>
 *
 * One prospect's records share a partition, so one Query reads a prospect whole and one
 * transaction records an outcome.
 *
 * byDue is sparse and every write that takes a touch out of `scheduled` removes its gsi2 keys in
 * that same write, so the index holds exactly the promises still open. Its partition key is
 * sharded by touch id over {@link BY_DUE_SHARDS} values: every touch written anywhere writes this
 * index, and one key value takes at most 1,000 writes a second (a GSI that cannot keep up throttles
 * the table's writes). The sweep reads the shards in parallel, a few Query calls every 5 minutes.
 */
import { nameKey } from '../core/prospect-search.js';
import type { Call, Prospect, Touch } from '../core/schemas.js';
import { QueryCommand, type DynamoDBDocumentClient, type PutCommand, type QueryCommandInput, type UpdateCommand } from '@aws-sdk/lib-dynamodb';

export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type', 'expiresAt'] as const;
/** The index of a rep's prospects by name (sparse: only prospect items carry gsi3pk). */
export const BY_REP_INDEX = 'byRep';

/** How many partition key values the byDue index spreads over (see the header). */
export const BY_DUE_SHARDS = 8;

/** A touch's byDue shard: a hash of its id, so a rescheduled touch keeps its shard. */
export function dueShard(touchId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < touchId.length; i++) hash = Math.imul(hash ^ touchId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BY_DUE_SHARDS;
}

/**
 * The most touches one agenda read answers: a rep's whole two weeks (2,000 pending is a busy
 * rep), about 0.3 KB each presented, well inside a Lambda response's 6 MB.
 */
export const AGENDA_LIMIT = 5000;

/** Statuses the rep's agenda index (byRepDue) keeps; byDue keeps `scheduled` alone. */
export const IN_AGENDA: ReadonlySet<Touch['status']> = new Set(['scheduled', 'failed']);

/** A key segment: ids and addresses escaped, so a `#` in one cannot forge another key. */
export const seg = (s: string) => encodeURIComponent(s);
export const keys = {
  rep: (repId: string) => ({ pk: `REP#${seg(repId)}`, sk: 'REP' }),
  prospectPk: (repId: string, prospectId: string) => `PROSPECT#${seg(repId)}#${prospectId}`,
  prospect: (repId: string, prospectId: string) => ({ pk: keys.prospectPk(repId, prospectId), sk: 'PROSPECT' }),
  call: (call: Call) => ({ pk: keys.prospectPk(call.repId, call.prospectId), sk: `CALL#${call.id}` }),
  touch: (t: Pick<Touch, 'repId' | 'prospectId' | 'id'>) => ({ pk: keys.prospectPk(t.repId, t.prospectId), sk: `TOUCH#${t.id}` }),
  suppression: (email: string) => ({ pk: `SUPPRESSION#${seg(email.trim().toLowerCase())}`, sk: 'SUPPRESSION' }),
  idempotency: (repId: string, key: string) => ({ pk: `IDEMPOTENCY#${seg(repId)}#${seg(key)}`, sk: 'IDEMPOTENCY' }),
  due: (t: Pick<Touch, 'repId' | 'id' | 'dueAt'>) => ({ gsi1pk: `REP#${seg(t.repId)}`, gsi1sk: `${t.dueAt}#${t.id}` }),
  pending: (t: Pick<Touch, 'id' | 'dueAt'>) => ({ gsi2pk: `DUE#${dueShard(t.id)}`, gsi2sk: `${t.dueAt}#${t.id}` }),
  byName: (p: Pick<Prospect, 'repId' | 'id' | 'name'>) => ({ gsi3pk: `REP#${seg(p.repId)}`, gsi3sk: `PROSPECT#${nameKey(p.name)}#${p.id}` }),
  variantsPk: (team: string) => `VARIANTS#${seg(team)}`,
  variantTotal: (team: string, variant: string) => ({ pk: keys.variantsPk(team), sk: `TOTAL#${variant}` }),
  variantDay: (team: string, day: string, variant: string) => ({ pk: keys.variantsPk(team), sk: `DAY#${day}#${variant}` }),
};

/** Every write of a prospect puts the whole item, its name-index keys with it (a rename moves it in the index). */
export function prospectItem(p: Prospect): Record<string, unknown> {
  return { ...keys.prospect(p.repId, p.id), ...keys.byName(p), type: 'prospect', ...p };
}

/** An item as the store answers it: without the key and index attributes. */
export function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

/** DocumentClient refuses undefined values unless told; we drop them so items stay small. */
export function touchItem(t: Touch): Record<string, unknown> {
  return {
    ...keys.touch(t),
    type: 'touch',
    touchId: t.id,
    ...(IN_AGENDA.has(t.status) ? keys.due(t) : {}),
    ...(t.status === 'scheduled' ? keys.pending(t) : {}),
    ...t,
  };
}


/** What the byDue index carries besides its keys (infra/constructs/data.ts BY_DUE_PROJECTED_ATTRIBUTES). */
export const BY_DUE_PROJECTION = ['touchId', 'repId', 'prospectId', 'dueAt', 'kind'];

/** The table the store expects, for the local runtime, tests and the benchmark (CDK builds the same). */
export const tableDefinition = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
    { AttributeName: 'gsi1pk', AttributeType: 'S' as const },
    { AttributeName: 'gsi1sk', AttributeType: 'S' as const },
    { AttributeName: 'gsi2pk', AttributeType: 'S' as const },
    { AttributeName: 'gsi2sk', AttributeType: 'S' as const },
    { AttributeName: 'touchId', AttributeType: 'S' as const },
    { AttributeName: 'gsi3pk', AttributeType: 'S' as const },
    { AttributeName: 'gsi3sk', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byRepDue',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
    {
      IndexName: 'byTouchId',
      KeySchema: [{ AttributeName: 'touchId', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    },
    {
      IndexName: BY_REP_INDEX,
      KeySchema: [
        { AttributeName: 'gsi3pk', KeyType: 'HASH' as const },
        { AttributeName: 'gsi3sk', KeyType: 'RANGE' as const },
      ],
      // ALL: a search answers whole prospects from the index, with no read per result (prospect items are small).
      Projection: { ProjectionType: 'ALL' as const },
    },
    {
      IndexName: 'byDue',
      KeySchema: [
        { AttributeName: 'gsi2pk', KeyType: 'HASH' as const },
        { AttributeName: 'gsi2sk', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: BY_DUE_PROJECTION },
    },
  ],
});

/** What the Store's parts need of it: the client, the table, and the capacity they report (the benchmark counts it). */
export interface TableContext {
  doc: DynamoDBDocumentClient;
  table: string;
  capacity: { ReturnConsumedCapacity?: 'TOTAL' };
  count(consumed: { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined): void;
}

/**
 * Every item a consistent Query answers, page by page (a page holds at most 1 MB:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
 */
export async function queryAll(db: TableContext, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'ConsistentRead'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, ConsistentRead: true, ExclusiveStartKey: start, ...db.capacity }));
    db.count(out.ConsumedCapacity);
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A put or update; false when its condition failed, so each caller says what that means. */
export async function conditionalWrite(db: TableContext, command: PutCommand | UpdateCommand): Promise<boolean> {
  try {
    const out = await db.doc.send(command as PutCommand);
    db.count(out.ConsumedCapacity);
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
