/**
 * Minute precision, handled: with the local scheduler firing anywhere within each due minute, as
 * EventBridge Scheduler does (SCHEDULER_JITTER=minute), a callback two and a half minutes ahead
 * always gives the recap, then the resend threaded under the recap's Message-ID, and the rep's
 * reminder on its second (scheduled a minute ahead, it waits: core/on-time.ts). The recap and the
 * resend are set a minute apart, so they often share a minute and the resend can fire first: it
 * must then wait (Lambda's retry a minute later), never leave before the recap or outside its thread. Many seeds, each starting at another second of the
 * minute; the time moves in 5-second steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SES_MESSAGE_ID_DOMAIN } from '../../functions/local/runtime.js';
import type { StoredEmail } from '../../functions/local/ses.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

const START = '2026-11-23T15:00:00Z';
const SEEDS = 24;
const STEP_MS = 5_000;

/** A seeded uniform RNG in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const header = (email: StoredEmail, name: string) => email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

describe('minute precision (SCHEDULER_JITTER=minute) on the local runtime', () => {
  let rt: TestRuntime;
  let draw: () => number = seeded(0);
  const repEmail = uniqueEmail('rep');
  /** What each seed's run delivered, for the report. */
  const runs: { seed: number; startedAt: string; resendFirst: boolean; inbox: { subject: string; at: string; inReplyTo?: string }[] }[] = [];

  beforeAll(async () => {
    rt = await testRuntime({ start: START, jitter: 'minute', random: () => draw() });
    await rt.call('PUT', '/v1/reps/me', { name: 'Jo Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it(`sends the recap, then the threaded resend, and the reminder on its second, for ${SEEDS} seeds`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      // Prepare: a fresh minute, started at a different second each time, and a seeded scheduler.
      draw = seeded(seed);
      const minute = Math.ceil(rt.clock.now().getTime() / 60_000) * 60_000 + 10 * 60_000;
      rt.clock.set(new Date(minute + ((seed * 17) % 60) * 1000));
      const id = `j-${seed}`;
      const email = uniqueEmail(id);
      await rt.call('POST', '/v1/prospects', { id, name: `Jay Prospect ${seed}`, email, timezone: 'America/New_York', country: 'US', hotButtons: ['uptime'] });
      const callbackAt = new Date(rt.clock.now().getTime() + 150_000).toISOString();
      const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, {
        outcome: 'callback_agreed',
        callbackAt,
        discussed: 'Line 3 stops twice a week',
        materials: [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }],
      });
      expect(posted.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
      const startedAt = rt.clock.now().toISOString();
      // When the jittered scheduler will invoke each: the resend sometimes comes first.
      const fireAt = (kind: string) => rt.aws.scheduler.list().find((s) => s.name === `touch-${posted.body.plan.find((t: { kind: string }) => t.kind === kind).id}`)!.at.getTime();
      const resendFirst = fireAt('resend_materials') < fireAt('recap');

      // Act: time passes in steps until two minutes after the callback.
      const end = Date.parse(callbackAt) + 120_000;
      for (let t = rt.clock.now().getTime(); t <= end; t += STEP_MS) await rt.fireUntil(new Date(t));

      // Assess: in that order (the local SES keeps mail in the order it was sent), the resend in the recap's thread.
      const sent = (await rt.inboxes(email, repEmail)).filter((m) => m.destination.to[0] === email || m.subject.includes(`Jay Prospect ${seed} `));
      const touches = (await rt.call('GET', `/v1/prospects/${id}`)).body.touches as { kind: string; status: string; sentAt?: string; messageId?: string }[];
      const sentAt = (messageId: string) => touches.find((t) => t.messageId === messageId)?.sentAt;
      runs.push({
        seed,
        startedAt,
        resendFirst,
        inbox: sent.map((e) => ({ subject: e.subject, at: sentAt(e.messageId) ?? '?', ...(header(e, 'In-Reply-To') ? { inReplyTo: header(e, 'In-Reply-To') } : {}) })),
      });
      expect(touches.map((t) => [t.kind, t.status]), `seed ${seed}`).toEqual([
        ['recap', 'sent'],
        ['resend_materials', 'sent'],
        ['rep_reminder', 'sent'],
      ]);
      // The prospect's two in order, the resend in the recap's thread; the rep's reminder on its second,
      // wherever the resend's wait for its recap put it.
      const [recap, resend] = sent.filter((m) => m.destination.to[0] === email);
      const reminder = sent.find((m) => m.destination.to[0] !== email);
      expect(sent, `seed ${seed}`).toHaveLength(3);
      expect(recap!.subject, `seed ${seed}`).toMatch(/^Recap of our call/);
      expect(resend!.subject, `seed ${seed}`).toBe(`Re: ${recap!.subject}`);
      expect(reminder!.subject, `seed ${seed}`).toMatch(new RegExp(`^Call Jay Prospect ${seed} `));
      expect(header(resend!, 'In-Reply-To'), `seed ${seed}`).toBe(`<${recap!.messageId}@${LOCAL_SES_MESSAGE_ID_DOMAIN}>`);
      expect(header(resend!, 'References'), `seed ${seed}`).toBe(`<${recap!.messageId}@${LOCAL_SES_MESSAGE_ID_DOMAIN}>`);
      expect(sentAt(recap!.messageId)! <= sentAt(resend!.messageId)!, `seed ${seed}`).toBe(true);
      expect(sentAt(reminder!.messageId), `seed ${seed}`).toBe(callbackAt.replace(/\.\d{3}Z$/, 'Z'));
    }
    // The seeds met the race the resend must wait out at least once, or the test proved little.
    expect(runs.filter((r) => r.resendFirst).length).toBeGreaterThan(0);
    if (process.env.JITTER_REPORT) console.log(JSON.stringify(runs, null, 1));
  });
});
