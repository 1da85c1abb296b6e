/**
 * Scripts keyed to hot buttons, on the local runtime (DynamoDB Local, the local SES): the recap and
 * the resend speak to the prospect's hot button; a voicemail on attempt 1 is followed by a note that
 * names the next try at the time the voicemail promised; an unsubscribed prospect gets no note; and
 * a simulated month of outcomes, through the use cases on the real table, shifts the choice of
 * voicemail variant toward the one that earns more callbacks, as the scripts report then shows.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { apiUseCases } from '../../functions/compose.js';
import { DEFAULT_POLICY } from '../../functions/core/cadence.js';
import type { Touch } from '../../functions/core/schemas.js';
import { humanClock, humanTime } from '../../functions/core/time.js';
import { seededRng } from '../../functions/core/variants.js';
import { FakeClock, FakeLinks, FakeScheduler, RecordingLogger } from '../support/fakes.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const ZONE = 'America/New_York';
const QUOTE = [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }];

describe('scripts keyed to hot buttons, on the local runtime', () => {
  let rt: TestRuntime;
  const repEmail = uniqueEmail('rita');

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    await rt.call('PUT', '/v1/reps/me', { name: 'Rita Rep', email: repEmail, phone: '+15551230000', timezone: ZONE, reminderChannel: 'email', company: 'Brightline Pumps' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  async function prospect(id: string, fields: Record<string, unknown> = {}) {
    const email = uniqueEmail(id);
    const res = await rt.call('POST', '/v1/prospects', { id, name: 'Dana Buyer', company: 'Acme Plant', email, phone: '+15557654321', timezone: ZONE, country: 'US', ...fields });
    expect(res.status).toBe(201);
    return email;
  }
  const touchesOf = async (id: string): Promise<(Touch & { promiseAtLocal?: string })[]> => (await rt.call('GET', `/v1/prospects/${id}`)).body.touches;

  it('previews the recap and the resend of two prospects differing only in hot button: they differ in those lines', async () => {
    // Prepare: the same call with two prospects, one who cares about uptime, one about cost savings.
    rt.clock.set(START);
    for (const [id, hot] of [['hb-uptime', 'uptime'], ['hb-cost', 'cost_savings']] as const) {
      await prospect(id, { hotButtons: [hot] });
      const call = { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', discussed: 'Line 3 stops twice a week', materials: QUOTE };
      expect((await rt.call('POST', `/v1/prospects/${id}/calls`, call)).status).toBe(201);
    }
    for (const kind of ['recap', 'resend_materials']) {
      // Act
      const [uptime, cost] = await Promise.all(['hb-uptime', 'hb-cost'].map((id) => rt.call('GET', `/v1/prospects/${id}/preview?kind=${kind}`)));
      // Assess: apart from the unsubscribe link (a token per prospect), only the hot-button sentences differ.
      expect(uptime!.body.template).toBe(`email/${kind} + parts[hot.uptime]`);
      expect(cost!.body.template).toBe(`email/${kind} + parts[hot.cost_savings]`);
      expect(uptime!.body.subject).toBe(cost!.body.subject);
      const lines = (text: string) => text.split('\n').filter((line: string) => !line.includes('/v1/unsubscribe?token='));
      const [a, b] = [lines(uptime!.body.text), lines(cost!.body.text)];
      expect(a).toHaveLength(b.length);
      const differing = a.map((line, i) => [line, b[i]!]).filter(([x, y]) => x !== y);
      if (kind === 'recap') {
        expect(differing).toEqual([
          [
            "You told me downtime is what hurts most. On our call I'd like to start with how we'd keep things running through the stoppages you described.",
            "You told me bringing costs down is a priority this year. On our call I'd like to start with where the savings would come from for Acme Plant.",
          ],
        ]);
      } else {
        expect(differing).toEqual([
          [
            "If you only have a minute, start with how we'd keep things running through the stoppages you described.",
            'If you only have a minute, start with where the savings would come from for Acme Plant.',
          ],
        ]);
      }
    }
  });

  it('follows a voicemail on attempt 1 with a note naming the next try at the time the voicemail promised', async () => {
    // Prepare: a callback for Tuesday 10:00; its reminder (attempt 1) goes out with the script to leave.
    rt.clock.set(START);
    const email = await prospect('vm-note', { hotButtons: ['uptime'] });
    await rt.call('POST', '/v1/prospects/vm-note/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00', sendRecap: false });
    const reminder = (await touchesOf('vm-note')).find((t) => t.kind === 'rep_reminder')!;
    await rt.fireUntil(reminder.dueAt);
    expect((await touchesOf('vm-note')).find((t) => t.id === reminder.id)).toMatchObject({ status: 'sent', scriptVariant: reminder.scriptVariant });
    const sheet = (await rt.inbox(repEmail)).find((m) => m.subject.startsWith('Call Dana Buyer'))!;
    const promise = DateTime.fromISO(reminder.promiseAt!).setZone(ZONE);
    expect(sheet.body.text).toContain(`I'll try you again tomorrow at ${humanClock(promise, ZONE)}.`);

    // Act: the rep calls at the reminder, leaves that voicemail, and posts it.
    rt.clock.set(promise.minus({ days: 1 }).set({ hour: 10, minute: 2 }).toJSDate());
    const posted = await rt.call('POST', '/v1/prospects/vm-note/calls', { outcome: 'voicemail' });

    // Assess: the plan keeps the promise, and the note names it.
    expect(posted.status).toBe(201);
    expect(posted.body.nextAttemptAt).toBe(reminder.promiseAt);
    expect(posted.body.call.scriptVariant).toBe(reminder.scriptVariant);
    const note = posted.body.plan.find((t: Touch) => t.kind === 'voicemail_email');
    expect(note).toMatchObject({ recipient: 'prospect', channel: 'email', attempt: 1, promiseAt: reminder.promiseAt, dueAt: '2026-11-24T15:07:00Z' });
    await rt.fireUntil(note.dueAt);
    const [sent] = await rt.inbox(email);
    expect(sent!.subject).toBe('I just left you a voicemail about uptime');
    expect(sent!.body.text).toContain(`I'll try you again on ${humanTime(promise, ZONE)}.`);
    expect(humanTime(promise, ZONE)).toContain(humanClock(promise, ZONE));
    expect(sent!.body.text).toContain("I just tried you and left a voicemail, following up on our talk yesterday.");
    expect(sent!.body.html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect((await touchesOf('vm-note')).find((t) => t.id === note.id)).toMatchObject({ status: 'sent', template: 'email/voicemail_email + parts[hot.uptime]' });
  });

  it('plans no note after a voicemail for a prospect who unsubscribed', async () => {
    // Prepare: the recap goes out and the prospect unsubscribes with one click.
    rt.clock.set(START);
    const email = await prospect('vm-unsub', { hotButtons: ['uptime'] });
    await rt.call('POST', '/v1/prospects/vm-unsub/calls', { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00' });
    await rt.fireNow();
    const [recap] = await rt.inbox(email);
    const url = /(http:\/\/\S+\/v1\/unsubscribe\?token=\S+)/.exec(recap!.body.text!)![1]!;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    // Act
    rt.clock.set('2026-11-24T15:02:00Z');
    const posted = await rt.call('POST', '/v1/prospects/vm-unsub/calls', { outcome: 'voicemail' });

    // Assess
    expect(posted.body.plan.map((t: Touch) => t.kind)).toEqual(['rep_reminder']);
    await rt.fireUntil('2026-11-24T16:00:00Z');
    expect(await rt.inbox(email)).toHaveLength(1);
  });

  it('learns over a simulated month: choice shifts to the variant that earns more callbacks, and the report shows it', async () => {
    // Prepare: a team of one rep; 100 prospects who care about cost savings. Variant b truly earns a
    // callback after 45% of voicemails, a after 15%.
    const TRUE_RATE: Record<string, number> = { 'hot.cost_savings.a': 0.15, 'hot.cost_savings.b': 0.45 };
    const repId = 'sim-rep';
    expect((await rt.call('PUT', '/v1/reps/me', { name: 'Sim Rep', email: uniqueEmail('sim'), timezone: ZONE, reminderChannel: 'email', team: 'sim' }, { repId })).status).toBe(200);
    const clock = new FakeClock('2026-11-02T14:00:00Z');
    const store = new DynamoStore({ client: rt.dynamo, tableName: rt.env.TABLE_NAME! });
    const useCases = apiUseCases(
      { region: 'us-east-1', tableName: rt.env.TABLE_NAME!, policy: DEFAULT_POLICY },
      { store, scheduler: new FakeScheduler(), links: new FakeLinks(), clock, logger: new RecordingLogger(), random: seededRng(12) },
    );
    const outcomes = seededRng(34);
    const monthEnd = Date.parse('2026-12-01T00:00:00Z');
    // Each prospect's next call: the first on one of the month's first days, then the attempt planned.
    const queue: { id: string; at: number; lastVoicemail?: string; first: boolean }[] = [];
    for (let i = 0; i < 100; i++) {
      const id = `sim-${String(i).padStart(3, '0')}`;
      await useCases.createProspect(repId, { id, name: `Prospect ${i}`, timezone: ZONE, country: 'US', hotButtons: ['cost_savings'] });
      queue.push({ id, at: Date.parse('2026-11-02T14:00:00Z') + (i % 10) * 24 * 3600_000 + i * 60_000, first: true });
    }
    const chosen: { at: number; variant: string }[] = [];
    const tally: Record<string, { used: number; callbacks: number }> = {};

    // Act: call whoever is due next, until the month ends. The first call finds no one (no script
    // yet); after a voicemail, a call reaches the prospect at its variant's true rate, else the rep
    // leaves the reminder's script as the next voicemail; the cadence runs to its end.
    for (;;) {
      queue.sort((x, y) => x.at - y.at);
      const next = queue.shift();
      if (!next || next.at >= monthEnd) break;
      clock.set(new Date(next.at));
      const reached = next.lastVoicemail !== undefined && outcomes() < TRUE_RATE[next.lastVoicemail]!;
      const call = reached ? ({ outcome: 'stalled', stallReason: 'needs_review' } as const) : ({ outcome: next.first ? 'no_answer' : 'voicemail', sendEmail: false } as const);
      const result = await useCases.recordCall({ repId, prospectId: next.id, call });
      if (reached) {
        tally[next.lastVoicemail!]!.callbacks++;
        continue;
      }
      const left = result.call.scriptVariant;
      if (left) {
        tally[left] ??= { used: 0, callbacks: 0 };
        tally[left]!.used++;
      }
      const reminder = result.touches.find((t) => t.kind === 'rep_reminder');
      if (!reminder) continue;
      chosen.push({ at: next.at, variant: reminder.scriptVariant! });
      queue.push({ id: next.id, at: Date.parse(reminder.dueAt) + 2 * 60_000, lastVoicemail: left, first: false });
    }

    // Assess: the share of b among the variants chosen grew from the first week to the last.
    const shareOfB = (from: string, to: string) => {
      const window = chosen.filter((c) => c.at >= Date.parse(from) && c.at < Date.parse(to));
      return window.filter((c) => c.variant === 'hot.cost_savings.b').length / window.length;
    };
    const first = shareOfB('2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z');
    const last = shareOfB('2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z');
    expect(first).toBeLessThan(0.7);
    expect(last).toBeGreaterThan(0.8);
    expect(last).toBeGreaterThan(first + 0.2);

    // The report, over HTTP, gives the team's counts as the simulation tallied them, b ahead.
    const report = await rt.call('GET', '/v1/reports/scripts', undefined, { repId });
    expect(report.status).toBe(200);
    expect(report.body.team).toBe('sim');
    const rows = Object.fromEntries(report.body.variants.map((v: { variant: string }) => [v.variant, v]));
    for (const variant of Object.keys(TRUE_RATE)) expect(rows[variant]).toMatchObject(tally[variant]!);
    const [a, b] = [rows['hot.cost_savings.a'], rows['hot.cost_savings.b']];
    expect(b.used).toBeGreaterThan(a.used);
    expect(b.rate).toBeGreaterThan(a.rate);
    expect(b.low).toBeGreaterThan(a.rate);
    const month = await rt.call('GET', '/v1/reports/scripts?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', undefined, { repId });
    expect(month.body.variants).toEqual(report.body.variants);
    expect(month.body.period).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect((await rt.call('GET', '/v1/reports/scripts?from=2026-11-01T00:00:00Z', undefined, { repId })).status).toBe(400);
    // Another team's rep sees none of it.
    expect((await rt.call('GET', '/v1/reports/scripts')).body).toMatchObject({ team: 'default' });
  });

  it('counts every voicemail of a team posted at the same moment: ADDs in transactions, none lost', async () => {
    // Prepare: twelve prospects of one team, each with a reminder (and its variant) planned.
    const repId = 'rush-rep';
    await rt.call('PUT', '/v1/reps/me', { name: 'Rush Rep', email: uniqueEmail('rush'), timezone: ZONE, reminderChannel: 'email', team: 'rush' }, { repId });
    const ids = Array.from({ length: 12 }, (_, i) => `rush-${i}`);
    rt.clock.set(START);
    for (const id of ids) {
      await rt.call('POST', '/v1/prospects', { id, name: `Rush ${id}`, timezone: ZONE, hotButtons: ['uptime'] }, { repId });
      await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'no_answer' }, { repId });
    }
    rt.clock.set('2026-11-24T16:00:00Z');
    // Act
    const posted = await Promise.all(ids.map((id) => rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'voicemail' }, { repId })));
    // Assess
    expect(posted.map((p) => p.status)).toEqual(ids.map(() => 201));
    const left: Record<string, number> = {};
    for (const p of posted) left[p.body.call.scriptVariant] = (left[p.body.call.scriptVariant] ?? 0) + 1;
    const report = (await rt.call('GET', '/v1/reports/scripts', undefined, { repId })).body;
    expect(Object.fromEntries(report.variants.map((v: { variant: string; used: number }) => [v.variant, v.used]))).toEqual(left);
    expect(report.variants.reduce((sum: number, v: { used: number }) => sum + v.used, 0)).toBe(12);
  });
});
