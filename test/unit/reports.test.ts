import { describe, expect, it } from 'vitest';
import { promisesReport, voicemailScriptOf } from '../../functions/core/reports.js';
import type { Outcome } from '../../functions/core/constants.js';
import type { Call, Touch } from '../../functions/core/schemas.js';

let ids = 0;
function call(prospectId: string, at: string, outcome: Outcome): Call {
  return {
    id: `c${++ids}`,
    prospectId,
    repId: 'rep-1',
    outcome,
    at,
    hotButtons: [],
    decisionMakers: [],
    materials: [],
    sendRecap: false,
    recordedAt: at,
  };
}

function reminder(prospectId: string, dueAt: string, extra: Partial<Touch> = {}): Touch {
  return {
    id: `t${++ids}`,
    repId: 'rep-1',
    prospectId,
    callId: 'none',
    kind: 'rep_reminder',
    channel: 'email',
    status: 'sent',
    dueAt,
    recipient: 'rep',
    timezone: 'America/New_York',
    prospectName: prospectId,
    createdAt: dueAt,
    updatedAt: dueAt,
    ...extra,
  };
}

const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

describe('promisesReport: promises kept', () => {
  it('counts a call within the window as kept, a later one as late, none as missed, with the median lateness', () => {
    // Prepare
    const touches = [
      reminder('a', '2026-11-10T15:00:00Z'),
      reminder('b', '2026-11-10T16:00:00Z'),
      reminder('c', '2026-11-10T17:00:00Z'),
      reminder('d', '2026-11-10T18:00:00Z'),
    ];
    const calls = [
      call('a', '2026-11-10T15:04:00Z', 'voicemail'), // 4 min late: kept
      call('b', '2026-11-10T16:45:00Z', 'no_answer'), // 45 min: late
      call('c', '2026-11-10T16:58:00Z', 'stalled'), // 2 min early: kept, 0 late
    ];

    // Act
    const report = promisesReport({ calls, touches }, period);

    // Assess
    expect(report.promisesKept).toEqual({ reminders: 4, kept: 2, late: 1, missed: 1, keptRate: 0.5, medianMinutesLate: 4 });
    expect(report.windowMinutes).toBe(15);
  });

  it('takes the window from the options', () => {
    // Prepare
    const touches = [reminder('a', '2026-11-10T15:00:00Z')];
    const calls = [call('a', '2026-11-10T15:20:00Z', 'voicemail')];

    // Act
    const strict = promisesReport({ calls, touches }, period);
    const lenient = promisesReport({ calls, touches }, { ...period, windowMinutes: 30 });

    // Assess
    expect(strict.promisesKept).toMatchObject({ kept: 0, late: 1, medianMinutesLate: 20 });
    expect(lenient.promisesKept).toMatchObject({ kept: 1, late: 0 });
    expect(lenient.windowMinutes).toBe(30);
  });

  it('reads only reminders sent and due in the period, and never credits the call that made the reminder', () => {
    // Prepare
    const made = call('a', '2026-11-10T14:55:00Z', 'callback_agreed');
    const touches = [
      reminder('a', '2026-11-10T15:00:00Z', { callId: made.id }),
      reminder('a', '2026-10-10T15:00:00Z'), // before the period
      reminder('a', '2026-11-12T15:00:00Z', { status: 'cancelled' }),
      reminder('a', '2026-11-13T15:00:00Z', { kind: 'resend_materials', recipient: 'prospect' }),
    ];

    // Act
    const report = promisesReport({ calls: [made], touches }, period);

    // Assess
    expect(report.promisesKept).toEqual({ reminders: 1, kept: 0, late: 0, missed: 1, keptRate: 0, medianMinutesLate: null });
  });

  it("gives a call to one reminder only: a call after the next reminder's window answers that one", () => {
    // Prepare
    const touches = [reminder('a', '2026-11-10T15:00:00Z'), reminder('a', '2026-11-11T15:00:00Z')];
    const calls = [call('a', '2026-11-11T15:03:00Z', 'voicemail')];

    // Act
    const report = promisesReport({ calls, touches }, period);

    // Assess
    expect(report.promisesKept).toMatchObject({ reminders: 2, kept: 1, late: 0, missed: 1, medianMinutesLate: 3 });
  });

  it('answers nulls rather than NaN for an empty period', () => {
    // Prepare + Act
    const report = promisesReport({ calls: [], touches: [] }, period);

    // Assess
    expect(report.promisesKept).toEqual({ reminders: 0, kept: 0, late: 0, missed: 0, keptRate: null, medianMinutesLate: null });
    expect(report.reachByAttempt).toEqual([]);
    expect(report.callbacksAfterVoicemail).toEqual([]);
  });

  it('refuses a period that ends before it starts and a negative window', () => {
    // Prepare + Act + Assess
    expect(() => promisesReport({ calls: [], touches: [] }, { from: period.to, to: period.from })).toThrow(RangeError);
    expect(() => promisesReport({ calls: [], touches: [] }, { ...period, windowMinutes: -1 })).toThrow(RangeError);
  });
});

describe('promisesReport: reach', () => {
  it('numbers attempts from the last conversation, counting earlier calls outside the period', () => {
    // Prepare
    const calls = [
      call('a', '2026-10-30T14:00:00Z', 'voicemail'), // attempt 1, before the period
      call('a', '2026-11-02T14:00:00Z', 'no_answer'), // attempt 2
      call('a', '2026-11-03T14:00:00Z', 'callback_agreed'), // attempt 3: reached
      call('a', '2026-11-05T14:00:00Z', 'voicemail'), // attempt 1 again
      call('b', '2026-11-05T15:00:00Z', 'won'), // attempt 1: reached
    ];

    // Act
    const report = promisesReport({ calls, touches: [] }, period);

    // Assess
    expect(report.reachByAttempt).toEqual([
      { attempt: 1, calls: 2, reached: 1, rate: 0.5 },
      { attempt: 2, calls: 1, reached: 0, rate: 0 },
      { attempt: 3, calls: 1, reached: 1, rate: 1 },
    ]);
  });

  it("buckets calls by the prospect's local hour, by real zone rules on both sides of a DST change", () => {
    // Prepare: 14:00Z is 9 AM in New York in winter (EST) and 10 AM in summer (EDT); 14:00Z in Kolkata is 7:30 PM.
    const calls = [
      call('ny', '2026-11-02T14:00:00Z', 'stalled'),
      call('ny', '2026-10-30T14:00:00Z', 'not_interested'),
      call('in', '2026-11-02T14:00:00Z', 'no_answer'),
    ];
    const zones = { ny: 'America/New_York', in: 'Asia/Kolkata' };

    // Act
    const report = promisesReport({ calls, touches: [], zones }, { from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });

    // Assess
    expect(report.reachByLocalHour).toEqual([
      { hour: 9, calls: 1, reached: 1, rate: 1 },
      { hour: 10, calls: 1, reached: 1, rate: 1 },
      { hour: 19, calls: 1, reached: 0, rate: 0 },
    ]);
  });

  it("falls back to the zone a prospect's touches carry", () => {
    // Prepare
    const calls = [call('a', '2026-11-02T14:00:00Z', 'voicemail')];
    const touches = [reminder('a', '2026-10-01T14:00:00Z', { timezone: 'Asia/Tokyo' })];

    // Act
    const report = promisesReport({ calls, touches }, period);

    // Assess
    expect(report.reachByLocalHour).toEqual([{ hour: 23, calls: 1, reached: 0, rate: 0 }]);
  });
});

describe('promisesReport: callbacks after a voicemail', () => {
  it('credits the script of the reminder before each voicemail with a later conversation', () => {
    // Prepare
    const touches = [
      reminder('a', '2026-11-02T14:00:00Z', { template: 'email/rep_reminder + voicemail/cost_savings' }),
      reminder('b', '2026-11-02T15:00:00Z', { template: 'email/rep_reminder + voicemail/cost_savings' }),
      reminder('c', '2026-11-02T16:00:00Z', { template: 'email/rep_reminder + voicemail/uptime' }),
    ];
    const calls = [
      call('a', '2026-11-02T14:01:00Z', 'voicemail'),
      call('a', '2026-11-03T14:00:00Z', 'no_answer'),
      call('a', '2026-11-04T14:00:00Z', 'callback_agreed'), // a callback for a's voicemail
      call('b', '2026-11-02T15:02:00Z', 'voicemail'), // never called back
      call('c', '2026-11-02T15:50:00Z', 'voicemail'), // ten minutes early: still the uptime script
      call('c', '2026-11-05T15:00:00Z', 'not_interested'),
    ];

    // Act
    const report = promisesReport({ calls, touches }, period);

    // Assess
    expect(report.callbacksAfterVoicemail).toEqual([
      { template: 'voicemail/cost_savings', voicemails: 2, callbacks: 1, rate: 0.5 },
      { template: 'voicemail/uptime', voicemails: 1, callbacks: 1, rate: 1 },
    ]);
  });

  it('gives the callback to the last voicemail before it, and no script when no reminder went for that attempt', () => {
    // Prepare
    const touches = [reminder('a', '2026-11-02T14:00:00Z', { template: 'email/rep_reminder + voicemail/growth' })];
    const calls = [
      call('a', '2026-11-02T14:00:00Z', 'voicemail'),
      call('a', '2026-11-03T14:00:00Z', 'voicemail'), // no reminder after the previous call: unknown
      call('a', '2026-11-04T14:00:00Z', 'won'),
    ];

    // Act
    const report = promisesReport({ calls, touches }, period);

    // Assess
    expect(report.callbacksAfterVoicemail).toEqual([
      { template: 'unknown', voicemails: 1, callbacks: 1, rate: 1 },
      { template: 'voicemail/growth', voicemails: 1, callbacks: 0, rate: 0 },
    ]);
  });
});

describe('voicemailScriptOf', () => {
  it.each([
    ['email/rep_reminder + voicemail/cost_savings', 'voicemail/cost_savings'],
    ['voicemail/price+cost_savings', 'voicemail/price+cost_savings'],
    ['email/rep_reminder + voicemail/price+cost_savings', 'voicemail/price+cost_savings'],
    ['sms/rep_reminder', 'unknown'],
    [undefined, 'unknown'],
  ])('reads %j as %j', (template, script) => {
    // Prepare + Act + Assess
    expect(voicemailScriptOf(template)).toBe(script);
  });
});
