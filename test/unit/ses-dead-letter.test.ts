import { describe, expect, it } from 'vitest';
import { describeSesEvent, readSesDeadLetter } from '../../functions/core/ses-dead-letter.js';

const EVENT = {
  version: '0',
  'detail-type': 'Email Bounced',
  source: 'aws.ses',
  detail: {
    eventType: 'Bounce',
    mail: { messageId: 'mail-1', tags: { touch: ['t-1'] } },
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'dana@northwind.example' }] },
  },
};

describe('readSesDeadLetter', () => {
  it('reads the event EventBridge could not deliver, with the error from its attributes', () => {
    const read = readSesDeadLetter(JSON.stringify(EVENT), { ERROR_CODE: 'THROTTLING', RULE_ARN: 'arn:aws:events:us-east-1:1:rule/r' });
    expect(read).toEqual({ ok: true, from: 'eventbridge', event: expect.objectContaining({ detail: expect.objectContaining({ eventType: 'Bounce' }) }), failure: 'EventBridge could not invoke the function: THROTTLING' });
  });

  it('reads the event out of a Lambda invocation record, with the error the function threw', () => {
    const record = {
      version: '1.0',
      timestamp: '2026-11-23T15:00:00.000Z',
      requestContext: { requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:1:function:events:$LATEST', condition: 'EventAgeExceeded', approximateInvokeCount: 2 },
      requestPayload: EVENT,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom', trace: [] },
    };
    const read = readSesDeadLetter(JSON.stringify(record));
    expect(read).toMatchObject({ ok: true, from: 'lambda', failure: 'the function failed 2 times (EventAgeExceeded; Error: boom)' });
    if (read.ok) expect(describeSesEvent(read.event)).toBe('Bounce (Permanent) of dana@northwind.example, mail mail-1, touch t-1');
  });

  it('says why it cannot read the rest', () => {
    expect(readSesDeadLetter('nope')).toEqual({ ok: false, why: 'the body is not JSON' });
    expect(readSesDeadLetter('[1]')).toMatchObject({ ok: false, why: expect.stringMatching(/^neither an SES event nor a Lambda invocation record/) });
    const notSes = { requestContext: { condition: 'RetriesExhausted' }, requestPayload: { v: 1, touchId: 't-1' } };
    expect(readSesDeadLetter(JSON.stringify(notSes))).toMatchObject({ ok: false, why: expect.stringMatching(/^a Lambda invocation record whose payload is not an SES event \(detail: /) });
  });
});
