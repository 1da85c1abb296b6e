/**
 * Small helpers shared by the benchmark figures: statistics, a bounded worker pool, a clock the
 * harness moves by hand, and the markdown table. Nothing here measures anything by itself.
 */
import type { Clock } from '../../functions/ports/index.js';

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of `values` (p in 0..100); NaN for an empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; resolves with results in order. */
export async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** Splits `items` into `n` nearly equal consecutive chunks. */
export function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const size = Math.ceil(items.length / n);
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A clock the harness sets by hand (a wait on it moves it, and takes no time). */
export class HandClock implements Clock {
  private current: number;

  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string | number): void {
    this.current = new Date(at).getTime();
  }

  /** A wait moves the hand clock to its end at once. */
  async sleep(ms: number): Promise<void> {
    this.current = Math.max(this.current, this.current + Math.max(0, ms));
  }
}

/** Scale for smoke runs: BENCH_SCALE=0.1 runs a tenth of the work. */
export function scale(): number {
  const raw = Number(process.env.BENCH_SCALE ?? '1');
  return Number.isFinite(raw) && raw > 0 ? Math.min(raw, 4) : 1;
}

export function scaled(n: number, min = 10): number {
  return Math.max(min, Math.round(n * scale()));
}

export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | null;
}

export function markdownTable(rows: Row[]): string {
  const head = ['figure', 'measured', 'baseline', 'ratio', 'goal', 'met?'];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${[r.figure, r.measured, r.baseline, r.ratio, r.goal, r.met === null ? 'n/a' : r.met ? 'yes' : '**no**'].join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
