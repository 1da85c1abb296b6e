import { describe, expect, it } from 'vitest';
import { RuleError, ValidationError } from '../../../functions/core/errors.js';
import type { Call, Prospect } from '../../../functions/core/schemas.js';
import { MAX_REPORT_PROSPECTS, reportPromises } from '../../../functions/use-cases/report-promises.js';
import { aProspect, aTouch, REP_ID, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

// The period: November 2026 in UTC.
const FROM = new Date('2026-11-01T00:00:00Z');
const TO = new Date('2026-12-01T00:00:00Z');

function aCall(prospect: Prospect, at: string, outcome: Call['outcome']): Call {
  return { id: `c-${prospect.id}-${at}`, prospectId: prospect.id, repId: prospect.repId, outcome, at, hotButtons: [], decisionMakers: [], materials: [], sendRecap: false, recordedAt: at };
}

/** Adds a prospect and records its calls, as recordCall's commits leave them (lastCallAt the latest). */
async function withCalls(deps: FakeDeps, overrides: Partial<Prospect>, calls: [string, Call['outcome']][]): Promise<Prospect> {
  let prospect = aProspect(overrides);
  await deps.store.createProspect(prospect);
  for (const [at, outcome] of calls) {
    const next = { ...prospect, version: prospect.version + 1, lastCallAt: at };
    await deps.store.commitOutcome({ prospect: next, expectedVersion: prospect.version, call: aCall(prospect, at, outcome), newTouches: [], cancelTouches: [] });
    prospect = next;
  }
  return prospect;
}

/** Counts the prospects the report reads whole. */
function countReads(deps: FakeDeps): string[] {
  const read: string[] = [];
  const original = deps.store.getProspectBundle.bind(deps.store);
  deps.store.getProspectBundle = (repId, prospectId) => {
    read.push(prospectId);
    return original(repId, prospectId);
  };
  return read;
}

describe('reportPromises', () => {
  it('reads the prospects with a call or a reminder in the period, and only those, into the report', async () => {
    // Prepare
    const deps = useCaseDeps();
    // Called in the period two minutes after a reminder (kept), after a voicemail in October.
    const kept = await withCalls(deps, { id: 'p-kept', name: 'Kept' }, [
      ['2026-10-30T15:00:00Z', 'voicemail'],
      ['2026-11-10T15:02:00Z', 'stalled'],
    ]);
    deps.store.seedTouch(aTouch({ prospectId: kept.id, callId: 'c-oct', dueAt: '2026-11-10T15:00:00Z', status: 'sent', timezone: 'America/Chicago' }));
    // Last called in October; its reminder went out in the period and no call followed (missed).
    const missed = await withCalls(deps, { id: 'p-missed', name: 'Missed', attemptDueAt: '2026-11-05T14:00:00Z' }, [['2026-10-29T14:00:00Z', 'no_answer']]);
    deps.store.seedTouch(aTouch({ prospectId: missed.id, callId: 'c-missed', dueAt: '2026-11-05T14:00:00Z', status: 'sent' }));
    // Quiet since October, its next attempt in December.
    await withCalls(deps, { id: 'p-quiet', name: 'Quiet', attemptDueAt: '2026-12-03T14:00:00Z' }, [['2026-10-20T14:00:00Z', 'voicemail']]);
    // Another rep's prospect, busy in the period.
    await withCalls(deps, { id: 'p-other', name: 'Other', repId: 'rep-bo' }, [['2026-11-12T14:00:00Z', 'won']]);
    const read = countReads(deps);

    // Act
    const report = await reportPromises(deps, REP_ID, { from: FROM, to: TO });

    // Assess
    expect(read.sort()).toEqual(['p-kept', 'p-missed']);
    // Instants as every answer gives them: UTC with Z, no milliseconds.
    expect(report).toMatchObject({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', windowMinutes: 15 });
    expect(report.promisesKept).toEqual({ reminders: 2, kept: 1, late: 0, missed: 1, keptRate: 0.5, medianMinutesLate: 2 });
    // The stalled call was the second attempt (after October's voicemail), at 10 in the morning in New York, the prospect's zone (not the touch's).
    expect(report.reachByAttempt).toEqual([{ attempt: 2, calls: 1, reached: 1, rate: 1 }]);
    expect(report.reachByLocalHour).toEqual([{ hour: 10, calls: 1, reached: 1, rate: 1 }]);
  });

  it('takes the window given: a call 20 minutes after the reminder is late at 15 and kept at 30', async () => {
    // Prepare
    const deps = useCaseDeps();
    const p = await withCalls(deps, {}, [['2026-11-10T15:20:00Z', 'stalled']]);
    deps.store.seedTouch(aTouch({ prospectId: p.id, callId: 'c-before', dueAt: '2026-11-10T15:00:00Z', status: 'sent' }));

    // Act
    const strict = await reportPromises(deps, REP_ID, { from: FROM, to: TO });
    const lenient = await reportPromises(deps, REP_ID, { from: FROM, to: TO, windowMinutes: 30 });

    // Assess
    expect(strict.promisesKept).toMatchObject({ kept: 0, late: 1, medianMinutesLate: 20 });
    expect(lenient.promisesKept).toMatchObject({ kept: 1, late: 0, medianMinutesLate: 20 });
  });

  it('answers empty figures for a rep with no prospects', async () => {
    const report = await reportPromises(useCaseDeps(), REP_ID, { from: FROM, to: TO });
    expect(report.promisesKept).toEqual({ reminders: 0, kept: 0, late: 0, missed: 0, keptRate: null, medianMinutesLate: null });
    expect(report.reachByAttempt).toEqual([]);
    expect(report.callbacksAfterVoicemail).toEqual([]);
  });

  it.each([
    ['to before from', { from: TO, to: FROM }, 'to'],
    ['an empty period', { from: FROM, to: FROM }, 'to'],
    ['more than 366 days', { from: new Date('2025-01-01T00:00:00Z'), to: TO }, 'from'],
    ['a window over 240 minutes', { from: FROM, to: TO, windowMinutes: 241 }, 'windowMinutes'],
    ['a window under 0', { from: FROM, to: TO, windowMinutes: -1 }, 'windowMinutes'],
  ])('refuses %s with a 400 naming the field', async (_what, query, path) => {
    const error = await reportPromises(useCaseDeps(), REP_ID, query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues?.[0]?.path).toBe(path);
  });

  it(`asks for a shorter period past ${MAX_REPORT_PROSPECTS} prospects with activity, before reading any of them`, async () => {
    // Prepare
    const deps = useCaseDeps();
    for (let i = 0; i <= MAX_REPORT_PROSPECTS; i++) {
      await deps.store.createProspect(aProspect({ id: `p-${i}`, lastCallAt: '2026-11-02T15:00:00Z' }));
    }
    const read = countReads(deps);

    // Act
    const error = await reportPromises(deps, REP_ID, { from: FROM, to: TO }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).code).toBe('report_too_large');
    expect(read).toEqual([]);
  });
});
