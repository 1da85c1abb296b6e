/**
 * The fire path's claim on a touch as it was read (Store.claimAsRead), in one TransactWriteItems:
 * the claim on the touch plus condition checks on the prospect, the rep and the suppression entry.
 * All of it holds or none is written, and when a condition fails, CancellationReasons says which,
 * in the order of the items, with the item as it stands where ReturnValuesOnConditionCheckFailure
 * asks for it (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Rep, Touch } from '../core/schemas.js';
import type { ReadClaim, ReadClaimResult, Suppression } from '../ports/store.js';
import { keys, strip, type TableContext } from './dynamo-table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Every field of a rep the messages read: a claim checks each is as read (Rep's own keys, so a new one is not forgotten). */
export const REP_FIELDS = ['name', 'email', 'phone', 'timezone', 'reminderChannel', 'company', 'signature', 'team', 'updatedAt'] as const satisfies readonly (keyof Rep)[];
type UncheckedRepField = Exclude<keyof Rep, (typeof REP_FIELDS)[number] | 'id' | 'createdAt'>;
const everyRepFieldChecked: [UncheckedRepField] extends [never] ? true : UncheckedRepField = true;
void everyRepFieldChecked;

/** A condition that holds while the rep item is as `rep` was read (a field added or removed since fails it too). */
function unchangedRep(rep: Rep): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms = REP_FIELDS.map((field, i) => {
    names[`#r${i}`] = field;
    const value = rep[field];
    if (value === undefined) return `attribute_not_exists(#r${i})`;
    values[`:r${i}`] = value;
    return `#r${i} = :r${i}`;
  });
  return { ConditionExpression: terms.join(' AND '), ExpressionAttributeNames: names, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) };
}

/** What the claim needs of the store (dynamo-table.ts). */
export type ClaimTable = TableContext;

/** The items, in the order CancellationReasons answers them. */
const PARTS = ['touch', 'prospect', 'rep', 'suppressed'] as const;

export async function claimAsRead(db: ClaimTable, claim: ReadClaim): Promise<ReadClaimResult> {
  const { touch } = claim;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: db.table,
        Key: keys.touch(touch),
        UpdateExpression: 'SET claimedAt = :now',
        // updatedAt: any write to the touch since the read (a cancel, a reschedule, a retry) moves it.
        // sesSent: a Send event recorded since says an earlier delivery sent it (fire-touch.ts marks it from that).
        ConditionExpression: '#s = :sch AND dueAt = :due AND updatedAt = :u AND attribute_not_exists(sesSent) AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':now': claim.now, ':sch': 'scheduled', ':due': touch.dueAt, ':u': touch.updatedAt, ':stale': claim.staleBefore },
        // When the claim fails, the same call says what the touch is now: no second read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { ConditionCheck: { TableName: db.table, Key: keys.prospect(touch.repId, touch.prospectId), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': claim.prospectVersion } } },
    { ConditionCheck: { TableName: db.table, Key: keys.rep(claim.rep.id), ...unchangedRep(claim.rep) } },
    ...(claim.unsuppressed
      ? [{ ConditionCheck: { TableName: db.table, Key: keys.suppression(claim.unsuppressed), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } }]
      : []),
  ];
  try {
    const out = await db.doc.send(new TransactWriteCommand({ TransactItems: items, ...db.capacity }));
    db.count(out.ConsumedCapacity);
    return { claimed: { ...touch, claimedAt: claim.now } };
  } catch (error) {
    const name = (error as Error).name;
    // A conflict with another transaction on these items cancels this one with no condition failed: read again.
    if (name !== 'TransactionCanceledException' && name !== 'TransactionConflictException') throw error;
    const reasons = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] }).CancellationReasons ?? [];
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    const item = <T>(i: number) => (failed(i) && reasons[i]?.Item ? strip<T>(unmarshall(reasons[i]!.Item as never)) : undefined);
    const current = item<Touch>(0);
    const suppression = item<Suppression>(3);
    return { moved: PARTS.filter((_, i) => failed(i)), ...(current ? { current } : {}), ...(suppression ? { suppression } : {}) };
  }
}

/**
 * Takes a touch for one delivery in one conditional UpdateItem: still scheduled (for that due time),
 * and not claimed by a delivery that is still within its lease.
 */
export async function claimTouch(
  db: TableContext,
  ref: { repId: string; prospectId: string; id: string; dueAt?: string },
  now: string,
  staleBefore: string,
): Promise<{ claimed?: Touch; current?: Touch }> {
  try {
    const out = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.touch(ref),
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: `#s = :sch${ref.dueAt ? ' AND dueAt = :due' : ''} AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':now': now, ':sch': 'scheduled', ':stale': staleBefore, ...(ref.dueAt ? { ':due': ref.dueAt } : {}) },
        ReturnValues: 'ALL_NEW',
        // When the claim fails, the same call says why: no second read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ...db.capacity,
      }),
    );
    db.count(out.ConsumedCapacity);
    return { claimed: strip<Touch>(out.Attributes) };
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      const item = (error as { Item?: Record<string, unknown> }).Item;
      return { current: item ? strip<Touch>(unmarshall(item as never)) : undefined };
    }
    throw error;
  }
}
