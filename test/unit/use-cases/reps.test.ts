/** saveRep and readRep: the rep's own profile. */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../functions/core/errors.js';
import { RepInput } from '../../../functions/core/schemas.js';
import { parse } from '../../../functions/http/validate.js';
import { readRep, RepProfileNotFoundError } from '../../../functions/use-cases/read-rep.js';
import { saveRep } from '../../../functions/use-cases/save-rep.js';
import { MONDAY, useCaseDeps } from '../../support/fakes.js';

const INPUT: RepInput = { name: 'Ana Rivera', email: 'ana@seller.example', timezone: 'America/Chicago', reminderChannel: 'sms', phone: '+15555550100' };

describe('saveRep', () => {
  it('creates the profile, then replaces it keeping when it was created', async () => {
    // Prepare
    const deps = useCaseDeps();
    // Act
    const created = await saveRep(deps, 'rep-ana', INPUT);
    deps.clock.advance(3600_000);
    const replaced = await saveRep(deps, 'rep-ana', { ...INPUT, reminderChannel: 'email', phone: undefined, company: 'Acme Pumps' });
    // Assess
    expect(created).toEqual({ id: 'rep-ana', ...INPUT, createdAt: MONDAY, updatedAt: MONDAY });
    expect(replaced).toMatchObject({ id: 'rep-ana', reminderChannel: 'email', company: 'Acme Pumps', createdAt: MONDAY, updatedAt: '2026-11-23T16:00:00Z' });
    expect(replaced.phone).toBeUndefined();
    expect(await deps.store.getRep('rep-ana')).toEqual(replaced);
  });
});

describe('the rep’s team', () => {
  it('is kept when given, absent (the default team) when not, and must be a short key', async () => {
    const deps = useCaseDeps();
    expect(await saveRep(deps, 'rep-ana', parse(RepInput, { ...INPUT, team: 'east-inside' }))).toMatchObject({ team: 'east-inside' });
    expect((await saveRep(deps, 'rep-ana', parse(RepInput, INPUT))).team).toBeUndefined();
    expect(() => parse(RepInput, { ...INPUT, team: 'east inside/sales' })).toThrow(ValidationError);
  });
});

describe('readRep', () => {
  it('answers the rep’s own profile, and not found before there is one', async () => {
    const deps = useCaseDeps();
    const error = await readRep(deps, 'rep-ana').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepProfileNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'not_found', message: 'Your rep profile was not found' });
    await saveRep(deps, 'rep-ana', INPUT);
    expect(await readRep(deps, 'rep-ana')).toMatchObject({ id: 'rep-ana', email: 'ana@seller.example' });
    await expect(readRep(deps, 'rep-bo')).rejects.toBeInstanceOf(RepProfileNotFoundError);
  });
});
