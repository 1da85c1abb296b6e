/**
 * The fire path's claim on DynamoDB Local (DynamoStore.claimAsRead): one transaction that takes a
 * touch only while it, its prospect and its rep are as the fire function read them and the address
 * is not suppressed, and otherwise says which of them moved (with the touch and the suppression
 * entry as they stand, from the same call). Concurrent claims: exactly one wins.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { AddressSuppressedError, VersionConflictError } from '../../functions/core/errors.js';
import type { Prospect, Rep, Touch } from '../../functions/core/schemas.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';

const NOW = '2026-11-23T15:00:00Z';
const STALE = '2026-11-23T14:58:30Z';

const rep: Rep = {
  id: 'rep-claim',
  name: 'Ana Rivera',
  email: 'ana@seller.example',
  timezone: 'America/Chicago',
  reminderChannel: 'email',
  createdAt: NOW,
  updatedAt: NOW,
};

describe('DynamoStore.claimAsRead on DynamoDB Local', () => {
  let client: DynamoDBClient;
  let store: DynamoStore;
  let prospect: Prospect;
  let touch: Touch;

  beforeAll(async () => {
    client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const tableName = `claim-${randomUUID()}`;
    await ensureTable(client, tableName);
    store = new DynamoStore({ client, tableName });
    await store.putRep(rep);
  });

  afterAll(() => client?.destroy());

  beforeEach(async () => {
    // A fresh prospect and touch per test.
    const id = `p-${randomUUID().slice(0, 8)}`;
    prospect = { id, repId: rep.id, name: 'Dana', email: `${id}@northwind.example`, timezone: 'America/New_York', hotButtons: [], status: 'active', attempts: 0, version: 1, createdAt: NOW, updatedAt: NOW };
    await store.createProspect(prospect);
    touch = {
      id: `t-${randomUUID().slice(0, 8)}`,
      repId: rep.id,
      prospectId: id,
      callId: 'c-1',
      kind: 'recap',
      channel: 'email',
      recipient: 'prospect',
      status: 'scheduled',
      dueAt: NOW,
      timezone: 'America/New_York',
      prospectName: 'Dana',
      createdAt: NOW,
      updatedAt: NOW,
    };
    await store.addTouch(touch);
  });

  const claim = (overrides: Partial<Parameters<DynamoStore['claimAsRead']>[0]> = {}) =>
    store.claimAsRead({ touch, now: NOW, staleBefore: STALE, prospectVersion: prospect.version, rep, unsuppressed: prospect.email!, ...overrides });

  it('takes a touch that is as read, and writes the claim', async () => {
    expect(await claim()).toEqual({ claimed: { ...touch, claimedAt: NOW } });
    expect(await store.getTouch(rep.id, prospect.id, touch.id)).toMatchObject({ claimedAt: NOW, status: 'scheduled' });
    // Claimed now: a second claim finds it held.
    expect(await claim()).toMatchObject({ moved: ['touch'], current: { claimedAt: NOW } });
  });

  it('refuses when the touch changed since it was read, and answers the touch as it is', async () => {
    await store.updateTouch(touch, { status: 'cancelled', reason: 'cancelled by the rep' }, 'scheduled');
    const result = await claim();
    expect(result).toMatchObject({ moved: ['touch'], current: { id: touch.id, status: 'cancelled' } });
    expect(await store.getTouch(rep.id, prospect.id, touch.id)).not.toHaveProperty('claimedAt');
  });

  it('refuses when the prospect moved to another version', async () => {
    await store.saveProspect({ ...prospect, name: 'Dee', version: 2 }, 1);
    expect(await claim()).toEqual({ moved: ['prospect'] });
  });

  it('refuses when any field of the rep changed, appeared or went', async () => {
    await store.putRep({ ...rep, reminderChannel: 'sms' });
    expect(await claim()).toEqual({ moved: ['rep'] });
    await store.putRep({ ...rep, signature: 'Ana, Acme' });
    expect(await claim()).toEqual({ moved: ['rep'] });
    await store.putRep(rep);
    expect(await claim()).toMatchObject({ claimed: { id: touch.id } });
  });

  it('refuses a prospect email to a suppressed address, answering the entry (the address in any case)', async () => {
    await store.addSuppression({ email: prospect.email!.toUpperCase(), reason: 'bounced', at: NOW });
    expect(await claim()).toEqual({ moved: ['suppressed'], suppression: expect.objectContaining({ reason: 'bounced', email: prospect.email }) });
    // Without the address to check (a rep reminder, or one already known to be suppressed), it claims.
    expect(await claim({ unsuppressed: undefined })).toMatchObject({ claimed: { id: touch.id } });
  });

  it('takes over a stale claim, never a fresh one', async () => {
    await store.claimTouch(touch, '2026-11-23T14:58:00Z', STALE);
    const stale = (await store.getTouch(rep.id, prospect.id, touch.id))!;
    expect(await store.claimAsRead({ touch: stale, now: NOW, staleBefore: STALE, prospectVersion: 1, rep })).toMatchObject({ claimed: { claimedAt: NOW } });
    const held = (await store.getTouch(rep.id, prospect.id, touch.id))!;
    expect(await store.claimAsRead({ touch: held, now: NOW, staleBefore: STALE, prospectVersion: 1, rep })).toMatchObject({ moved: ['touch'] });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => claim()));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    for (const lost of results.filter((r) => !r.claimed)) expect((lost as { moved: string[] }).moved.every((m) => m === 'touch')).toBe(true);
  });
  it('getTouches reads several touches of a prospect in one Query over their span, and only those asked for', async () => {
    const more = ['t-b', 't-c', 't-d'].map((id) => ({ ...touch, id: `${touch.id}-${id}` }));
    for (const t of more) await store.addTouch(t);
    const asked = [touch.id, more[2]!.id]; // the span holds t-b and t-c too, which are left out
    const found = await store.getTouches(rep.id, prospect.id, [...asked, 'not-there']);
    expect([...found.keys()].sort()).toEqual([...asked].sort());
    // Each as getTouch reads it.
    expect(found.get(touch.id)).toEqual(await store.getTouch(rep.id, prospect.id, touch.id));
    expect(found.get(more[2]!.id)).toEqual(await store.getTouch(rep.id, prospect.id, more[2]!.id));
    expect(await store.getTouches(rep.id, prospect.id, [more[0]!.id])).toEqual(new Map([[more[0]!.id, await store.getTouch(rep.id, prospect.id, more[0]!.id)]]));
    expect(await store.getTouches(rep.id, prospect.id, [])).toEqual(new Map());
  });
  it("commitOutcome holds only while the address it plans email to is not suppressed, and writes nothing when it is", async () => {
    const next = (version: number) => ({ ...prospect, version, updatedAt: NOW });
    const newTouch = { ...touch, id: `${touch.id}-n` };
    await store.commitOutcome({ prospect: next(2), expectedVersion: 1, newTouches: [], cancelTouches: [], unsuppressed: prospect.email! });
    await store.addSuppression({ email: prospect.email!.toUpperCase(), reason: 'complained', at: NOW });
    await expect(store.commitOutcome({ prospect: next(3), expectedVersion: 2, newTouches: [newTouch], cancelTouches: [], unsuppressed: prospect.email! })).rejects.toBeInstanceOf(AddressSuppressedError);
    expect((await store.getProspect(rep.id, prospect.id))!.version).toBe(2);
    expect(await store.getTouch(rep.id, prospect.id, newTouch.id)).toBeUndefined();
    // A version conflict is still told as one.
    await expect(store.commitOutcome({ prospect: next(3), expectedVersion: 1, newTouches: [], cancelTouches: [] })).rejects.toBeInstanceOf(VersionConflictError);
  });
});
