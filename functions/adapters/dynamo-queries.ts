/**
 * The Store's index queries for a rep: the agenda on byRepDue and the prospect list on byRep.
 * A Query answers at most 1 MB a page, so each follows LastEvaluatedKey until it has what it needs
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Prospect, Touch } from '../core/schemas.js';
import type { ProspectListOptions } from '../ports/store.js';
import { AGENDA_LIMIT, BY_REP_INDEX, IN_AGENDA, seg, strip, type TableContext } from './dynamo-table.js';

export async function listFollowups(db: TableContext, repId: string, from: string, to: string, limit = AGENDA_LIMIT): Promise<Touch[]> {
  const touches: Touch[] = [];
  let start: Record<string, unknown> | undefined;
  // A Query answers at most 1 MB a page: a busy rep's two weeks take several.
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: 'byRepDue',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `REP#${seg(repId)}`, ':from': from, ':to': `${to}` },
        Limit: limit - touches.length,
        ExclusiveStartKey: start,
        ...db.capacity,
      }),
    );
    db.count(out.ConsumedCapacity);
    touches.push(...(out.Items ?? []).map((i) => strip<Touch>(i)!).filter((t) => t.dueAt < to && IN_AGENDA.has(t.status)));
    start = out.LastEvaluatedKey;
  } while (start && touches.length < limit);
  return touches;
}

export async function listProspects(db: TableContext, repId: string, options: ProspectListOptions = {}): Promise<Prospect[]> {
  const limit = options.limit ?? Infinity;
  const kept: Prospect[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: BY_REP_INDEX,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': `REP#${seg(repId)}` },
        // Without a filter the first page is the answer; with one, pages of a few hundred small items.
        Limit: options.match || !Number.isFinite(limit) ? 250 : limit,
        ExclusiveStartKey: start,
        ...db.capacity,
      }),
    );
    db.count(out.ConsumedCapacity);
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
