/**
 * The template library: every template renders in strict mode for every hot button x stall reason
 * x promise, voicemails keep the playbook's promises, SMS fit their segments, selection goes most
 * specific first, and rep data is escaped in HTML and never compiled.
 */
import { describe, expect, it } from 'vitest';
import {
  renderEmail,
  renderSms,
  renderVoicemail,
  viewModel,
  type MessageInput,
} from '../../functions/core/messages.js';
import type { Call, Prospect, Rep, StallReason, TouchKind } from '../../functions/core/schemas.js';
import { STALL_REASONS, TOUCH_KINDS } from '../../functions/core/schemas.js';
import { fitsSms, smsSegments } from '../../functions/core/sms-text.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import type { CompiledTemplateEntry } from '../../functions/core/template-types.js';

const library = new TemplateLibrary();

const KNOWN_HOT_BUTTONS = [
  'cost_savings',
  'time_savings',
  'uptime',
  'quality',
  'risk_compliance',
  'growth',
  'ease_of_use',
  'service',
] as const;
const HOT_BUTTON_CASES: (string | undefined)[] = [...KNOWN_HOT_BUTTONS, 'brand_image', undefined];
const STALL_CASES: (StallReason | undefined)[] = [...STALL_REASONS, undefined];
const PROMISE_AT = '2026-11-26T16:00:00Z'; // Thursday 10:00 AM in Chicago
const SHEET_URL = `https://followthrough.example.com/sheet/t_01JDXYZ?exp=1764108000&sig=${'A1b2C3d4'.repeat(10)}`.slice(0, 120);

function rep(overrides: Partial<Rep> = {}): Rep {
  return {
    id: 'rep-1',
    name: 'Ann Rep',
    email: 'ann@example.com',
    phone: '+15551230000',
    timezone: 'America/New_York',
    reminderChannel: 'sms',
    company: 'Brightline Pumps',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

function prospect(overrides: Partial<Prospect> = {}): Prospect {
  return {
    id: 'dana',
    repId: 'rep-1',
    name: 'Dana Buyer',
    company: 'Acme Plant',
    email: 'dana@example.com',
    phone: '+15557654321',
    timezone: 'America/Chicago',
    country: 'US',
    hotButtons: [],
    status: 'active',
    attempts: 1,
    version: 3,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

function call(overrides: Partial<Call> = {}): Call {
  return {
    id: 'call-1',
    prospectId: 'dana',
    repId: 'rep-1',
    outcome: 'callback_agreed',
    at: '2026-11-23T16:00:00Z',
    callbackAt: '2026-11-25T21:00:00Z',
    hotButtons: [],
    discussed: 'Line 3 stops twice a week; the service plan presented',
    whatHappensNext: 'Dana reviews the quote with the plant manager',
    decisionMakers: ['Dana', 'Lee (plant manager)'],
    materials: [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }],
    notes: 'Prefers mornings',
    sendRecap: true,
    recordedAt: '2026-11-23T16:05:00Z',
    ...overrides,
  };
}

function input(options: {
  kind?: TouchKind;
  hotButton?: string;
  stall?: StallReason;
  promise?: boolean;
  rep?: Partial<Rep>;
  prospect?: Partial<Prospect>;
  call?: Partial<Call>;
}): MessageInput {
  const conversation = call({
    outcome: options.stall ? 'stalled' : 'callback_agreed',
    stallReason: options.stall,
    hotButtons: options.hotButton ? [options.hotButton] : [],
    ...options.call,
  });
  return {
    kind: options.kind ?? 'rep_reminder',
    rep: rep(options.rep),
    prospect: prospect(options.prospect),
    call: conversation,
    lastConversation: conversation,
    dueAt: '2026-11-25T21:00:00Z',
    attempt: 2,
    promiseAt: options.promise === false ? null : PROMISE_AT,
    notice: options.kind === 'rep_notice' ? 'cadence_exhausted' : undefined,
    callbackAt: '2026-11-25T21:00:00Z',
    resent: { at: '2026-11-25T20:50:00Z', titles: ['Quote Q-1042'] },
    now: new Date('2026-11-25T21:00:00Z'),
    links: { sheet: SHEET_URL, unsubscribe: 'https://followthrough.example.com/u/abc' },
  };
}

const MATRIX = HOT_BUTTON_CASES.flatMap((hotButton) =>
  STALL_CASES.flatMap((stall) => [true, false].map((promise) => ({ hotButton, stall, promise }))),
);

/** Marks of a template that went wrong: markup left over, missing values, doubled spaces or stray punctuation. */
function expectClean(text: string): void {
  expect(text).not.toContain('{{');
  expect(text).not.toContain('}}');
  expect(text).not.toMatch(/\bundefined\b|\bnull\b|\[object Object\]/);
  expect(text).not.toMatch(/ {2,}| [.,;]/);
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

  it('renders every voicemail script with and without the rep phone, company, last conversation and promise', () => {
    const scripts = library.names('voicemail/');
    const variants = [
      {},
      { rep: { phone: undefined, company: undefined } },
      { prospect: { company: undefined } },
    ];
    for (const name of scripts) {
      for (const variant of variants) {
        for (const promise of [true, false]) {
          // Prepare
          const view = viewModel(input({ ...variant, promise }), library);
          const withoutConversation = viewModel({ ...input({ ...variant, promise }), call: undefined, lastConversation: undefined }, library);

          // Act
          const text = library.render(name, view).replace(/\s+/g, ' ').trim();
          const bare = library.render(name, withoutConversation).replace(/\s+/g, ' ').trim();

          // Assess
          expectClean(text);
          expectClean(bare);
          expect(text.startsWith('Hi Dana,')).toBe(true);
          expect(text).toContain(view.lastSpoke!.spoken);
          if (view.rep.phoneSpoken) expect(text).toContain('555-123-0000');
          else expect(text).not.toMatch(/\d{3}-\d{3}-\d{4}/);
          if (promise) expect(text).toContain(`${view.promise!.day} at ${view.promise!.clock}`);
          else expect(text).toMatch(/note/);
        }
      }
    }
  });
});

describe('voicemail scripts', () => {
  it('has a default, one per known hot button, one per stall reason and stall + hot button pairs', () => {
    // Prepare
    const metas = library.names('voicemail/').map((name) => library.meta(name));

    // Act
    const hotButtons = metas.filter((m) => m.hotButton && !m.stallReason).map((m) => m.hotButton);
    const stalls = metas.filter((m) => m.stallReason && !m.hotButton).map((m) => m.stallReason);
    const pairs = metas.filter((m) => m.stallReason && m.hotButton).map((m) => `${m.stallReason}+${m.hotButton}`);

    // Assess
    expect(metas.filter((m) => !m.hotButton && !m.stallReason)).toHaveLength(1);
    expect(hotButtons).toEqual(expect.arrayContaining([...KNOWN_HOT_BUTTONS]));
    expect(stalls).toEqual(expect.arrayContaining([...STALL_REASONS]));
    expect(pairs).toEqual(
      expect.arrayContaining([
        'price+cost_savings',
        'decision_maker+risk_compliance',
        'needs_review+ease_of_use',
        'cooled_off+growth',
        'comparing+quality',
        'waiting_on_customer+service',
      ]),
    );
    for (const meta of metas) {
      if (meta.hotButton) expect(KNOWN_HOT_BUTTONS).toContain(meta.hotButton);
      if (meta.stallReason) expect(STALL_REASONS).toContain(meta.stallReason as StallReason);
    }
  });

  it('speaks for 20 to 35 seconds with full data', () => {
    for (const { hotButton, stall, promise } of MATRIX) {
      // Act
      const { text } = renderVoicemail(input({ hotButton, stall, promise }), library);

      // Assess: about 150 words a minute, with the phone number read slowly (about four words' time).
      const seconds = ((text.split(/\s+/).length + 4) / 150) * 60;
      expect(seconds).toBeGreaterThanOrEqual(20);
      expect(seconds, text).toBeLessThanOrEqual(35);
      expect(text.toLowerCase()).not.toContain('did you get my email');
    }
  });

  it('differs by hot button and by stall reason', () => {
    // Act
    const byHotButton = KNOWN_HOT_BUTTONS.map((hb) => renderVoicemail(input({ hotButton: hb }), library));
    const byStall = STALL_REASONS.map((stall) => renderVoicemail(input({ stall }), library));

    // Assess
    expect(new Set(byHotButton.map((v) => v.template)).size).toBe(KNOWN_HOT_BUTTONS.length);
    expect(new Set(byHotButton.map((v) => v.text)).size).toBe(KNOWN_HOT_BUTTONS.length);
    expect(new Set(byStall.map((v) => v.template)).size).toBe(STALL_REASONS.length);
    expect(byHotButton.map((v) => v.template)).toContain('voicemail/uptime');
    expect(renderVoicemail(input({ hotButton: 'uptime' }), library).text).toContain('downtime is what hurts most');
  });

  it('says the rep is calling as promised, when they last spoke, and when the next try is', () => {
    // Act
    const { text, template } = renderVoicemail(input({ hotButton: 'quality', stall: 'comparing' }), library);

    // Assess
    expect(template).toBe('voicemail/comparing+quality');
    expect(text).toContain('Hi Dana, it\'s Ann Rep with Brightline Pumps, calling at the time we agreed on Monday.');
    expect(text).toContain('what made you change suppliers the last time');
    expect(text).toContain('You can reach me at 555-123-0000.');
    expect(text).toContain('I\'ll try again on Thursday at 10:00 AM CST.');
  });

  it('says a short note follows instead of a next try on the last attempt', () => {
    // Act
    const { text } = renderVoicemail(input({ hotButton: 'growth', promise: false }), library);

    // Assess
    expect(text).toContain('a short note will follow');
    expect(text).not.toContain('Thursday');
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

  it('returns the chosen template from the real library, and records it with the sheet', () => {
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
      'voicemail/price+cost_savings',
      'voicemail/cost_savings',
      'voicemail/stall-comparing',
      'voicemail/stall-comparing',
      'voicemail/default',
      'voicemail/waiting_on_customer+service',
    ]);
    expect(email.template).toBe('email/rep_reminder + voicemail/needs_review+ease_of_use');
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
    expect(email.text).toContain('Phone: +15557654321');
    expect(email.text).toContain('Their local time now: Wed 3:00 PM CST');
    expect(email.text).toContain('Last spoke: Monday, November 23 (2 days ago)');
    expect(email.text).toContain('What was discussed: Line 3 stops twice a week; the service plan presented');
    expect(email.text).toContain('What was supposed to happen since: Dana reviews the quote with the plant manager');
    expect(email.text).toContain('Decision makers: Dana; Lee (plant manager)');
    expect(email.text).toContain('Hot buttons: uptime');
    expect(email.text).toContain('- How did the conversation with the other decision maker go?');
    expect(email.text).toContain('propose a short call with both of them');
    expect(email.text).toContain('Resent to them Wednesday, November 25 at 2:50 PM CST: Quote Q-1042');
    expect(email.text).toContain('IF VOICEMAIL, SAY (then call again Thursday, November 26 at 10:00 AM CST)');
    expect(email.text).not.toContain('STILL TO QUALIFY');
    expect(email.html).toContain('href="tel:+15557654321"');
    expect(email.html).toContain(`href="${SHEET_URL.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`);
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

  it('fits three UCS-2 segments when the data has characters outside GSM-7', () => {
    // Prepare
    const unicode = input({ hotButton: 'cost_savings', stall: 'price', prospect: { name: 'Zoë Ng 李', company: 'Łódź Café Группа' } });

    // Act
    const sms = renderSms(unicode, library);

    // Assess
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.segments).toBeLessThanOrEqual(3);
    expect(smsSegments(sms.body).units).toBeLessThanOrEqual(201);
    expect(sms.body).toContain('Zoë Ng 李');
    expect(sms.body).toContain('+15557654321');
    expect(sms.body).toContain('Hot button: cost savings.');
    expect(sms.dropped).toEqual(['company', 'stall reason', 'promise']);
    expect(sms.body).toContain(SHEET_URL);
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
    const hugeLink = `https://followthrough.example.com/sheet?sig=${'x'.repeat(200)}`;
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
    expect(html).toContain('>Hi Eve, Ann Rep here from Brightline Pumps, calling at the time we agreed on Monday. You told me that downtime is what hurts most, so I looked at how we&#x27;d keep');
  });
});
