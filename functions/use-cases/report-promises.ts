/**
 * The promises report (GET /v1/reports/promises): the figures come from core/reports.ts; this reads what
 * they need. Which prospects to read is decided from the prospect items alone, through the byRep index:
 * a prospect is read whole (all its calls and touches, one Query of its partition) when it has a call
 * since the period's start (`lastCallAt`), or its current attempt or agreed callback falls in the period
 * (a reminder sent with no call after it). So the cost is one index read of the rep's book plus one
 * partition read per prospect with activity, bounded by {@link MAX_REPORT_PROSPECTS} and a period of at
 * most {@link MAX_REPORT_DAYS} days.
 */
import { ValidationError, RuleError } from '../core/errors.js';
import { DEFAULT_WINDOW_MINUTES, promisesReport, type PromisesReport } from '../core/reports.js';
import type { Call, Prospect, Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { ProspectBundle } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';

export const MAX_REPORT_DAYS = 366;
/** Past this many prospects with activity the answer would be slow: the rep is asked for a shorter period. */
export const MAX_REPORT_PROSPECTS = 1000;
export const MAX_WINDOW_MINUTES = 240;
/** Partition reads in flight at once: quick, without bursting a small table's capacity. */
const READS_AT_ONCE = 8;
const DAY = 24 * 3600_000;

export interface PromisesQuery {
  from: Date;
  to: Date;
  windowMinutes?: number;
}

export async function reportPromises(deps: Pick<UseCaseDeps, 'store'>, repId: string, query: PromisesQuery): Promise<PromisesReport> {
  const windowMinutes = query.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  check(query, windowMinutes);
  const from = query.from.getTime();
  const to = query.to.getTime();
  const inPeriod = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
  const active = (p: Prospect) => (p.lastCallAt !== undefined && Date.parse(p.lastCallAt) >= from) || inPeriod(p.attemptDueAt) || inPeriod(p.callbackAt);

  const prospects = await deps.store.listProspects(repId, { match: active, limit: MAX_REPORT_PROSPECTS + 1 });
  if (prospects.length > MAX_REPORT_PROSPECTS) {
    throw new RuleError('report_too_large', `More than ${MAX_REPORT_PROSPECTS} prospects had calls or reminders in this period: pick a shorter period`, [
      { path: 'from', message: 'Pick a later start' },
    ]);
  }
  const bundles = await readAll(prospects, (p) => deps.store.getProspectBundle(repId, p.id));
  const calls: Call[] = [];
  const touches: Touch[] = [];
  const zones: Record<string, string> = {};
  for (const bundle of bundles) {
    if (!bundle) continue;
    calls.push(...bundle.calls);
    touches.push(...bundle.touches);
    zones[bundle.prospect.id] = bundle.prospect.timezone;
  }
  return promisesReport({ calls, touches, zones }, { from: toUtcIso(query.from), to: toUtcIso(query.to), windowMinutes });
}

function check(query: PromisesQuery, windowMinutes: number) {
  if (query.to.getTime() <= query.from.getTime()) {
    throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
  }
  if (query.to.getTime() - query.from.getTime() > MAX_REPORT_DAYS * DAY) {
    throw new ValidationError(`The period is longer than ${MAX_REPORT_DAYS} days: report on a year at most`, [
      { path: 'from', message: `At most ${MAX_REPORT_DAYS} days before to` },
    ]);
  }
  if (!Number.isInteger(windowMinutes) || windowMinutes < 0 || windowMinutes > MAX_WINDOW_MINUTES) {
    throw new ValidationError(`windowMinutes must be a whole number of minutes from 0 to ${MAX_WINDOW_MINUTES}`, [
      { path: 'windowMinutes', message: `Use 0 to ${MAX_WINDOW_MINUTES}` },
    ]);
  }
}

/** Reads every prospect's bundle, a few at a time, in the order given. */
async function readAll(prospects: Prospect[], read: (p: Prospect) => Promise<ProspectBundle | undefined>): Promise<(ProspectBundle | undefined)[]> {
  const out: (ProspectBundle | undefined)[] = new Array(prospects.length);
  let next = 0;
  const worker = async () => {
    while (next < prospects.length) {
      const i = next++;
      out[i] = await read(prospects[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, prospects.length) }, worker));
  return out;
}
