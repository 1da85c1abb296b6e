/**
 * The template library: every template renders in strict mode for every hot button x stall reason
 * x promise, voicemails keep the playbook's promises, SMS fit their segments, selection goes most
 * specific first, and rep data is escaped in HTML and never compiled.
 */
import { describe, expect, it } from 'vitest';
import { renderEmail, renderSms, renderVoicemail, viewModel } from '../../functions/core/messages.js';
import type { StallReason } from '../../functions/core/schemas.js';
import { STALL_REASONS, TOUCH_KINDS } from '../../functions/core/schemas.js';
import { fitsSms, smsSegments } from '../../functions/core/sms-text.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import type { CompiledTemplateEntry } from '../../functions/core/template-types.js';
import { HOT_BUTTON_CASES, input, KNOWN_HOT_BUTTONS, problems, SHEET_URL, STALL_CASES } from './message-fixtures.js';

const library = new TemplateLibrary();

const MATRIX = HOT_BUTTON_CASES.flatMap((hotButton) =>
  STALL_CASES.flatMap((stall) => [true, false].map((promise) => ({ hotButton, stall, promise }))),
);

function expectClean(text: string): void {
  expect(problems(text), text).toEqual([]);
}

describe('every template in strict mode', () => {
  it('renders every email kind, the voicemail and the SMS for every hot button x stall reason x promise', () => {
    for (const { hotButton, stall, promise } of MATRIX) {
      // Prepare
      const base = { hotButton, stall, promise };

      // Act
      const emails = TOUCH_KINDS.map((kind) => renderEmail(input({ ...base, kind }), library));
      const voicemail = renderVoicemail(input(base), library);
      const sms = renderSms(input(base), library);

      // Assess
      for (const email of emails) {
        expect(email.subject.length).toBeGreaterThan(0);
        expectClean(email.subject);
        expectClean(email.text);
        expect(email.html).not.toContain('{{');
      }
      expectClean(voicemail.text);
      expect(voicemail.template).toMatch(/^voicemail\//);
      expectClean(sms.body);
      expect(fitsSms(sms.body)).toBe(true);
      expect(sms.body).toContain(SHEET_URL);
    }
  });

  it('composes every voicemail with and without the rep phone, company, last conversation and promise', () => {
    const dataCases = [{}, { rep: { phone: undefined, company: undefined } }, { prospect: { company: undefined } }];
    for (const hotButton of HOT_BUTTON_CASES) {
      for (const stall of STALL_CASES) {
        for (const data of dataCases) {
          for (const promise of [true, false]) {
            // Prepare
            const options = { ...data, hotButton, stall, promise };
            const view = viewModel(input(options), library);

            // Act
            const { text } = renderVoicemail(input(options), library);
            const bare = renderVoicemail({ ...input(options), call: undefined, lastConversation: undefined }, library).text;

            // Assess
            expectClean(text);
            expectClean(bare);
            expect(text.startsWith('Hi Dana,')).toBe(true);
            expect(text).toContain(view.lastSpoke!.spoken);
            if (view.rep.phoneSpoken) expect(text).toContain('My number is 555 123 0000.');
            else expect(text).not.toMatch(/\d{3} \d{3} \d{4}/);
            if (promise) expect(text).toContain(`I'll try you again ${view.promise!.spoken} at ${view.promise!.clock}.`);
            else expect(text).toMatch(/short note/);
          }
        }
      }
    }
  });
});

describe('selection, most specific first', () => {
  const entry = (meta: Record<string, string>): CompiledTemplateEntry => ({ meta, html: false, spec: {} });
  // File names deliberately say nothing: selection goes by front matter.
  const keyed = new TemplateLibrary({
    'vm/a': entry({}),
    'vm/b': entry({ hotButton: 'cost_savings' }),
    'vm/c': entry({ stallReason: 'price' }),
    'vm/d': entry({ stallReason: 'price', hotButton: 'cost_savings' }),
    'vm/e': entry({ hotButton: 'quality' }),
    'vm/f': entry({ stallReason: 'comparing', hotButton: 'growth' }),
  });

  it('prefers stall + hot button, then hot button, then stall, then the default', () => {
    // Act + Assess
    expect(keyed.select('vm', ['cost_savings'], 'price')).toBe('vm/d');
    expect(keyed.select('vm', ['cost_savings'], 'comparing')).toBe('vm/b');
    expect(keyed.select('vm', ['cost_savings'])).toBe('vm/b');
    expect(keyed.select('vm', [], 'price')).toBe('vm/c');
    expect(keyed.select('vm', [], 'needs_review')).toBe('vm/a');
    expect(keyed.select('vm', [])).toBe('vm/a');
  });

  it('lets an unknown top hot button fall through to the next known one, then to the defaults', () => {
    // Act + Assess
    expect(keyed.select('vm', ['brand_image', 'cost_savings'], 'price')).toBe('vm/d');
    expect(keyed.select('vm', ['brand_image', 'quality'], 'price')).toBe('vm/e');
    expect(keyed.select('vm', ['brand_image'], 'price')).toBe('vm/c');
    expect(keyed.select('vm', ['brand_image'])).toBe('vm/a');
    // A hot button known only in a pair for another stall still falls back cleanly.
    expect(keyed.select('vm', ['growth'], 'price')).toBe('vm/c');
  });

  it('refuses a family without a default', () => {
    // Prepare
    const noDefault = new TemplateLibrary({ 'vm/b': entry({ hotButton: 'cost_savings' }) });

    // Act + Assess
    expect(() => noDefault.select('vm', ['quality'])).toThrow(/no default template/);
  });

  it('returns the chosen script from the real library, and records it with the sheet', () => {
    // Act
    const chosen = [
      renderVoicemail(input({ hotButton: 'cost_savings', stall: 'price' }), library).template,
      renderVoicemail(input({ hotButton: 'cost_savings', stall: 'comparing' }), library).template,
      renderVoicemail(input({ stall: 'comparing' }), library).template,
      renderVoicemail(input({ hotButton: 'brand_image', stall: 'comparing' }), library).template,
      renderVoicemail(input({ hotButton: 'brand_image' }), library).template,
      renderVoicemail(input({ prospect: { hotButtons: ['brand_image', 'service'] }, stall: 'waiting_on_customer' }), library).template,
    ];
    const email = renderEmail(input({ hotButton: 'ease_of_use', stall: 'needs_review' }), library);

    // Assess
    expect(chosen).toEqual([
      'voicemail/price+cost_savings[opening.again,number,promise]',
      'voicemail/parts[opening.again,stall.comparing,hot.cost_savings.a,question.comparing,number,promise]',
      'voicemail/parts[opening.again,stall.comparing,line.general,question.comparing,number,promise]',
      'voicemail/parts[opening.again,stall.comparing,hot.brand_image,question.comparing,number,promise]',
      'voicemail/parts[opening.again,hot.brand_image,question.brand_image,number,promise]',
      'voicemail/waiting_on_customer+service[opening.again,mention.brand_image,number,promise]',
    ]);
    expect(email.template).toBe('email/rep_reminder + voicemail/needs_review+ease_of_use[opening.again,number,promise]');
    expect(email.variant).toBe('pair.needs_review+ease_of_use.a');
  });

  it('labels hot buttons from the front matter of their script, and unknown ones from the key', () => {
    // Act
    const view = viewModel(input({ prospect: { hotButtons: ['risk_compliance', 'brand_image'] } }), library);

    // Assess
    expect(view.hotButtons).toEqual([
      { key: 'risk_compliance', label: 'risk and compliance' },
      { key: 'brand_image', label: 'brand image' },
    ]);
  });
});

describe('the call-prep sheet', () => {
  it('carries everything the rep needs to open the call', () => {
    // Act
    const email = renderEmail(input({ hotButton: 'uptime', stall: 'decision_maker' }), library);

    // Assess
    expect(email.subject).toBe('Call Dana Buyer now at 4:00 PM EST - uptime');
    expect(email.text).toContain('CALL Dana Buyer (Acme Plant) - attempt 2');
    expect(email.text).toContain('Phone: (555) 765-4321');
    expect(email.text).toContain('Their local time now: Wed 3:00 PM CST');
    expect(email.text).toContain('Last spoke: Monday, November 23 (2 days ago)');
    expect(email.text).toContain('What was discussed: Line 3 stops twice a week; the service plan presented');
    expect(email.text).toContain('What was supposed to happen since: Dana reviews the quote with the plant manager');
    expect(email.text).toContain('Decision makers: Dana; Lee (plant manager)');
    expect(email.text).toContain('Hot buttons: uptime');
    expect(email.text).toContain('- How did the conversation with the other decision maker go?');
    expect(email.text).toContain('propose a short call with both of them');
    expect(email.text).toContain('Resent to them Wednesday, November 25 at 2:50 PM CST: Quote Q-1042');
    expect(email.text).toContain('IF YOU GET VOICEMAIL, SAY (then call again Thursday, November 26 at 10:00 AM CST)');
    expect(email.text).not.toContain('STILL TO QUALIFY');
    expect(email.html).toContain('href="tel:+15557654321"');
    expect(email.html).toContain(`href="${SHEET_URL.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`);
  });

  it("names the day of the call on the rep's own calendar, as the clock beside it is", () => {
    // Prepare: Wednesday 3:00 PM in Chicago is Thursday 8:00 AM in Melbourne; previewed the day before.
    const ahead = { ...input({ hotButton: 'uptime', rep: { timezone: 'Australia/Melbourne' } }), now: new Date('2026-11-24T15:00:00Z') };
    // Tuesday 11:00 PM in Melbourne is still Tuesday morning in Chicago, where the call is due at 3:00 PM.
    const lateEvening = { ...input({ rep: { timezone: 'Australia/Melbourne' } }), dueAt: '2026-11-24T21:00:00Z', now: new Date('2026-11-24T12:00:00Z') };

    // Act
    const email = renderEmail(ahead, library);
    const sms = renderSms(ahead, library);
    const tomorrow = renderEmail(lateEvening, library);

    // Assess
    expect(email.subject).toBe('Call Dana Buyer on Thursday at 8:00 AM AEDT - uptime');
    expect(email.text).toContain('When: Wednesday, November 25 at 3:00 PM CST (your time Thursday 8:00 AM AEDT)');
    expect(sms.body).toContain('Call Dana Buyer (Acme Plant) Thu at 8:00 AM AEDT');
    expect(tomorrow.subject).toBe('Call Dana Buyer on Wednesday at 8:00 AM AEDT');
  });

  it('lists the questions still to qualify, ending with what else stands in the way', () => {
    // Act
    const email = renderEmail(input({ stall: 'cooled_off', call: { whatHappensNext: undefined, decisionMakers: [] } }), library);

    // Assess
    expect(email.text).toContain(
      [
        'STILL TO QUALIFY',
        '- What happens next, and then what?',
        '- Who else is involved in the decision, and how do you decide?',
        '- When do you need this in place?',
        '- Other than that, is there anything stopping you from moving forward?',
      ].join('\n'),
    );
    expect(email.text).toContain('- What happens if you do nothing about this?');
    expect(email.html).toContain('<li>Other than that, is there anything stopping you from moving forward?</li>');
  });

  it('asks only what is missing when part of the decision process is known', () => {
    // Act
    const view = viewModel(input({ call: { whatHappensNext: 'They send it to the board', decisionMakers: [] } }), library);

    // Assess
    expect(view.qualificationQuestions).toEqual([
      'Who else is involved in the decision, and how do you decide?',
      'When do you need this in place?',
      'Other than that, is there anything stopping you from moving forward?',
    ]);
  });
});

describe('SMS reminder', () => {
  it('fits two GSM-7 segments with long names, a long company and a 120-character link', () => {
    // Prepare
    const long = input({
      hotButton: 'risk_compliance',
      stall: 'waiting_on_customer',
      prospect: { name: 'Bartholomew Featherstonehaugh-Smythe', company: 'Consolidated Industrial Manufacturing Holdings' },
    });

    // Act
    const sms = renderSms(long, library);

    // Assess
    expect(SHEET_URL).toHaveLength(120);
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(smsSegments(sms.body).units).toBeLessThanOrEqual(306);
    expect(sms.template).toBe('sms/rep_reminder');
    expect(sms.body).toMatch(/^Call Bartholomew/);
    expect(sms.body).toContain('+15557654321');
    expect(sms.body).toContain('4:00 PM EST');
    expect(sms.body.endsWith(`Sheet: ${SHEET_URL}`)).toBe(true);
    expect(sms.dropped[0]).toBe('company');
  });

  it('keeps everything for a typical prospect', () => {
    // Act
    const sms = renderSms(input({ hotButton: 'uptime', stall: 'needs_review' }), library);

    // Assess
    expect(sms.dropped).toEqual([]);
    expect(sms.body).toBe(
      `Call Dana Buyer (Acme Plant) now at 4:00 PM EST: +15557654321. Hot button: uptime. Stall: reviewing the material. On VM say you'll retry Thu 10:00 AM CST. Sheet: ${SHEET_URL}`,
    );
  });

  it('spells a name in GSM-7 when only its accents are lost, and keeps everything else in two segments', () => {
    // Prepare: one "ë" would make the whole text UCS-2, 134 characters for everything, link included.
    const accented = input({ hotButton: 'cost_savings', stall: 'price', prospect: { name: 'Zoë Ærøskøbing 🚀', company: 'Müller & Söhne GmbH' } });

    // Act
    const sms = renderSms(accented, library);

    // Assess
    expect(sms.dropped).toEqual(['accents']);
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(sms.body).toMatch(/^Call Zoe Ærøskøbing \(Müller & Söhne GmbH\) now at 4:00 PM EST: \+15557654321\. Hot button: cost savings\./);
    expect(sms.body.endsWith(`Sheet: ${SHEET_URL}`)).toBe(true);
  });

  it('keeps two segments for a name in another script: what GSM-7 cannot spell is left to the sheet, the hot button stays', () => {
    // Prepare: UCS-2 has no room for the link at all (134 units); GSM-7 without the name keeps the rest.
    const japanese = input({ hotButton: 'uptime', stall: 'needs_review', prospect: { name: '山田 太郎', company: '山田製作所' } });
    const mixed = input({ hotButton: 'cost_savings', stall: 'price', prospect: { name: 'Zoë Ng 李', company: 'Łódź Café Группа' } });

    // Act
    const sms = renderSms(japanese, library);
    const sms2 = renderSms(mixed, library);

    // Assess
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(sms.dropped[0]).toBe('characters outside GSM-7');
    expect(sms.body).toMatch(/^Call your prospect now at 4:00 PM EST: \+15557654321\. Hot button: uptime\./);
    expect(sms.body.endsWith(`Sheet: ${SHEET_URL}`)).toBe(true);
    expect(sms2.encoding).toBe('GSM-7');
    expect(sms2.segments).toBeLessThanOrEqual(2);
    expect(sms2.body).toMatch(/^Call Zoe Ng \(Lodz Café\) now at 4:00 PM EST: \+15557654321\. Hot button: cost savings\./);
  });

  it('keeps a name in another script when the text fits two UCS-2 segments with it', () => {
    // Prepare: no link, so 134 units hold the essentials.
    const noLink = { ...input({ hotButton: 'uptime', stall: 'needs_review', prospect: { name: '山田 太郎', company: '山田製作所' } }), links: {} };

    // Act
    const sms = renderSms(noLink, library);

    // Assess
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(smsSegments(sms.body).units).toBeLessThanOrEqual(134);
    expect(sms.body).toMatch(/^Call 山田 太郎 now at 4:00 PM EST: \+15557654321\./);
    expect(sms.dropped[0]).toBe('company');
  });

  it('says it is the last try when no promise follows, and still fits without a link', () => {
    // Prepare
    const last = { ...input({ hotButton: 'growth', promise: false }), links: {} };

    // Act
    const sms = renderSms(last, library);

    // Assess
    expect(sms.body).toBe('Call Dana Buyer (Acme Plant) now at 4:00 PM EST: +15557654321. Hot button: growth. Last try: on VM say a note follows.');
    expect(sms.segments).toBe(1);
  });

  it('cuts the words but never the link when even the short form is too long', () => {
    // Prepare
    const hugeLink = `https://followthrough.example.com/sheet?sig=${'x'.repeat(250)}`;
    const huge = { ...input({ prospect: { name: 'Ἀριστοτέλης Νικομάχου Σταγειρίτης' } }), links: { sheet: hugeLink } };

    // Act
    const sms = renderSms(huge, library);

    // Assess
    expect(sms.body).toContain(hugeLink);
    expect(fitsSms(sms.body)).toBe(true);
    expect(sms.dropped).toContain('text');
  });
});

describe('escaping hostile rep data', () => {
  const HOSTILE = 'Tom {{constructor}} {{#each x}}y{{/each}} <script>alert(1)</script> "quotes" & {{rep.email}}';
  const hostile = () =>
    input({
      hotButton: 'uptime',
      stall: 'needs_review',
      prospect: { name: `Eve ${HOSTILE}`, company: HOSTILE },
      rep: { signature: HOSTILE },
      call: {
        discussed: HOSTILE,
        whatHappensNext: HOSTILE,
        notes: HOSTILE,
        decisionMakers: [HOSTILE],
        materials: [{ title: HOSTILE, url: 'https://example.com/q?a=1&b="2"' }],
      },
    });
  const ESCAPED = 'Tom {{constructor}} {{#each x}}y{{/each}} &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; {{rep.email}}';

  it('prints it as written in text parts and never compiles it', () => {
    for (const kind of TOUCH_KINDS) {
      // Act
      const email = renderEmail({ ...hostile(), kind, notice: kind === 'rep_notice' ? 'bounced' : undefined }, library);

      // Assess
      expect(email.text).toContain(HOSTILE);
      expect(email.text).not.toContain('ann@example.com');
      expect(email.subject).not.toContain('ann@example.com');
    }
    const sheet = renderEmail(hostile(), library).text;
    expect(sheet).toContain(`What was discussed: ${HOSTILE}`);
    expect(sheet).toContain(`Notes: ${HOSTILE}`);
    expect(renderSms(hostile(), library).body).not.toContain('ann@example.com');
  });

  it('escapes it in HTML parts', () => {
    for (const kind of TOUCH_KINDS) {
      // Act
      const { html } = renderEmail({ ...hostile(), kind, notice: kind === 'rep_notice' ? 'bounced' : undefined }, library);

      // Assess
      expect(html).toContain(ESCAPED);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('"quotes"');
      expect(html).not.toContain('ann@example.com');
    }
    expect(renderEmail({ ...hostile(), kind: 'recap' }, library).html).toContain('href="https://example.com/q?a&#x3D;1&amp;b&#x3D;&quot;2&quot;"');
  });

  it('keeps hostile names out of the voicemail markup too', () => {
    // Act
    const { text } = renderVoicemail(hostile(), library);
    const { html } = renderEmail(hostile(), library);

    // Assess
    expect(text.startsWith('Hi Eve,')).toBe(true);
    expect(html).toContain('<p style="margin:0 0 4px">Hi Eve, Ann Rep from Brightline Pumps again, following up on our talk on Monday.</p><p style="margin:0 0 4px">You wanted some time to go through the material.</p>');
  });
});
