/**
 * Which voicemail variant to use, learnt from callbacks: Thompson sampling on Beta posteriors.
 *
 * Each variant's callback rate after a voicemail gets a Beta(1 + callbacks, 1 + used - callbacks)
 * posterior (a uniform prior). To choose, draw one rate from each posterior and take the highest:
 * a variant is chosen as often as it is likely to be the best, so choice drifts to the one that
 * earns more callbacks while the others still get tried in proportion to their chance. A floor
 * (a share of choices made uniformly at random) keeps every variant in play, so one that had a bad
 * first week can recover; the policy can pin a family to one variant. Pure: the caller gives the
 * counts and the random source.
 */

export interface VariantCounts {
  /** Voicemails left with this variant. */
  used: number;
  /** Of those, how many were followed by a call that reached the prospect. */
  callbacks: number;
}

export interface VariantPolicy {
  /** Family to variant name: {"hot.uptime": "b"}. */
  pinned: Record<string, string>;
  /** Share of choices made uniformly at random, 0 to below 1. */
  floor: number;
}

/** A random number in [0, 1). */
export type Rng = () => number;

export interface VariantChoice {
  variant: string;
  /** Why: the policy pinned it, the floor picked at random, or the posterior draw won. */
  reason: 'only' | 'pinned' | 'floor' | 'sampled';
}

/**
 * Chooses among `variants` (full ids, "hot.uptime.a") of `family`. Counts missing from `counts`
 * are zero. A pin to a variant the family does not have is ignored, so a stale policy degrades to
 * learning instead of failing a plan.
 */
export function chooseVariant(
  family: string,
  variants: readonly string[],
  counts: Readonly<Record<string, VariantCounts>>,
  policy: VariantPolicy,
  rng: Rng,
): VariantChoice {
  if (variants.length === 0) throw new RangeError(`family ${family} has no variants`);
  if (variants.length === 1) return { variant: variants[0]!, reason: 'only' };
  const pin = policy.pinned[family];
  const pinned = pin === undefined ? undefined : variants.find((v) => v === `${family}.${pin}`);
  if (pinned) return { variant: pinned, reason: 'pinned' };
  if (rng() < policy.floor) return { variant: variants[Math.min(variants.length - 1, Math.floor(rng() * variants.length))]!, reason: 'floor' };
  let best = variants[0]!;
  let bestDraw = -1;
  for (const variant of variants) {
    const { alpha, beta } = posterior(counts[variant]);
    const draw = sampleBeta(alpha, beta, rng);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = variant;
    }
  }
  return { variant: best, reason: 'sampled' };
}

/** The Beta posterior of a variant's callback rate under a uniform prior. */
export function posterior(counts: VariantCounts | undefined): { alpha: number; beta: number } {
  const used = Math.max(0, counts?.used ?? 0);
  const callbacks = Math.min(used, Math.max(0, counts?.callbacks ?? 0));
  return { alpha: 1 + callbacks, beta: 1 + used - callbacks };
}

/** Outcomes where the rep reached the prospect: after a voicemail, they credit its variant. */
const REACHED = new Set(['callback_agreed', 'stalled', 'won', 'not_interested']);

/** Whether a call with this outcome reached the prospect (and so ends a run of voicemails). */
export function reachedProspect(outcome: string): boolean {
  return REACHED.has(outcome);
}

export interface VariantEvent {
  variant: string;
  /** `used`: a voicemail was left with it; `callback`: the prospect was reached after it. */
  count: 'used' | 'callback';
}

/**
 * What a call outcome adds to the counts. A `voicemail` uses the variant of the reminder the rep
 * was answering (`reminderVariant`). A call that reached the prospect credits the variant of the
 * last voicemail left since the previous conversation (`lastVoicemailVariant`), once: that
 * conversation starts a new run. `no_answer` left no message and counts nothing.
 */
export function variantEvents(outcome: string, context: { reminderVariant?: string; lastVoicemailVariant?: string }): VariantEvent[] {
  if (outcome === 'voicemail') return context.reminderVariant ? [{ variant: context.reminderVariant, count: 'used' }] : [];
  if (REACHED.has(outcome) && context.lastVoicemailVariant) return [{ variant: context.lastVoicemailVariant, count: 'callback' }];
  return [];
}

/** The counts after some events, as a new object. */
export function applyVariantEvents(counts: Readonly<Record<string, VariantCounts>>, events: readonly VariantEvent[]): Record<string, VariantCounts> {
  const next: Record<string, VariantCounts> = { ...counts };
  for (const { variant, count } of events) {
    const current = next[variant] ?? { used: 0, callbacks: 0 };
    next[variant] = count === 'used' ? { ...current, used: current.used + 1 } : { ...current, callbacks: current.callbacks + 1 };
  }
  return next;
}

export interface VariantReport {
  variant: string;
  family: string;
  used: number;
  callbacks: number;
  /** callbacks / used; null before first use. */
  rate: number | null;
  /** 95% equal-tailed credible interval of the rate (Beta posterior, uniform prior). */
  low: number;
  high: number;
}

/** Per variant: times used, callbacks, the rate and its 95% credible interval; by family, then name. */
export function variantReport(counts: Readonly<Record<string, VariantCounts>>): VariantReport[] {
  return Object.keys(counts)
    .sort()
    .map((variant) => {
      const { alpha, beta } = posterior(counts[variant]);
      const used = alpha + beta - 2;
      const callbacks = alpha - 1;
      return {
        variant,
        family: variant.slice(0, variant.lastIndexOf('.')),
        used,
        callbacks,
        rate: used ? callbacks / used : null,
        low: betaQuantile(0.025, alpha, beta),
        high: betaQuantile(0.975, alpha, beta),
      };
    });
}

// ---- the math --------------------------------------------------------------------------------

/** A seeded random source (mulberry32): the same seed gives the same choices, in tests and replays. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
function sampleNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A Gamma(shape, 1) draw: Marsaglia and Tsang (2000), boosted for shape < 1. */
export function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng();
    return sampleGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) draw, as X / (X + Y) with X, Y Gamma draws. */
export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x / (x + y);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 significant digits). */
export function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < g + 2; i++) sum += c[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return f;
}

/** The Beta(a, b) distribution function: the regularized incomplete beta I_x(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast on one side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The p-quantile of Beta(a, b), by bisection on the distribution function (to 1e-12). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
