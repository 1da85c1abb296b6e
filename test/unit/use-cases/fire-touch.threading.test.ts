/**
 * The resend replies in its recap's thread, under the Message-ID SES stamped on the recap (told by
 * the recap's Send event), never before the recap, never outside its thread.
 */
import { describe, expect, it } from 'vitest';
import type { Touch } from '../../../functions/core/schemas.js';
import type { SesEvent } from '../../../functions/core/ses-event.js';
import { fireTouch, RecapNotSentError } from '../../../functions/use-cases/fire-touch.js';
import { handleSesEvent } from '../../../functions/use-cases/handle-ses-event.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { MONDAY, REP_ID, seeded, touchNamed, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];
const STAMPED = (id: string) => `<${id}@email.amazonses.com>`;

/** Recap, resend and reminder planned; no Message-ID domain configured: only Send events tell it. */
async function planned(): Promise<{ deps: FakeDeps; recap: Touch; resend: Touch }> {
  const deps = useCaseDeps({ mail: { sender: 'followthrough@mail.example.com' } });
  await seeded(deps);
  const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: QUOTE } });
  const [recap, resend] = touches as [Touch, Touch];
  return { deps, recap, resend };
}
/** Scheduler delivers a schedule at its time: the clock moves there first if it is not there yet. */
const fire = (deps: FakeDeps, t: Touch) => {
  const schedule = deps.scheduler.schedules.get(`touch-${t.id}`)!;
  if (schedule.at > deps.clock.now()) deps.clock.set(schedule.at);
  return fireTouch(deps, schedule.payload);
};

/** The recap's Send event as EventBridge delivers it, with the header SES stamped. */
function sendEvent(touchId: string, messageId: string, header: string | undefined): SesEvent {
  return {
    source: 'aws.ses',
    'detail-type': 'Email Sent',
    detail: {
      eventType: 'Send',
      mail: {
        messageId,
        tags: { touch: [touchId], kind: ['recap'] },
        headers: [{ name: 'From', value: 'x@example.com' }, ...(header ? [{ name: 'Message-ID', value: header }] : [])],
        commonHeaders: { messageId: header ?? messageId },
      },
    },
  };
}
const header = (email: { headers?: { name: string; value: string }[] }, name: string) => email.headers?.find((h) => h.name === name)?.value;

describe('fireTouch: the resend in its recap’s thread', () => {
  it('waits while the recap has not gone out: throws for a retry, sends nothing, releases its claim', async () => {
    const { deps, recap, resend } = await planned();

    await expect(fire(deps, resend)).rejects.toThrow(RecapNotSentError);

    expect(deps.mailer.sent).toHaveLength(0);
    const stored = await touchNamed(deps.store, resend);
    expect(stored.status).toBe('scheduled');
    expect(stored.claimedAt).toBeUndefined();
    expect((await touchNamed(deps.store, recap)).status).toBe('scheduled');
  });

  it('waits for the recap’s Send event, then replies under the Message-ID SES stamped', async () => {
    const { deps, recap, resend } = await planned();
    await fire(deps, recap);
    // Sent, but SES has not told the Message-ID yet.
    await expect(fire(deps, resend)).rejects.toThrow(/Send event has not told its Message-ID/);

    expect(await handleSesEvent(deps, sendEvent(recap.id, 'mail-1', STAMPED('mail-1')))).toMatchObject({ result: 'recorded', touchId: recap.id });
    expect(await fire(deps, resend)).toMatchObject({ result: 'sent' });

    const [first, second] = deps.mailer.sent;
    expect(header(second!, 'In-Reply-To')).toBe(STAMPED('mail-1'));
    expect(header(second!, 'References')).toBe(STAMPED('mail-1'));
    expect(second!.subject).toBe(`Re: ${first!.subject}`);
  });

  it('takes no Message-ID the event does not carry whole, nor one of another message', async () => {
    const { deps, recap } = await planned();
    await fire(deps, recap);

    // That it went out is still recorded; only the Message-ID is not taken.
    expect(await handleSesEvent(deps, sendEvent(recap.id, 'mail-1', undefined))).toMatchObject({ result: 'recorded', detail: 'sent; no Message-ID in the Send event' });
    expect(await handleSesEvent(deps, sendEvent(recap.id, 'mail-1', STAMPED('mail-9')))).toMatchObject({ result: 'recorded', detail: 'sent; no Message-ID in the Send event' });
    expect((await touchNamed(deps.store, recap)).messageIdHeader).toBeUndefined();
    expect(deps.logger.entries.some((e) => e.level === 'warn' && /SES_MESSAGE_ID_DOMAIN/.test(e.message))).toBe(true);
  });

  it('ignores a header recorded for an earlier send of the recap', async () => {
    const { deps, recap, resend } = await planned();
    await fire(deps, recap);
    await deps.store.recordSendEvent(recap, { messageId: 'mail-0', at: MONDAY, header: STAMPED('mail-0') });
    await expect(fire(deps, resend)).rejects.toThrow(RecapNotSentError);
  });

  it('threads on the configured domain when the operator set one', async () => {
    const { deps, recap, resend } = await planned();
    deps.mail = { sender: 'followthrough@mail.example.com', messageIdDomain: 'eu-west-1.amazonses.com' };
    await fire(deps, recap);
    await fire(deps, resend);
    expect(header(deps.mailer.sent[1]!, 'In-Reply-To')).toBe('<mail-1@eu-west-1.amazonses.com>');
  });

  it('goes as a message of its own when the recap will not go out', async () => {
    const { deps, recap, resend } = await planned();
    await deps.store.updateTouch(recap, { status: 'skipped', reason: 'quiet hours' });
    expect(await fire(deps, resend)).toMatchObject({ result: 'sent' });
    expect(header(deps.mailer.sent[0]!, 'In-Reply-To')).toBeUndefined();
  });
});
