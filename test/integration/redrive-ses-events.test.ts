/**
 * The operator's drain of the SES events dead-letter queue (scripts/redrive-ses-events.ts), on the
 * local runtime's table in DynamoDB Local and a loopback SQS queue reached through the real
 * SQSClient: both shapes a message takes there, what cannot be read left and reported, a dry run
 * that changes nothing, a replayed bounce that does what the events function does, and a bounce
 * replayed twice that changes nothing the second time.
 */
import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import type { Touch } from '../../functions/core/schemas.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { redriveSesEvents } from '../../scripts/redrive-ses-events.js';
import { startFakeSqs, type FakeSqs } from '../support/fake-sqs.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const MINUTE = 60_000;
const REP = 'rep-1';
const QUOTE = [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }];

/** An SES event as EventBridge delivers it (and as its target's DLQ keeps it). */
function sesEvent(eventType: 'Bounce' | 'Complaint', touch: Touch, email: string, messageId: string) {
  const recipients = [{ emailAddress: email }];
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': eventType === 'Bounce' ? 'Email Bounced' : 'Email Complaint Received',
    source: 'aws.ses',
    account: '123456789012',
    time: START,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventType,
      mail: { messageId, destination: [email], tags: { 'ses:configuration-set': ['followthrough'], touch: [touch.id] } },
      ...(eventType === 'Bounce'
        ? { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: recipients } }
        : { complaint: { complainedRecipients: recipients, complaintFeedbackType: 'abuse' } }),
    },
  };
}

/** The Lambda invocation record its on-failure destination writes after the function threw on every attempt. */
function invocationRecord(event: unknown) {
  return {
    version: '1.0',
    timestamp: START,
    requestContext: { requestId: randomUUID(), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:events:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded' },
  };
}

/** EventBridge's attributes on a message it could not deliver. */
const EVENTBRIDGE_ATTRIBUTES = {
  RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/ses-events',
  TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:events',
  ERROR_CODE: 'NO_PERMISSIONS',
  ERROR_MESSAGE: 'The function policy does not allow events.amazonaws.com to invoke it',
};

describe('redrive of the SES events dead-letter queue', () => {
  let rt: TestRuntime;
  let store: DynamoStore;
  let queue: FakeSqs;
  let sqs: SQSClient;
  const repEmail = uniqueEmail('rep');
  let n = 0;
  /** The bounced and the complaining prospect, each test going on from the one before. */
  let a: Awaited<ReturnType<typeof recapSent>>;
  let b: Awaited<ReturnType<typeof recapSent>>;

  /** A prospect whose recap went out; the resend (prospect email) and the rep's reminder wait. */
  async function recapSent() {
    const id = `d-${++n}`;
    const email = uniqueEmail(id);
    await rt.call('POST', '/v1/prospects', { id, name: `Dee Prospect ${n}`, email, timezone: 'America/New_York', country: 'US' });
    const callbackAt = new Date(rt.clock.now().getTime() + 2 * 24 * 60 * MINUTE).toISOString();
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt, discussed: 'Pumps', materials: QUOTE });
    expect(posted.status).toBe(201);
    await rt.fireNow();
    const recap = (await touches(id)).find((t) => t.kind === 'recap')!;
    expect(recap).toMatchObject({ status: 'sent', messageId: expect.any(String) });
    return { id, email, recap };
  }
  const touches = async (prospectId: string) => (await store.getProspectBundle(REP, prospectId))!.touches;
  /** What a prospect's suppression touches: the prospect, its touches, the suppression list entry. */
  const state = async (prospectId: string, email: string) => ({
    bundle: await store.getProspectBundle(REP, prospectId),
    suppression: await store.getSuppression(email.toLowerCase()),
  });
  /** A plan's shape, without ids and times: what kinds ended how. */
  const shape = (list: Touch[]) =>
    list.map((t) => ({ kind: t.kind, recipient: t.recipient, status: t.status, reason: t.reason, notice: t.notice })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const drain = (options: { dryRun?: boolean; max?: number } = {}) => {
    const lines: string[] = [];
    return redriveSesEvents({ dynamo: rt.dynamo, sqs, tableName: rt.env.TABLE_NAME!, queueUrl: queue.queueUrl, clock: rt.clock, print: (l) => lines.push(l), ...options }).then((result) => ({ ...result, lines }));
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: START, sweep: true });
    store = new DynamoStore({ client: rt.dynamo, tableName: rt.env.TABLE_NAME! });
    await rt.call('PUT', '/v1/reps/me', { name: 'Ray Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email' });
    queue = await startFakeSqs();
    // Loopback only, dummy credentials: nothing here can reach AWS.
    sqs = new SQSClient({ endpoint: queue.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });

  afterAll(async () => {
    sqs?.destroy();
    await queue?.stop();
    await rt?.stop();
  });

  it('lists in a dry run what it would apply from either shape and what it would leave, changing nothing', async () => {
    // Prepare: a bounce EventBridge could not deliver, a complaint the function failed on, and two messages no one can read.
    a = await recapSent();
    b = await recapSent();
    const bounce = queue.send(JSON.stringify(sesEvent('Bounce', a.recap, a.email, a.recap.messageId!)), EVENTBRIDGE_ATTRIBUTES);
    const complaint = queue.send(JSON.stringify(invocationRecord(sesEvent('Complaint', b.recap, b.email, b.recap.messageId!))));
    const garbage = queue.send('{"truncated": ');
    const stranger = queue.send(JSON.stringify({ source: 'aws.ses', detail: { eventType: 'Bounce' } }));
    const before = [await state(a.id, a.email), await state(b.id, b.email)];

    // Act
    const dry = await drain({ dryRun: true });

    // Assess: both events read and described with why they failed; the rest left; nothing written, nothing deleted.
    expect(dry.applied.map((x) => x.messageId)).toEqual([bounce, complaint]);
    expect(dry.lines).toContain(
      `would apply ${bounce}: Bounce (Permanent) of ${a.email}, mail ${a.recap.messageId}, touch ${a.recap.id}; it failed because EventBridge could not invoke the function: NO_PERMISSIONS (${EVENTBRIDGE_ATTRIBUTES.ERROR_MESSAGE})`,
    );
    expect(dry.lines).toContain(
      `would apply ${complaint}: Complaint of ${b.email}, mail ${b.recap.messageId}, touch ${b.recap.id}; it failed because the function failed 3 times (RetriesExhausted; ProvisionedThroughputExceededException: Rate exceeded)`,
    );
    expect(dry.left).toEqual([
      { messageId: garbage, why: 'the body is not JSON' },
      { messageId: stranger, why: expect.stringMatching(/^neither an SES event nor a Lambda invocation record \(detail\.mail: /) },
    ]);
    expect([await state(a.id, a.email), await state(b.id, b.email)]).toEqual(before);
    expect(queue.requests.map((r) => r.action)).not.toContain('DeleteMessage');
    // All four are visible again at once, for the real run.
    expect(queue.messages().map((m) => m.messageId)).toEqual([bounce, complaint, garbage, stranger]);
    expect(queue.messages().every((m) => (m.invisibleUntil ?? 0) <= Date.now())).toBe(true);
    const receive = queue.requests.find((r) => r.action === 'ReceiveMessage')!.input;
    expect(receive).toMatchObject({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] });
  });

  it('applies each event as the events function would, deletes it, and leaves and reports what it cannot read', async () => {
    // Prepare: the queue as the dry run left it, and a twin prospect whose bounce the events function itself handles.
    const twin = await recapSent();
    await rt.handlers.events(sesEvent('Bounce', twin.recap, twin.email, twin.recap.messageId!));

    // Act
    const run = await drain();

    // Assess: both applied and deleted; the two unreadable ones stay, visible, and are listed.
    expect(run.applied.map((x) => x.outcome)).toEqual([`suppressed ${a.email}`, `suppressed ${b.email}`]);
    expect(run.left.map((x) => x.why)).toEqual(['the body is not JSON', expect.stringMatching(/^neither an SES event/)]);
    expect(queue.messages().map((m) => m.body)).toEqual(['{"truncated": ', expect.stringContaining('"eventType":"Bounce"')]);
    expect(queue.messages().every((m) => (m.invisibleUntil ?? 0) <= Date.now())).toBe(true);
    // The bounced address suppressed and its pending prospect email cancelled, exactly as the events function did for the twin.
    expect(await store.getSuppression(a.email.toLowerCase())).toMatchObject({ reason: 'bounced', repId: REP, prospectId: a.id });
    expect(await store.getProspect(REP, a.id)).toMatchObject({ emailSuppressed: { reason: 'bounced' } });
    expect((await touches(a.id)).find((t) => t.kind === 'resend_materials')).toMatchObject({ status: 'cancelled', reason: 'the address bounced' });
    expect(shape(await touches(a.id))).toEqual(shape(await touches(twin.id)));
    expect(await store.getSuppression(b.email.toLowerCase())).toMatchObject({ reason: 'complained' });
    expect((await touches(b.id)).find((t) => t.kind === 'resend_materials')).toMatchObject({ status: 'cancelled', reason: 'the address complained' });

    // The rep's notice, written without Scheduler, goes out with the sweep's next run past its grace.
    for (let i = 1; i <= 11; i++) await rt.fireUntil(new Date(rt.clock.now().getTime() + MINUTE));
    expect((await touches(a.id)).find((t) => t.kind === 'rep_notice')).toMatchObject({ status: 'sent', notice: 'bounced' });
    const subjects = (await rt.inbox(repEmail)).map((e) => e.subject);
    expect(subjects.filter((s) => s === 'Dee Prospect 1: email address bounced')).toHaveLength(1);
    expect(subjects.filter((s) => s === 'Dee Prospect 2: marked our email as spam')).toHaveLength(1);
  });

  it('changes nothing when a bounce already applied is replayed again', async () => {
    // Prepare: the first prospect's bounce arrives in the queue a second time.
    const again = queue.send(JSON.stringify(sesEvent('Bounce', a.recap, a.email, a.recap.messageId!)), EVENTBRIDGE_ATTRIBUTES);
    const before = await state(a.id, a.email);
    const inbox = (await rt.inbox(repEmail)).length;

    // Act
    const run = await drain();
    for (let i = 1; i <= 11; i++) await rt.fireUntil(new Date(rt.clock.now().getTime() + MINUTE));

    // Assess: applied (and gone from the queue), yet not one write, and the rep is not told twice.
    expect(run.applied).toEqual([{ messageId: again, event: expect.stringContaining('Bounce (Permanent)'), outcome: `suppressed ${a.email}` }]);
    expect(queue.messages().map((m) => m.messageId)).not.toContain(again);
    expect(await state(a.id, a.email)).toEqual(before);
    expect((await rt.inbox(repEmail)).length).toBe(inbox);
  });

  it('leaves an event it could not apply in the queue, with the error', async () => {
    // Prepare: a bounce to apply, against a table that is not there (the cause not fixed yet).
    const bounce = queue.send(JSON.stringify(sesEvent('Bounce', b.recap, b.email, b.recap.messageId!)));
    // Act
    const lines: string[] = [];
    const run = await redriveSesEvents({ dynamo: rt.dynamo, sqs, tableName: 'no-such-table', queueUrl: queue.queueUrl, print: (l) => lines.push(l) });
    // Assess
    expect(run.applied).toEqual([]);
    expect(run.left.find((x) => x.messageId === bounce)?.why).toMatch(/^could not apply Bounce \(Permanent\) of .*: ResourceNotFoundException/);
    expect(lines).toContain(`left ${bounce}: ${run.left.find((x) => x.messageId === bounce)!.why}`);
    expect(queue.messages().map((m) => m.messageId)).toContain(bounce);
  });

  it('stops after --max messages and leaves the rest, visible', async () => {
    const waiting = queue.messages().length;
    const run = await drain({ max: 1, dryRun: true });
    expect(run.applied.length + run.left.length).toBe(1);
    expect(queue.messages()).toHaveLength(waiting);
    expect(queue.messages().every((m) => (m.invisibleUntil ?? 0) <= Date.now())).toBe(true);
  });
});
