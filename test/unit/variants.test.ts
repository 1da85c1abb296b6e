/**
 * Variant choice by Thompson sampling: the Beta math against reference values (SciPy 1.17
 * scipy.stats.beta.ppf / cdf, scipy.special.gammaln), the floor, pins, and a seeded month of
 * simulated voicemails in which choice moves to the variant that earns more callbacks.
 */
import { describe, expect, it } from 'vitest';
import {
  applyVariantEvents,
  betaCdf,
  betaQuantile,
  chooseVariant,
  logGamma,
  posterior,
  sampleBeta,
  seededRng,
  variantEvents,
  variantReport,
  type VariantCounts,
} from '../../functions/core/variants.js';

describe('Beta math', () => {
  it.each([
    [0.025, 2, 5, 0.043271868292741676],
    [0.975, 2, 5, 0.6412345789976748],
    [0.025, 11, 91, 0.055637223835302965],
    [0.975, 11, 91, 0.17455282607711903],
    [0.5, 3, 9, 0.23578552663582827],
    [0.025, 1, 1, 0.025],
    [0.025, 31, 171, 0.10725992725414964],
    [0.975, 31, 171, 0.2061631949459787],
    [0.025, 1, 21, 0.0012048834483635127],
    [0.975, 1, 21, 0.16109761521907956],
    [0.025, 0.5, 0.5, 0.001541333133436012],
    [0.999, 400, 600, 0.44834098537566874],
  ])('the %s quantile of Beta(%s, %s) is %s', (p, a, b, expected) => {
    // Act
    const q = betaQuantile(p, a, b);

    // Assess
    expect(Math.abs(q - expected)).toBeLessThan(1e-9);
  });

  it('matches closed forms: Beta(a, 1) has quantile p^(1/a), Beta(1, b) has 1 - (1 - p)^(1/b)', () => {
    for (const p of [0.01, 0.025, 0.3, 0.5, 0.975]) {
      for (const k of [1, 2, 5, 40]) {
        expect(betaQuantile(p, k, 1)).toBeCloseTo(p ** (1 / k), 10);
        expect(betaQuantile(p, 1, k)).toBeCloseTo(1 - (1 - p) ** (1 / k), 10);
      }
    }
  });

  it('gives the distribution function and ln Γ to reference precision', () => {
    expect(betaCdf(0.3, 2, 5)).toBeCloseTo(0.5798250000000003, 12);
    expect(betaCdf(0.7, 20, 10)).toBeCloseTo(0.6359959189280557, 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247, 12);
    expect(logGamma(10)).toBeCloseTo(12.801827480081469, 12);
    expect(logGamma(171.5)).toBeCloseTo(709.1431630309283, 9);
  });

  it('draws Beta samples with the right mean and spread', () => {
    // Prepare
    const rng = seededRng(7);
    const n = 20_000;

    // Act
    const draws = Array.from({ length: n }, () => sampleBeta(3, 9, rng));

    // Assess: Beta(3, 9) has mean 0.25 and variance 3*9/(12^2*13) = 0.014423.
    const mean = draws.reduce((a, b) => a + b, 0) / n;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo(0.25, 2);
    expect(variance).toBeCloseTo(0.014423, 3);
    expect(draws.every((d) => d > 0 && d < 1)).toBe(true);
  });

  it('repeats the same draws from the same seed', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
    expect(seededRng(43)()).not.toBe(seededRng(42)());
  });
});

describe('chooseVariant', () => {
  const variants = ['hot.uptime.a', 'hot.uptime.b'];
  const policy = { pinned: {}, floor: 0.1 };

  it('takes the pinned variant, and ignores a pin to a variant the family lacks', () => {
    // Act
    const pinned = chooseVariant('hot.uptime', variants, {}, { pinned: { 'hot.uptime': 'b' }, floor: 0.1 }, seededRng(1));
    const stale = chooseVariant('hot.uptime', variants, {}, { pinned: { 'hot.uptime': 'z' }, floor: 0 }, seededRng(1));

    // Assess
    expect(pinned).toEqual({ variant: 'hot.uptime.b', reason: 'pinned' });
    expect(stale.reason).toBe('sampled');
  });

  it('has nothing to choose with one variant, and refuses none', () => {
    expect(chooseVariant('pair.price+cost_savings', ['pair.price+cost_savings.a'], {}, policy, seededRng(1))).toEqual({ variant: 'pair.price+cost_savings.a', reason: 'only' });
    expect(() => chooseVariant('hot.x', [], {}, policy, seededRng(1))).toThrow(RangeError);
  });

  it('keeps choosing a clearly worse variant at least floor / n of the time', () => {
    // Prepare: after 2,000 voicemails each, a is far better than b.
    const counts = { 'hot.uptime.a': { used: 2000, callbacks: 600 }, 'hot.uptime.b': { used: 2000, callbacks: 100 } };
    const rng = seededRng(3);

    // Act
    const picks = Array.from({ length: 4000 }, () => chooseVariant('hot.uptime', variants, counts, policy, rng));

    // Assess: the posterior alone would never pick b; the floor does, about 5% of the time.
    const b = picks.filter((p) => p.variant === 'hot.uptime.b');
    expect(b.length / picks.length).toBeGreaterThan(0.035);
    expect(b.length / picks.length).toBeLessThan(0.065);
    expect(b.every((p) => p.reason === 'floor')).toBe(true);
  });

  it('splits evenly between variants it knows nothing about', () => {
    const rng = seededRng(11);
    const picks = Array.from({ length: 4000 }, () => chooseVariant('hot.uptime', variants, {}, { pinned: {}, floor: 0 }, rng).variant);
    const share = picks.filter((v) => v === 'hot.uptime.a').length / picks.length;
    expect(share).toBeGreaterThan(0.46);
    expect(share).toBeLessThan(0.54);
  });
});

describe('variantEvents', () => {
  it('counts a voicemail as a use of the reminder’s variant, and a reached prospect as a callback for the last voicemail', () => {
    // Prepare
    const context = { reminderVariant: 'hot.uptime.b', lastVoicemailVariant: 'hot.uptime.a' };

    // Act + Assess
    expect(variantEvents('voicemail', context)).toEqual([{ variant: 'hot.uptime.b', count: 'used' }]);
    for (const reached of ['callback_agreed', 'stalled', 'won', 'not_interested']) {
      expect(variantEvents(reached, context)).toEqual([{ variant: 'hot.uptime.a', count: 'callback' }]);
    }
    expect(variantEvents('no_answer', context)).toEqual([]);
    expect(variantEvents('stalled', { reminderVariant: 'hot.uptime.b' })).toEqual([]);
    expect(variantEvents('voicemail', {})).toEqual([]);
  });

  it('adds events to counts without touching the stored ones', () => {
    const stored = { 'hot.uptime.a': { used: 4, callbacks: 1 } };
    const next = applyVariantEvents(stored, [
      { variant: 'hot.uptime.a', count: 'used' },
      { variant: 'hot.uptime.a', count: 'callback' },
      { variant: 'hot.uptime.b', count: 'used' },
    ]);
    expect(next).toEqual({ 'hot.uptime.a': { used: 5, callbacks: 2 }, 'hot.uptime.b': { used: 1, callbacks: 0 } });
    expect(stored).toEqual({ 'hot.uptime.a': { used: 4, callbacks: 1 } });
  });
});

describe('variantReport', () => {
  it('gives use, callbacks, the rate and a 95% credible interval per variant', () => {
    // Act
    const report = variantReport({ 'hot.uptime.b': { used: 200, callbacks: 30 }, 'hot.uptime.a': { used: 100, callbacks: 10 }, 'hot.growth.a': { used: 0, callbacks: 0 } });

    // Assess: uniform prior, so 10 of 100 is Beta(11, 91) and 30 of 200 is Beta(31, 171).
    expect(report.map((r) => r.variant)).toEqual(['hot.growth.a', 'hot.uptime.a', 'hot.uptime.b']);
    expect(report[0]).toMatchObject({ family: 'hot.growth', used: 0, callbacks: 0, rate: null });
    expect(report[0]!.low).toBeCloseTo(0.025, 9);
    expect(report[0]!.high).toBeCloseTo(0.975, 9);
    expect(report[1]).toMatchObject({ family: 'hot.uptime', used: 100, callbacks: 10, rate: 0.1 });
    expect(report[1]!.low).toBeCloseTo(0.055637223835302965, 9);
    expect(report[1]!.high).toBeCloseTo(0.17455282607711903, 9);
    expect(report[2]!.rate).toBe(0.15);
    expect(report[2]!.low).toBeCloseTo(0.10725992725414964, 9);
    expect(report[2]!.high).toBeCloseTo(0.2061631949459787, 9);
  });

  it('clamps impossible counts instead of reporting a rate above one', () => {
    expect(posterior({ used: 3, callbacks: 5 })).toEqual({ alpha: 4, beta: 1 });
    expect(posterior(undefined)).toEqual({ alpha: 1, beta: 1 });
  });
});

describe('a simulated month of voicemails', () => {
  it('moves choice toward the variant with the higher true callback rate', () => {
    // Prepare: 22 business days, 30 voicemails a day for uptime prospects. Variant b truly earns
    // a callback 24% of the time, a 12%. Counts are updated at the end of each day, as the
    // outcomes trickle in, and every choice is made from the counts stored so far.
    const rng = seededRng(20261125);
    const truth: Record<string, number> = { 'hot.uptime.a': 0.12, 'hot.uptime.b': 0.24 };
    const variants = Object.keys(truth);
    const counts: Record<string, VariantCounts> = { 'hot.uptime.a': { used: 0, callbacks: 0 }, 'hot.uptime.b': { used: 0, callbacks: 0 } };
    const shareOfB: number[] = [];

    // Act
    for (let day = 0; day < 22; day++) {
      const today: Record<string, VariantCounts> = { 'hot.uptime.a': { used: 0, callbacks: 0 }, 'hot.uptime.b': { used: 0, callbacks: 0 } };
      for (let i = 0; i < 30; i++) {
        const { variant } = chooseVariant('hot.uptime', variants, counts, { pinned: {}, floor: 0.1 }, rng);
        today[variant]!.used += 1;
        if (rng() < truth[variant]!) today[variant]!.callbacks += 1;
      }
      for (const v of variants) {
        counts[v]!.used += today[v]!.used;
        counts[v]!.callbacks += today[v]!.callbacks;
      }
      shareOfB.push(today['hot.uptime.b']!.used / 30);
    }

    // Assess
    // The first day knows nothing and splits about evenly; by the last week b gets most voicemails,
    // yet a is still tried (the floor alone gives it 5%).
    const week = (from: number) => shareOfB.slice(from, from + 5).reduce((a, b) => a + b, 0) / 5;
    expect(shareOfB[0]).toBeGreaterThan(0.3);
    expect(shareOfB[0]).toBeLessThan(0.7);
    expect(week(17)).toBeGreaterThan(0.85);
    expect(week(17) - week(0)).toBeGreaterThan(0.1);
    expect(counts['hot.uptime.a']!.used).toBeGreaterThan(22 * 30 * 0.05);
    const [a, b] = variantReport(counts);
    expect(b!.rate!).toBeGreaterThan(a!.rate!);
    expect(b!.low).toBeGreaterThan(0.15);
  });
});
