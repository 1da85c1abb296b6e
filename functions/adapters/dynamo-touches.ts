/**
 * The Store's writes on a touch after it was planned: an update of its fields (the indexes follow
 * its status and due time in the same write), and a move to a new time, conditioned on the time
 * the mover read, with the prospect's attempt moved in the same transaction when it follows.
 */
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Prospect, Touch } from '../core/schemas.js';
import type { TouchUpdate } from '../ports/store.js';
import { conditionalWrite, IN_AGENDA, keys, prospectItem, type TableContext } from './dynamo-table.js';

export async function updateTouch(db: TableContext, touch: Touch, update: TouchUpdate, ifStatus?: Touch['status']): Promise<boolean> {
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const next: Touch = { ...touch };
  for (const [field, value] of Object.entries(update) as [keyof TouchUpdate, unknown][]) {
    if (value === undefined) continue;
    // Every field by a placeholder: some are DynamoDB reserved words (status, timezone).
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
    const name = field === 'status' ? '#s' : `#${field}`;
    if (field !== 'status') names[name] = field;
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
  const usesStatus = /#s(?!\w)/;
  if (!usesStatus.test(expression) && !usesStatus.test(condition)) delete names['#s'];
  return conditionalWrite(db, 
    new UpdateCommand({
      TableName: db.table,
      Key: keys.touch(touch),
      UpdateExpression: expression,
      ConditionExpression: condition,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ...db.capacity,
    }),
  );
}

export async function moveTouch(db: TableContext, touch: Touch, to: { dueAt: string; promiseAt?: string | null }, staleBefore: string, prospect?: { next: Prospect; expectedVersion: number }): Promise<boolean> {
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
    TableName: db.table,
    Key: keys.touch(touch),
    UpdateExpression: expression,
    // What the mover read: still scheduled for that time, and not being sent right now.
    ConditionExpression: '#s = :sch AND dueAt = :read AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: values,
  };
  if (!prospect) return conditionalWrite(db, new UpdateCommand({ ...update, ...db.capacity }));
  try {
    const out = await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: update },
          { Put: { TableName: db.table, Item: prospectItem(prospect.next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': prospect.expectedVersion } } },
        ],
        ...db.capacity,
      }),
    );
    db.count(out.ConsumedCapacity);
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TransactionCanceledException' || name === 'TransactionConflictException') return false;
    throw error;
  }
}
