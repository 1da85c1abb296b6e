/**
 * The Store's reads and writes for the sweep: touches past their time on the sharded byDue index,
 * the count of schedules it recreated, and a touch ended failed. Each write holds only while the
 * touch is still scheduled for the due time the sweep read.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Touch } from '../core/schemas.js';
import type { DueTouchRef, OverdueTouch } from '../ports/store.js';
import { BY_DUE_SHARDS, conditionalWrite, keys, type TableContext } from './dynamo-table.js';

export async function listOverdue(db: TableContext, before: string, limit: number): Promise<OverdueTouch[]> {
  const shards = await Promise.all(
    Array.from({ length: BY_DUE_SHARDS }, async (_, shard) => {
      const found: OverdueTouch[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.doc.send(
          new QueryCommand({
            TableName: db.table,
            IndexName: 'byDue',
            // "<dueAt>#<id>" < "<before>" holds exactly when dueAt < before: the instants have one format.
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
            ExpressionAttributeValues: { ':pk': `DUE#${shard}`, ':before': before },
            ProjectionExpression: 'touchId, repId, prospectId, dueAt, kind',
            Limit: limit - found.length,
            ExclusiveStartKey: start,
            ...db.capacity,
          }),
        );
        db.count(out.ConsumedCapacity);
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

export async function countRepair(db: TableContext, ref: DueTouchRef): Promise<number | undefined> {
  try {
    const out = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.touch(ref),
        UpdateExpression: 'ADD repairs :one SET updatedAt = :u',
        ConditionExpression: '#s = :sch AND dueAt = :due',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':u': new Date().toISOString(), ':sch': 'scheduled', ':due': ref.dueAt },
        ReturnValues: 'UPDATED_NEW',
        ...db.capacity,
      }),
    );
    db.count(out.ConsumedCapacity);
    return Number(out.Attributes?.repairs);
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

export async function failTouch(db: TableContext, ref: DueTouchRef, reason: string): Promise<boolean> {
  // Failed touches stay in the agenda (gsi1 is kept) and leave the sweep's index in the same write.
  return conditionalWrite(db, 
    new UpdateCommand({
      TableName: db.table,
      Key: keys.touch(ref),
      UpdateExpression: 'SET #s = :f, reason = :r, updatedAt = :u REMOVE claimedAt, gsi2pk, gsi2sk',
      ConditionExpression: '#s = :sch AND dueAt = :due',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':f': 'failed', ':r': reason, ':u': new Date().toISOString(), ':sch': 'scheduled', ':due': ref.dueAt },
      ...db.capacity,
    }),
  );
}
