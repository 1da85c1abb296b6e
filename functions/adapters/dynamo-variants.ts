/** The Store's script counts per team: added with ADD in the call's transaction, summed by a Query. */
import { QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { VariantCounts } from '../core/variants.js';
import type { VariantCountUpdate } from '../ports/store.js';
import { keys, type TableContext } from './dynamo-table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Adds to a team's script counts with ADD, never read-modify-write: every rep of the team writes
 * the same items, and concurrent ADDs all count.
 */
export function variantCountItems(table: string, update: VariantCountUpdate): TransactItem[] {
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


export async function sumVariantCounts(db: TableContext, condition: string, values: Record<string, string>): Promise<Record<string, VariantCounts>> {
  const counts: Record<string, VariantCounts> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({ TableName: db.table, KeyConditionExpression: condition, ExpressionAttributeValues: values, ExclusiveStartKey: start, ...db.capacity }),
    );
    db.count(out.ConsumedCapacity);
    for (const item of out.Items ?? []) {
      const variant = String(item.variant);
      const current = counts[variant] ?? { used: 0, callbacks: 0 };
      counts[variant] = { used: current.used + Number(item.used ?? 0), callbacks: current.callbacks + Number(item.callbacks ?? 0) };
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return counts;
}
