/**
 * Which voicemail scripts earn callbacks, for the rep's team: per variant, voicemails left with
 * it, how many were followed by a conversation, the rate and its 95% credible interval. These are
 * the counts Thompson sampling chooses from (core/variants.ts).
 *
 * Counts are kept twice in the table: since the team began, and by the UTC day the voicemail was
 * left (a callback counts on its voicemail's day). A period is read from the day buckets, rounded
 * out to whole UTC days; without one, the totals answer.
 */
import { ValidationError } from '../core/errors.js';
import { DEFAULT_TEAM } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import { variantReport, type VariantReport } from '../core/variants.js';
import type { UseCaseDeps } from './deps.js';

export interface ScriptsReportInput {
  from?: Date;
  to?: Date;
}

export interface ScriptsReport {
  team: string;
  /** The period asked for and the UTC days read for it; absent when every count since the start answers. */
  period?: { from: string; to: string; firstDay: string; lastDay: string };
  /** By family, then variant: the variants the team has left at least once. */
  variants: VariantReport[];
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export async function reportScripts(deps: Pick<UseCaseDeps, 'store'>, repId: string, input: ScriptsReportInput): Promise<ScriptsReport> {
  const { from, to } = input;
  if ((from === undefined) !== (to === undefined)) {
    const missing = from === undefined ? 'from' : 'to';
    throw new ValidationError(`Give both from and to for a period, or neither for every count so far`, [{ path: missing, message: 'Required with the other end of the period' }]);
  }
  if (from && to && to <= from) throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
  // A rep with no profile yet has recorded no call; the default team is theirs until they name one.
  const team = (await deps.store.getRep(repId))?.team ?? DEFAULT_TEAM;
  if (!from || !to) return { team, variants: variantReport(await deps.store.getVariantCounts(team)) };
  // `to` is exclusive: its day counts only when the period reaches into it.
  const firstDay = utcDay(from);
  const lastDay = utcDay(new Date(to.getTime() - 1));
  const counts = await deps.store.getVariantCountsByDay(team, firstDay, lastDay);
  return { team, period: { from: toUtcIso(from), to: toUtcIso(to), firstDay, lastDay }, variants: variantReport(counts) };
}
