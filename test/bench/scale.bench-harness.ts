/**
 * Figure 5: how cost grows. The operation count of figure 5 (cost.bench-harness.ts) at scale 1, 2
 * and 4 (reps, prospects and so touches, each in its own table), priced with the same prices: per
 * fired touch, the time the fire use case took (median and p99, in process on DynamoDB Local and the
 * local SES, one at a time) and what it cost; per outcome, the api's time. Flat rows mean linear growth.
 */
import { countOperations, loadPrices, priceCounts, type CostCounts, type CostFigure } from './cost.bench-harness.js';
import { log } from './lib.bench-harness.js';

export interface ScaleRow {
  scale: number;
  reps: number;
  prospects: number;
  outcomes: number;
  touches: number;
  fireMsMedian: number;
  fireMsP99: number;
  apiMsMedian: number;
  apiMsP99: number;
  usdPerFiredTouch: number;
  usdPer1000Outcomes: number;
}

export interface ScaleRun {
  rows: ScaleRow[];
  /** The scale-1 run's counts, which figure 5's cost per rep-month prices (with the init times of figure 4). */
  base: CostCounts;
}

export async function scaleFigure(options: { dynamoEndpoint: string; sesEndpoint: string; reps: number; prospects: number; rounds: number; scales?: number[] }): Promise<ScaleRun> {
  const scales = options.scales ?? [1, 2, 4];
  const rows: ScaleRow[] = [];
  let base: CostCounts | undefined;
  for (const s of scales) {
    const reps = options.reps * s;
    const prospects = options.prospects * s;
    log(`scale ${s}: ${reps} reps, ${prospects} prospects, ${options.rounds} rounds`);
    const counts = await countOperations({ dynamoEndpoint: options.dynamoEndpoint, sesEndpoint: options.sesEndpoint, reps, prospects, rounds: options.rounds });
    base ??= counts;
    // Init times do not change with scale; priced at zero here so the rows compare the per-touch work alone.
    const cost: CostFigure = priceCounts(counts, loadPrices(), { api: 0, fire: 0 });
    rows.push({
      scale: s,
      reps,
      prospects,
      outcomes: counts.outcomes,
      touches: counts.fireInvocations,
      fireMsMedian: cost.counts.fireMsMedian,
      fireMsP99: cost.counts.fireMsP99,
      apiMsMedian: cost.counts.apiMsMedian,
      apiMsP99: cost.counts.apiMsP99,
      usdPerFiredTouch: cost.usdPerFiredTouch,
      usdPer1000Outcomes: cost.usdPer1000Outcomes,
    });
  }
  return { rows, base: base! };
}
