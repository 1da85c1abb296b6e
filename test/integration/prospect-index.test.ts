/**
 * The byRep index on DynamoDB Local: a rep's prospects by name, for the console's search and the
 * promises report. Sparse (prospect items only), kept in step on every prospect write, paged through.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DynamoStore, tableDefinition } from '../../functions/adapters/dynamo-store.js';
import type { Call, Prospect, Touch } from '../../functions/core/schemas.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';

const NOW = '2026-11-23T15:00:00Z';

function prospect(repId: string, id: string, name: string, extra: Partial<Prospect> = {}): Prospect {
  return { id, repId, name, timezone: 'America/New_York', hotButtons: [], status: 'active', attempts: 0, version: 1, createdAt: NOW, updatedAt: NOW, ...extra };
}

describe('DynamoStore.listProspects (GSI byRep)', () => {
  let client: DynamoDBClient;
  let store: DynamoStore;
  let tableName: string;

  beforeAll(async () => {
    client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    tableName = `t-${randomUUID()}`;
    await ensureTable(client, tableName);
    store = new DynamoStore({ client, tableName });
  });

  afterAll(() => client.destroy());

  it("lists only the rep's prospects, by name with case and accents folded, then id; calls and touches stay out", async () => {
    // Prepare
    await store.createProspect(prospect('rep-a', 'p3', 'zoë Quinn'));
    await store.createProspect(prospect('rep-a', 'p1', 'Adam West', { company: 'Harbor Mills' }));
    await store.createProspect(prospect('rep-a', 'p2', 'Zoe Adams'));
    await store.createProspect(prospect('rep-a', 'p0', 'adam west'));
    await store.createProspect(prospect('rep-b', 'p9', 'Aaron Other'));
    const call: Call = { id: 'c1', prospectId: 'p1', repId: 'rep-a', outcome: 'voicemail', at: NOW, hotButtons: [], decisionMakers: [], materials: [], sendRecap: false, recordedAt: NOW };
    const touch = { id: 't1', repId: 'rep-a', prospectId: 'p1', callId: 'c1', kind: 'rep_reminder', channel: 'email', status: 'scheduled', dueAt: '2026-11-24T15:00:00Z', recipient: 'rep', timezone: 'America/New_York', prospectName: 'Adam West', createdAt: NOW, updatedAt: NOW } as Touch;
    const p1 = (await store.getProspect('rep-a', 'p1'))!;
    await store.commitOutcome({ prospect: { ...p1, version: 2, lastCallAt: NOW }, expectedVersion: 1, call, newTouches: [touch], cancelTouches: [] });

    // Act
    const listed = await store.listProspects('rep-a');

    // Assess
    expect(listed.map((p) => [p.id, p.name])).toEqual([
      ['p0', 'adam west'],
      ['p1', 'Adam West'],
      ['p2', 'Zoe Adams'],
      ['p3', 'zoë Quinn'],
    ]);
    // Whole prospects, as written last (the outcome's commit), without the index's keys.
    expect(listed[1]).toEqual({ ...prospect('rep-a', 'p1', 'Adam West', { company: 'Harbor Mills' }), version: 2, lastCallAt: NOW });
    expect((await store.listProspects('rep-b')).map((p) => p.id)).toEqual(['p9']);
    expect(await store.listProspects('rep-nobody')).toEqual([]);
  });

  it('moves a renamed prospect to its new place', async () => {
    // Prepare
    const before = (await store.getProspect('rep-a', 'p0'))!;

    // Act
    await store.saveProspect({ ...before, name: 'Yara Stone', version: before.version + 1 }, before.version);

    // Assess
    expect((await store.listProspects('rep-a')).map((p) => p.name)).toEqual(['Adam West', 'Yara Stone', 'Zoe Adams', 'zoë Quinn']);
  });

  it('pages through a long book, keeps what matches, and stops at the limit', async () => {
    // Prepare: 260 prospects, more than one page of the index.
    const ids = Array.from({ length: 260 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < ids.length; i += 26) {
      await Promise.all(ids.slice(i, i + 26).map((id, j) => store.createProspect(prospect('rep-bulk', id, `Name ${String(i + j).padStart(3, '0')}`, (i + j) % 10 === 0 ? { company: 'Tenth Co' } : {}))));
    }
    let units = 0;
    const counting = new DynamoStore({ client, tableName, onConsumed: (u) => (units += u) });

    // Act
    const tenths = await store.listProspects('rep-bulk', { match: (p) => p.company === 'Tenth Co' });
    const firstThree = await counting.listProspects('rep-bulk', { match: (p) => p.company === 'Tenth Co', limit: 3 });
    const firstPage = await store.listProspects('rep-bulk', { limit: 50 });

    // Assess
    expect(tenths).toHaveLength(26);
    expect(tenths.map((p) => p.id)).toEqual(ids.filter((_, i) => i % 10 === 0));
    expect(firstThree.map((p) => p.id)).toEqual(['bulk-000', 'bulk-010', 'bulk-020']);
    expect(units).toBeGreaterThan(0);
    expect(firstPage.map((p) => p.id)).toEqual(ids.slice(0, 50));
  });

  it('adds the index to a table made before it existed (a kept .data folder)', async () => {
    // Prepare
    const old = `t-${randomUUID()}`;
    const definition = tableDefinition(old);
    await client.send(
      new CreateTableCommand({
        ...definition,
        AttributeDefinitions: definition.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi3')),
        GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes.filter((i) => i.IndexName !== 'byRep'),
      }),
    );

    // Act
    const result = await ensureTable(client, old);

    // Assess
    expect(result).toBe('updated');
    const indexes = (await client.send(new DescribeTableCommand({ TableName: old }))).Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName);
    expect(indexes).toContain('byRep');
    const later = new DynamoStore({ client, tableName: old });
    await later.createProspect(prospect('rep-a', 'p1', 'Adam West'));
    expect((await later.listProspects('rep-a')).map((p) => p.id)).toEqual(['p1']);
    expect(await ensureTable(client, old)).toBe('exists');
  });
});
