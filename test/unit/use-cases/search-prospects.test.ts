import { describe, expect, it } from 'vitest';
import { SEARCH_LIMIT, searchProspects } from '../../../functions/use-cases/search-prospects.js';
import { aProspect, REP_ID, useCaseDeps } from '../../support/fakes.js';

async function book() {
  const deps = useCaseDeps();
  const add = (id: string, name: string, company?: string, repId = REP_ID) => {
    const p = aProspect({ id, name, repId });
    if (company === undefined) delete p.company;
    else p.company = company;
    return deps.store.createProspect(p);
  };
  await add('dana', 'Dana Whitfield', 'Harbor Mills');
  await add('zoe', 'Zoë Brandt', 'Northwind Plant');
  await add('abe', 'abe harbor', undefined);
  await add('lee', 'Lee Park', 'Acme Tools');
  await add('other', 'Dana Other', 'Harbor Mills', 'rep-bo');
  return deps;
}

describe('searchProspects', () => {
  it('finds the words in the name or the company, ignoring case and accents, by name, only the rep\'s own', async () => {
    // Prepare
    const deps = await book();

    // Act
    const harbor = await searchProspects(deps, REP_ID, 'HARBOR');
    const zoe = await searchProspects(deps, REP_ID, 'zoe');
    const both = await searchProspects(deps, REP_ID, '  dana   mills ');
    const none = await searchProspects(deps, REP_ID, 'dana acme');

    // Assess
    expect(harbor.map((p) => p.id)).toEqual(['abe', 'dana']);
    expect(zoe.map((p) => p.id)).toEqual(['zoe']);
    expect(both.map((p) => p.id)).toEqual(['dana']);
    expect(none).toEqual([]);
  });

  it('lists everyone by name without words', async () => {
    const deps = await book();
    expect((await searchProspects(deps, REP_ID)).map((p) => p.id)).toEqual(['abe', 'dana', 'lee', 'zoe']);
    expect((await searchProspects(deps, REP_ID, '   ')).map((p) => p.id)).toEqual(['abe', 'dana', 'lee', 'zoe']);
  });

  it(`answers at most ${SEARCH_LIMIT}, the first by name`, async () => {
    // Prepare
    const deps = useCaseDeps();
    for (let i = 0; i < SEARCH_LIMIT + 5; i++) await deps.store.createProspect(aProspect({ id: `p${i}`, name: `Pat ${String(i).padStart(2, '0')}` }));

    // Act
    const found = await searchProspects(deps, REP_ID, 'pat');

    // Assess
    expect(found).toHaveLength(SEARCH_LIMIT);
    expect(found.at(-1)!.name).toBe(`Pat ${SEARCH_LIMIT - 1}`);
  });
});
