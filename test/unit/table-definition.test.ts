/** The local table (tableDefinition) has the indexes the stack's table has, with the same keys and projections. */
import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../functions/adapters/dynamo-store.js';
import { BY_DUE_INDEX, BY_DUE_PROJECTED_ATTRIBUTES, BY_REP_DUE_INDEX, BY_REP_INDEX, BY_TOUCH_ID_INDEX } from '../../infra/constructs/data.js';

describe('tableDefinition', () => {
  const table = tableDefinition('t');
  const index = (name: string) => table.GlobalSecondaryIndexes.find((i) => i.IndexName === name);

  it('mirrors the stack: byRepDue, byTouchId, byRep and the sparse byDue with the projection the sweep reads', () => {
    expect(table.GlobalSecondaryIndexes.map((i) => i.IndexName).sort()).toEqual([BY_DUE_INDEX, BY_REP_DUE_INDEX, BY_REP_INDEX, BY_TOUCH_ID_INDEX].sort());
    expect(index(BY_DUE_INDEX)).toEqual({
      IndexName: 'byDue',
      KeySchema: [
        { AttributeName: 'gsi2pk', KeyType: 'HASH' },
        { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...BY_DUE_PROJECTED_ATTRIBUTES] },
    });
    const defined = table.AttributeDefinitions.map((a) => a.AttributeName);
    for (const key of table.GlobalSecondaryIndexes.flatMap((i) => i.KeySchema.map((k) => k.AttributeName))) expect(defined).toContain(key);
  });
});
