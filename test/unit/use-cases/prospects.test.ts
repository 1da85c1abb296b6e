/** createProspect, readProspect and updateProspect: the rep's book of prospects. */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../functions/core/errors.js';
import type { ProspectInput } from '../../../functions/core/schemas.js';
import { createProspect } from '../../../functions/use-cases/create-prospect.js';
import { readProspect } from '../../../functions/use-cases/read-prospect.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { updateProspect } from '../../../functions/use-cases/update-prospect.js';
import { MONDAY, REP_ID, seeded, useCaseDeps } from '../../support/fakes.js';

const INPUT: ProspectInput = { name: 'Dana Whitfield', email: 'dana@northwind.example', timezone: 'America/New_York', country: 'US', hotButtons: ['uptime', 'cost_savings', 'uptime'] };

describe('createProspect', () => {
  it('adds the prospect under the id given, active, with no attempts, at version 1', async () => {
    // Prepare
    const deps = useCaseDeps();
    // Act
    const created = await createProspect(deps, REP_ID, { ...INPUT, id: 'p-dana' });
    // Assess
    expect(created).toEqual({
      id: 'p-dana', repId: REP_ID, name: 'Dana Whitfield', email: 'dana@northwind.example', timezone: 'America/New_York', country: 'US',
      hotButtons: ['uptime', 'cost_savings'], status: 'active', attempts: 0, version: 1, createdAt: MONDAY, updatedAt: MONDAY,
    });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(created);
  });

  it('makes a lower-case sortable id when none is given', async () => {
    const deps = useCaseDeps();
    const first = await createProspect(deps, REP_ID, INPUT);
    const second = await createProspect(deps, REP_ID, INPUT);
    expect(first.id).toMatch(/^[0-9a-z]{26}$/);
    expect(second.id > first.id).toBe(true);
    expect(await deps.store.getProspect(REP_ID, second.id)).toMatchObject({ name: 'Dana Whitfield' });
  });

  it('refuses an id the rep already uses, keeping the prospect there; another rep may use it', async () => {
    const deps = useCaseDeps();
    const original = await createProspect(deps, REP_ID, { ...INPUT, id: 'p-dana' });
    await expect(createProspect(deps, REP_ID, { ...INPUT, id: 'p-dana', name: 'Someone Else' })).rejects.toMatchObject({ constructor: ConflictError, code: 'duplicate_id' });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(original);
    expect(await createProspect(deps, 'rep-bo', { ...INPUT, id: 'p-dana' })).toMatchObject({ repId: 'rep-bo' });
  });
});

describe('readProspect', () => {
  it('answers the prospect with their calls and touches, only to their rep', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const { call, touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00' } });
    const bundle = await readProspect(deps, REP_ID, 'p-dana');
    expect(bundle.prospect).toMatchObject({ id: 'p-dana', version: 2, lastCallId: call.id });
    expect(bundle.calls).toEqual([call]);
    expect(bundle.touches.map((t) => [t.kind, t.dueAt])).toEqual(touches.map((t) => [t.kind, t.dueAt]));
    await expect(readProspect(deps, 'rep-bo', 'p-dana')).rejects.toBeInstanceOf(NotFoundError);
    await expect(readProspect(deps, REP_ID, 'p-nobody')).rejects.toMatchObject({ code: 'not_found', message: 'Prospect p-nobody was not found' });
  });
});

describe('updateProspect', () => {
  it('changes the fields given, clears those given null, and keeps the rest', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.clock.advance(60_000);
    const updated = await updateProspect(deps, REP_ID, 'p-dana', { company: null, phone: '+15555550199', hotButtons: ['price', 'price', 'growth'] });
    expect(updated).toMatchObject({ name: 'Dana Whitfield', phone: '+15555550199', hotButtons: ['price', 'growth'], version: 2, updatedAt: '2026-11-23T15:01:00Z' });
    expect(updated).not.toHaveProperty('company');
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(updated);
  });

  it('lifts the suppression only for a new address', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { emailSuppressed: { reason: 'bounced', at: '2026-11-20T00:00:00Z' } });
    const same = await updateProspect(deps, REP_ID, 'p-dana', { email: 'Dana@Northwind.example', name: 'Dana W.' });
    expect(same.emailSuppressed).toEqual({ reason: 'bounced', at: '2026-11-20T00:00:00Z' });
    const fresh = await updateProspect(deps, REP_ID, 'p-dana', { email: 'dana@northwind-holdings.example' });
    expect(fresh.emailSuppressed).toBeUndefined();
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ email: 'dana@northwind-holdings.example', version: 3 });
  });

  it('reloads and applies the change again when another write got there first', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.store.hooks.interleave('saveProspect', () => updateProspect(deps, REP_ID, 'p-dana', { company: 'Northwind Holdings' }));
    const updated = await updateProspect(deps, REP_ID, 'p-dana', { name: 'Dana W.' });
    expect(updated).toMatchObject({ name: 'Dana W.', company: 'Northwind Holdings', version: 3 });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(updated);
  });

  it('answers not found for a prospect that is not the rep’s', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    await expect(updateProspect(deps, 'rep-bo', 'p-dana', { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ name: 'Dana Whitfield', version: 1 });
  });
});
