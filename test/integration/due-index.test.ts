/**
 * The byDue index contract on DynamoDB Local: a touch is in it exactly while it is `scheduled`, and
 * every write that ends that (sent, cancelled by an outcome, failed) removes it in the same write;
 * failed touches stay in the rep's agenda. Read through the Store and through the raw items.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BY_DUE_SHARDS, DynamoStore, dueShard, keys } from '../../functions/adapters/dynamo-store.js';
import type { Prospect, Touch } from '../../functions/core/schemas.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';

const NOW = '2026-11-23T15:00:00Z';

function touch(id: string, dueAt: string, extra: Partial<Touch> = {}): Touch {
  return {
    id,
    repId: 'rep-due',
    prospectId: 'p-due',
    callId: 'call-1',
    kind: 'rep_reminder',
    channel: 'email',
    recipient: 'rep',
    status: 'scheduled',
    dueAt,
    timezone: 'America/New_York',
    prospectName: 'Pat',
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  };
}

const prospect: Prospect = {
  id: 'p-due',
  repId: 'rep-due',
  name: 'Pat',
  timezone: 'America/New_York',
  hotButtons: [],
  status: 'active',
  attempts: 0,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
};

describe('the byDue index on DynamoDB Local', () => {
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  let store: DynamoStore;
  const tableName = `due-${randomUUID()}`;
  const raw = async (t: Touch) => (await doc.send(new GetCommand({ TableName: tableName, Key: keys.touch(t) }))).Item!;

  beforeAll(async () => {
    client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    doc = DynamoDBDocumentClient.from(client);
    await ensureTable(client, tableName);
    store = new DynamoStore({ client, tableName });
    await store.createProspect(prospect);
  });

  afterAll(() => client?.destroy());

  it('spreads touches over every shard, each touch always on the same one', () => {
    const shards = new Set(Array.from({ length: 400 }, () => dueShard(randomUUID())));
    expect([...shards].sort()).toEqual(Array.from({ length: BY_DUE_SHARDS }, (_, i) => i));
    expect(dueShard('01KAXYZ')).toBe(dueShard('01KAXYZ'));
  });

  it('holds a touch while it is scheduled, and drops it in the write that sends, fails or cancels it', async () => {
    // Prepare: four scheduled touches, three of them overdue.
    const sent = touch('T-SENT', '2026-11-23T14:00:00Z');
    const failed = touch('T-FAILED', '2026-11-23T14:01:00Z');
    const cancelled = touch('T-CANCELLED', '2026-11-23T14:02:00Z');
    const future = touch('T-FUTURE', '2026-11-23T16:00:00Z');
    for (const t of [sent, failed, cancelled, future]) expect(await store.addTouch(t)).toBe(true);
    expect(await store.addTouch(sent)).toBe(false);
    expect((await raw(sent)).gsi2pk).toBe(`DUE#${dueShard(sent.id)}`);
    expect((await raw(sent)).gsi2sk).toBe(`${sent.dueAt}#${sent.id}`);
    expect((await store.listOverdue(NOW, 100)).map((t) => t.id)).toEqual(['T-SENT', 'T-FAILED', 'T-CANCELLED']);
    expect(await store.listOverdue(NOW, 2)).toEqual([
      { id: 'T-SENT', repId: 'rep-due', prospectId: 'p-due', dueAt: sent.dueAt, kind: 'rep_reminder' },
      { id: 'T-FAILED', repId: 'rep-due', prospectId: 'p-due', dueAt: failed.dueAt, kind: 'rep_reminder' },
    ]);

    // Act: one is sent, one fails (only for its own due time), one is superseded by an outcome.
    await store.updateTouch(sent, { status: 'sent', messageId: 'm-1', sentAt: NOW });
    expect(await store.failTouch({ ...failed, dueAt: '2026-11-23T13:00:00Z' }, 'stale')).toBe(false);
    expect(await store.failTouch(failed, 'could not be sent after 3 attempts')).toBe(true);
    expect(await store.failTouch(failed, 'again')).toBe(false);
    await store.commitOutcome({ prospect: { ...prospect, version: 2 }, expectedVersion: 1, newTouches: [], cancelTouches: [{ touch: cancelled, reason: 'superseded' }] });

    // Assess: only the future touch is left in byDue; the failed one stays in the agenda, with its reason.
    expect(await store.listOverdue('2026-11-24T00:00:00Z', 100)).toEqual([expect.objectContaining({ id: 'T-FUTURE' })]);
    for (const t of [sent, failed, cancelled]) {
      expect(await raw(t)).not.toHaveProperty('gsi2pk');
      expect(await raw(t)).not.toHaveProperty('gsi2sk');
    }
    expect(await raw(cancelled)).not.toHaveProperty('gsi1pk');
    const agenda = await store.listFollowups('rep-due', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z');
    expect(agenda.map((t) => [t.id, t.status, t.reason])).toEqual([
      ['T-FAILED', 'failed', 'could not be sent after 3 attempts'],
      ['T-FUTURE', 'scheduled', undefined],
    ]);
  });

  it('answers a rep\'s whole agenda past a Query\'s 1 MB page, up to the limit asked', async () => {
    // Prepare: 400 pending touches of about 3 KB each (1.2 MB) for another rep, over one day.
    const busy = Array.from({ length: 400 }, (_, i) =>
      touch(`T-BUSY-${String(i).padStart(3, '0')}`, new Date(Date.parse('2026-12-01T00:00:00Z') + i * 60_000).toISOString().replace('.000', ''), {
        repId: 'rep-busy',
        subject: 'x'.repeat(3000),
      }),
    );
    for (let i = 0; i < busy.length; i += 25) await Promise.all(busy.slice(i, i + 25).map((t) => store.addTouch(t)));
    // Act
    const all = await store.listFollowups('rep-busy', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z');
    const some = await store.listFollowups('rep-busy', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 350);
    // Assess: every one, by due time; and no more than asked.
    expect(all.map((t) => t.id)).toEqual(busy.map((t) => t.id));
    expect(some.map((t) => t.id)).toEqual(busy.slice(0, 350).map((t) => t.id));
  });

  it('counts repairs only while the touch is still scheduled for that due time, and brings a retried touch back', async () => {
    const lost = touch('T-LOST', '2026-11-23T14:30:00Z');
    await store.addTouch(lost);
    expect(await store.countRepair(lost)).toBe(1);
    expect(await store.countRepair(lost)).toBe(2);
    expect(await store.countRepair({ ...lost, dueAt: '2026-11-23T14:31:00Z' })).toBeUndefined();
    expect(await store.failTouch(lost, 'its schedule was lost 3 times')).toBe(true);
    expect(await store.countRepair(lost)).toBeUndefined();

    // A retry puts it back to scheduled: both indexes follow in the same write.
    expect(await store.updateTouch({ ...lost, status: 'failed' }, { status: 'scheduled', reason: null, repairs: null, redrivenAt: NOW }, 'failed')).toBe(true);
    const item = await raw(lost);
    expect(item).toMatchObject({ status: 'scheduled', gsi2sk: `${lost.dueAt}#${lost.id}`, gsi1sk: `${lost.dueAt}#${lost.id}` });
    expect(item).not.toHaveProperty('repairs');
    expect((await store.listOverdue(NOW, 100)).map((t) => t.id)).toContain('T-LOST');
  });

  it('records a Send event (the send, and the Message-ID header) on a touch without touching its status', async () => {
    const recap = touch('T-RECAP', '2026-11-23T15:30:00Z', { kind: 'recap', recipient: 'prospect' });
    await store.addTouch(recap);
    const sent = { messageId: '0100-abc-000000', at: '2026-11-23T15:30:01Z', subject: 'Recap' };
    expect(await store.recordSendEvent(recap, { ...sent, header: '<0100-abc-000000@email.amazonses.com>' })).toBe(true);
    expect(await store.recordSendEvent({ ...recap, id: 'T-NONE' }, { messageId: 'x', at: sent.at, header: '<x@y>' })).toBe(false);
    const item = await raw(recap);
    expect(item).toMatchObject({ status: 'scheduled', sesSent: sent, messageIdHeader: '<0100-abc-000000@email.amazonses.com>', gsi2pk: `DUE#${dueShard(recap.id)}` });
  });
  it("keeps a pending touch's prospect name and zone in step, and writes fields named like DynamoDB reserved words", async () => {
    // Prepare: the prospect was renamed and moved zone (timezone is a reserved word in expressions).
    const pending = touch('T-RENAMED', '2026-11-24T15:00:00Z');
    await store.addTouch(pending);

    // Act
    const renamed = await store.updateTouch(pending, { timezone: 'Europe/London', prospectName: 'Pat Renamed' }, 'scheduled');
    const noted = await store.updateTouch(pending, { subject: 'Call Pat', sentAt: NOW });

    // Assess: both writes landed, and the touch is still in both indexes.
    expect([renamed, noted]).toEqual([true, true]);
    expect(await raw(pending)).toMatchObject({ timezone: 'Europe/London', prospectName: 'Pat Renamed', subject: 'Call Pat', status: 'scheduled', gsi2pk: `DUE#${dueShard(pending.id)}` });
  });
});
