/** reportScripts: the team's voicemail script variants, with their rates and credible intervals. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { presentScriptsReport } from '../../../functions/http/present.js';
import { reportScripts } from '../../../functions/use-cases/report-scripts.js';
import { REP_ID, seeded, useCaseDeps } from '../../support/fakes.js';

async function withCounts(team?: string) {
  const deps = useCaseDeps();
  await seeded(deps, team ? { team } : {});
  const store = deps.store;
  store.seedVariantCounts(team ?? 'default', '2026-10-30', { 'hot.uptime.a': { used: 10, callbacks: 2 } });
  store.seedVariantCounts(team ?? 'default', '2026-11-02', { 'hot.uptime.a': { used: 10, callbacks: 1 }, 'hot.uptime.b': { used: 20, callbacks: 9 } });
  store.seedVariantCounts(team ?? 'default', '2026-11-30', { 'pair.price+cost_savings.a': { used: 4, callbacks: 1 } });
  store.seedVariantCounts('someone-else', '2026-11-02', { 'hot.growth.a': { used: 50, callbacks: 50 } });
  return deps;
}

describe('reportScripts', () => {
  it('answers every count of the team so far without a period, by family and variant', async () => {
    // Prepare
    const deps = await withCounts();
    // Act
    const report = await reportScripts(deps, REP_ID, {});
    // Assess
    expect(report.team).toBe('default');
    expect(report.period).toBeUndefined();
    expect(report.variants.map((v) => [v.variant, v.family, v.used, v.callbacks, v.rate])).toEqual([
      ['hot.uptime.a', 'hot.uptime', 20, 3, 0.15],
      ['hot.uptime.b', 'hot.uptime', 20, 9, 0.45],
      ['pair.price+cost_savings.a', 'pair.price+cost_savings', 4, 1, 0.25],
    ]);
    const b = report.variants[1]!;
    // Beta(10, 12): the interval holds the rate and is about ±0.2 wide.
    expect(b.low).toBeGreaterThan(0.25);
    expect(b.low).toBeLessThan(b.rate!);
    expect(b.high).toBeGreaterThan(b.rate!);
    expect(b.high).toBeLessThan(0.67);
  });

  it('reads a period from the UTC days it touches, `to` exclusive', async () => {
    const deps = await withCounts();
    const report = await reportScripts(deps, REP_ID, { from: new Date('2026-11-01T05:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(report.period).toEqual({ from: '2026-11-01T05:00:00Z', to: '2026-12-01T00:00:00Z', firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(report.variants.map((v) => [v.variant, v.used, v.callbacks])).toEqual([
      ['hot.uptime.a', 10, 1],
      ['hot.uptime.b', 20, 9],
      ['pair.price+cost_savings.a', 4, 1],
    ]);
    const october = await reportScripts(deps, REP_ID, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') });
    expect(october.variants.map((v) => [v.variant, v.used, v.callbacks])).toEqual([['hot.uptime.a', 10, 2]]);
  });

  it('reports the rep’s own team', async () => {
    const deps = await withCounts('east');
    const report = await reportScripts(deps, REP_ID, {});
    expect(report.team).toBe('east');
    expect(report.variants.map((v) => v.variant)).toEqual(['hot.uptime.a', 'hot.uptime.b', 'pair.price+cost_savings.a']);
  });

  it('refuses half a period and one that ends before it starts', async () => {
    const deps = await withCounts();
    await expect(reportScripts(deps, REP_ID, { from: new Date('2026-11-01T00:00:00Z') })).rejects.toMatchObject({
      constructor: ValidationError,
      issues: [{ path: 'to', message: 'Required with the other end of the period' }],
    });
    await expect(reportScripts(deps, REP_ID, { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') })).rejects.toBeInstanceOf(ValidationError);
  });

  it('presents rates and interval ends to three places', async () => {
    const deps = await withCounts();
    const body = presentScriptsReport(await reportScripts(deps, REP_ID, {}));
    expect(body.variants[1]).toEqual({ variant: 'hot.uptime.b', family: 'hot.uptime', used: 20, callbacks: 9, rate: 0.45, low: expect.any(Number), high: expect.any(Number) });
    for (const v of body.variants) for (const n of [v.low, v.high]) expect(Math.round(n * 1000) / 1000).toBe(n);
    expect(body.interval).toMatch(/^95% /);
  });
});
