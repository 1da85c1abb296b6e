/**
 * Voicemail scripts composed from parts: every stall x hot button pair speaks to both, every
 * combination reads in 20 to 35 seconds and differs from every other, the template name lists the
 * parts, hand-written pairs win, variants are reported, and the number and times suit the country.
 */
import { describe, expect, it } from 'vitest';
import { renderEmail, renderSms, renderVoicemail, viewModel } from '../../functions/core/messages.js';
import { STALL_REASONS, TOUCH_KINDS, type StallReason } from '../../functions/core/schemas.js';
import { chooseScriptVariant, knownSubjects, scriptFamily } from '../../functions/core/script.js';
import { seededRng } from '../../functions/core/variants.js';
import { fitsSms } from '../../functions/core/sms-text.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import { COUNTRIES, HOT_BUTTON_CASES, input, KNOWN_HOT_BUTTONS, problems, speakingSeconds, type InputOptions } from './message-fixtures.js';

const library = new TemplateLibrary();

/** Words that show a script speaks to a stall reason or a hot button, whichever part or pair said it. */
const STALL_WORDS: Record<StallReason, RegExp> = {
  waiting_on_customer: /\bcustomer\b/,
  needs_review: /\bmaterial\b|\bproposal\b/,
  decision_maker: /\bdecision maker\b/,
  cooled_off: /\btiming\b|slipped down the list|gone quiet/,
  comparing: /\bcompar|\boptions\b|\bsuppliers\b/,
  price: /\bprice\b/,
};
const HOT_WORDS: Record<(typeof KNOWN_HOT_BUTTONS)[number], RegExp> = {
  cost_savings: /\bcosts?\b|\bsavings\b|\bmoney\b/,
  time_savings: /\bhours\b|\btime\b/,
  uptime: /\bdowntime\b|\bstands still\b|\bstoppages\b|\brunning\b/,
  quality: /\bquality\b|\bbatch\b/,
  risk_compliance: /\bcompliance\b|\brequirements\b/,
  growth: /\bgrow/,
  ease_of_use: /\bsimple\b|\bease of use\b|\bnobody opens\b|\buse it\b/,
  service: /\bsupport\b|\bservice\b|\bpicks up\b/,
};

/** Every variant id a prospect with these hot buttons and stall could hear (one when nothing competes). */
function variantsFor(hotButtons: string | undefined | (string | undefined)[], stall: StallReason | undefined): (string | undefined)[] {
  const list = [hotButtons].flat().filter((hb): hb is string => Boolean(hb));
  return scriptFamily(library, list, stall)?.variants ?? [undefined];
}

describe('the parts library', () => {
  it('has words for the 8 hot buttons and 6 stall reasons, with every section the scripts and emails read', () => {
    // Act
    const known = knownSubjects(library);

    // Assess
    expect(known.hotButtons).toEqual([...KNOWN_HOT_BUTTONS].sort());
    expect(known.stallReasons).toEqual([...STALL_REASONS].sort());
    for (const hb of KNOWN_HOT_BUTTONS) {
      const sections = library.names(`parts/hot/${hb}/`).map((n) => library.meta(n).section).sort();
      expect(sections, hb).toEqual(['focus', 'mention', 'question', 'voicemail.a', 'voicemail.b', 'why']);
      expect(library.meta(`parts/hot/${hb}/why`).label, hb).toBeTruthy();
    }
    for (const stall of STALL_REASONS) {
      const sections = library.names(`parts/stall/${stall}/`).map((n) => library.meta(n).section).sort();
      expect(sections, stall).toEqual(['agreed', 'ahead', 'line', 'question']);
      expect(library.meta(`parts/stall/${stall}/line`).label, stall).toBeTruthy();
    }
    for (const name of library.names('voicemail/')) {
      const meta = library.meta(name);
      expect(KNOWN_HOT_BUTTONS, name).toContain(meta.hotButton);
      expect(STALL_REASONS, name).toContain(meta.stallReason);
    }
  });

  it('labels stall reasons and hot buttons from their parts files', () => {
    expect(library.stallLabel('decision_maker')).toBe('talking to the other decision maker');
    expect(library.hotButtonLabel('risk_compliance')).toBe('risk and compliance');
    expect(library.hotButtonLabel('brand_image')).toBe('brand image');
  });
});

describe('composed voicemail scripts', () => {
  it('speaks to both the stall and the hot button for all 48 pairs, in 48 different scripts', () => {
    // Act
    const scripts = STALL_REASONS.flatMap((stall) => KNOWN_HOT_BUTTONS.map((hotButton) => ({ stall, hotButton, ...renderVoicemail(input({ stall, hotButton }), library) })));

    // Assess
    expect(new Set(scripts.map((s) => s.text)).size).toBe(48);
    for (const { stall, hotButton, text } of scripts) {
      expect(text, `${stall} + ${hotButton}`).toMatch(STALL_WORDS[stall]);
      expect(text, `${stall} + ${hotButton}`).toMatch(HOT_WORDS[hotButton]);
    }
  });

  it('gives every combination, stall alone, hot button alone, neither, and every variant, its own text', () => {
    // Prepare
    const texts = new Map<string, string>();
    for (const stall of [...STALL_REASONS, undefined]) {
      for (const hotButton of [...KNOWN_HOT_BUTTONS, undefined]) {
        for (const variant of variantsFor(hotButton, stall)) {
          // Act
          const { text } = renderVoicemail(input({ stall, hotButton, variant }), library);

          // Assess
          const seen = texts.get(text);
          expect(seen, `${stall} + ${hotButton} (${variant}) reads like ${seen}`).toBeUndefined();
          texts.set(text, `${stall} + ${hotButton} (${variant})`);
        }
      }
    }
    // 40 composed pairs x 2 variants, 8 hand-written pairs, 6 stalls x 1, 8 hot buttons x 2, neither.
    expect(texts.size).toBe(40 * 2 + 8 + 6 + 8 * 2 + 1);
  });

  it('reads in 20 to 35 seconds at 150 words a minute, for every combination, variant, attempt, second hot button and country', () => {
    const seconds: number[] = [];
    for (const stall of [...STALL_REASONS, undefined]) {
      for (const hotButton of [...KNOWN_HOT_BUTTONS, undefined]) {
        // The longest second hot button mention, and none.
        for (const second of hotButton ? [undefined, 'time_savings', 'ease_of_use'].filter((s) => s !== hotButton) : [undefined]) {
          for (const variant of variantsFor(hotButton, stall)) {
            for (const attempt of [1, 2]) {
              for (const promise of [true, false]) {
                for (const place of [COUNTRIES[0], COUNTRIES[2]]) {
                  // Act
                  const options: InputOptions = { stall, hotButton, second, variant, attempt, promise, prospect: { country: place.country, timezone: place.timezone } };
                  const { text } = renderVoicemail(input(options), library);
                  const time = speakingSeconds(text);
                  seconds.push(time);

                  // Assess
                  expect(time, text).toBeGreaterThanOrEqual(20);
                  expect(time, text).toBeLessThanOrEqual(35);
                  expect(problems(text), text).toEqual([]);
                  expect(text.toLowerCase()).not.toContain('did you get my email');
                }
              }
            }
          }
        }
      }
    }
    expect(Math.min(...seconds)).toBeLessThan(25);
    expect(Math.max(...seconds)).toBeGreaterThan(30);
  });

  it('names the parts it used, in the order spoken, and the variant', () => {
    // Act
    const full = renderVoicemail(input({ stall: 'needs_review', hotButton: 'uptime', second: 'quality', variant: 'hot.uptime.b' }), library);
    const bare = renderVoicemail({ ...input({ hotButton: 'growth', promise: false, attempt: 1, rep: { phone: undefined } }) }, library);

    // Assess
    expect(full.template).toBe('voicemail/parts[opening.again,stall.needs_review,hot.uptime.b,mention.quality,question.needs_review,number,promise]');
    expect(full.variant).toBe('hot.uptime.b');
    expect(full.lines).toEqual([
      'Hi Dana, Ann Rep from Brightline Pumps again, following up on our talk on Monday.',
      'You wanted some time to go through the material.',
      'Every hour the line stands still costs you, and I have two ways to cut that.',
      "And I haven't forgotten quality.",
      'What stood out, and what raised questions?',
      'My number is 555 123 0000.',
      "I'll try you again tomorrow at 10:00 AM CST.",
    ]);
    expect(full.text).toBe(full.lines.join(' '));
    expect(bare.template).toBe('voicemail/parts[opening.as_promised,hot.growth.a,question.growth,last]');
    expect(bare.text).toBe(
      "Hi Dana, it's Ann Rep from Brightline Pumps, calling as promised after our talk on Monday. You're growing fast, so I've looked at how this would scale with you. What does the next year look like on your side? That's my last call for now; a short note will follow.",
    );
  });

  it('lets a hand-written pair win where one exists, with the shared opening, mention, number and promise', () => {
    // Act
    const pair = renderVoicemail(input({ stall: 'price', hotButton: 'cost_savings', second: 'uptime', attempt: 1 }), library);

    // Assess
    expect(pair.template).toBe('voicemail/price+cost_savings[opening.as_promised,mention.uptime,number,promise]');
    expect(pair.variant).toBe('pair.price+cost_savings.a');
    expect(pair.text).toBe(
      "Hi Dana, it's Ann Rep from Brightline Pumps, calling as promised after our talk on Monday. You were weighing the price, and since cutting costs was the whole point, I've worked out how fast the savings cover it. I've also got a thought on downtime. How does that look next to your budget? My number is 555 123 0000. I'll try you again tomorrow at 10:00 AM CST.",
    );
    for (const name of library.names('voicemail/')) {
      const { stallReason, hotButton } = library.meta(name);
      expect(renderVoicemail(input({ stall: stallReason as StallReason, hotButton }), library).template.startsWith(`${name}[`)).toBe(true);
    }
  });

  it('mentions the next hot button after the one it speaks to, known or not', () => {
    // Act
    const unknownFirst = renderVoicemail(input({ prospect: { hotButtons: ['brand_image', 'quality'] } }), library);
    const unknownSecond = renderVoicemail(input({ prospect: { hotButtons: ['quality', 'brand_image'] } }), library);

    // Assess: the script leads with a hot button it has words for, and still names the other.
    expect(unknownFirst.template).toContain('hot.quality.a,mention.brand_image');
    expect(unknownFirst.text).toContain("I've a thought on brand image, too.");
    expect(unknownSecond.text).toContain("I've a thought on brand image, too.");
  });
});

  it('claims no earlier conversation for a prospect the rep has only ever reached by voicemail', () => {
    for (const hotButton of HOT_BUTTON_CASES) {
      for (const attempt of [1, 2]) {
        // Prepare: a cold prospect; their hot buttons came with the record, no call ever connected.
        const cold = { ...input({ hotButton, attempt, call: { outcome: 'voicemail', callbackAt: undefined } }), lastConversation: undefined };

        // Act
        const script = renderVoicemail(cold, library).text;
        const note = renderEmail({ ...cold, kind: 'voicemail_email' }, library).text;

        // Assess
        for (const said of [script, note]) expect(said, `${hotButton} attempt ${attempt}`).not.toMatch(/since we spoke|when we spoke|our (talk|conversation)/);
      }
    }
  });

describe('script variants', () => {
  it('offers the family of the hot button it speaks to, or of the hand-written pair, and nothing for the rest', () => {
    expect(scriptFamily(library, ['uptime', 'quality'], 'needs_review')).toEqual({ family: 'hot.uptime', variants: ['hot.uptime.a', 'hot.uptime.b'] });
    expect(scriptFamily(library, ['brand_image', 'growth'])).toEqual({ family: 'hot.growth', variants: ['hot.growth.a', 'hot.growth.b'] });
    expect(scriptFamily(library, ['cost_savings'], 'price')).toEqual({ family: 'pair.price+cost_savings', variants: ['pair.price+cost_savings.a'] });
    expect(scriptFamily(library, ['brand_image'], 'price')).toBeNull();
    expect(scriptFamily(library, [], 'price')).toBeNull();
    for (const hb of KNOWN_HOT_BUTTONS) expect(scriptFamily(library, [hb])!.variants.length, hb).toBeGreaterThanOrEqual(2);
  });

  it('chooses at planning from the team’s counts for the family the prospect selects, honouring a pin', () => {
    // Prepare: b has clearly done better for uptime.
    const counts = { 'hot.uptime.a': { used: 400, callbacks: 20 }, 'hot.uptime.b': { used: 400, callbacks: 120 } };
    const rng = seededRng(5);

    // Act
    const picks = Array.from({ length: 200 }, () => chooseScriptVariant(library, ['uptime'], 'price', counts, { pinned: {}, floor: 0.1 }, rng)!);
    const pinned = chooseScriptVariant(library, ['uptime'], undefined, counts, { pinned: { 'hot.uptime': 'a' }, floor: 0.1 }, rng);

    // Assess
    expect(picks.every((p) => p.family === 'hot.uptime')).toBe(true);
    expect(picks.filter((p) => p.variant === 'hot.uptime.b').length).toBeGreaterThan(170);
    expect(pinned).toEqual({ family: 'hot.uptime', variant: 'hot.uptime.a', reason: 'pinned' });
    expect(chooseScriptVariant(library, ['cost_savings'], 'price', counts, { pinned: {}, floor: 0.1 }, rng)).toEqual({ family: 'pair.price+cost_savings', variant: 'pair.price+cost_savings.a', reason: 'only' });
    expect(chooseScriptVariant(library, [], 'price', counts, { pinned: {}, floor: 0.1 }, rng)).toBeNull();
  });

  it('speaks the variant chosen at planning and reports it; one from another family gives the first', () => {
    // Act
    const chosen = renderVoicemail(input({ hotButton: 'service', variant: 'hot.service.b' }), library);
    const stale = renderVoicemail(input({ hotButton: 'service', variant: 'hot.uptime.b' }), library);
    const none = renderVoicemail(input({ hotButton: 'service' }), library);
    const sheet = renderEmail(input({ hotButton: 'service', variant: 'hot.service.b' }), library);
    const sms = renderSms(input({ hotButton: 'service', variant: 'hot.service.b' }), library);

    // Assess
    expect(chosen.variant).toBe('hot.service.b');
    expect(chosen.text).toContain('When something breaks, you want someone who picks up, and I can tell you who.');
    expect(stale.variant).toBe('hot.service.a');
    expect(stale.text).toBe(none.text);
    expect(sheet.variant).toBe('hot.service.b');
    expect(sheet.template).toContain('hot.service.b');
    expect(sheet.text).toContain('When something breaks, you want someone who picks up, and I can tell you who.');
    expect(sms).toMatchObject({ template: 'sms/rep_reminder', variant: 'hot.service.b' });
    expect(sms.voicemailTemplate).toContain('hot.service.b');
  });
});

describe('the number and the times, where the prospect is', () => {
  it('says "yesterday" and "tomorrow" from the day the script is spoken, not the day it is previewed', () => {
    // Prepare: the talk was Monday; the reminder is due Wednesday and promises Thursday; the rep looks on Monday evening.
    const early = { ...input({ hotButton: 'uptime', attempt: 1 }), now: new Date('2026-11-24T01:00:00Z') };
    // A reminder that fired a day late (after an outage) is spoken when it is read.
    const late = { ...input({ hotButton: 'uptime', attempt: 1 }), now: new Date('2026-11-26T14:00:00Z') };

    // Act
    const previewed = renderVoicemail(early, library).text;
    const sheet = renderEmail(early, library).text;
    const overdue = renderVoicemail(late, library).text;

    // Assess
    expect(previewed).toContain('calling as promised after our talk on Monday.');
    expect(previewed).toContain("I'll try you again tomorrow at 10:00 AM CST.");
    expect(sheet).toContain('calling as promised; we last spoke on Monday."');
    expect(overdue).toContain("I'll try you again later today at 10:00 AM CST.");
  });

  it('gives the German prospect the rep’s number in international form and Berlin times as CET', () => {
    // Act
    const { text } = renderVoicemail(input({ stall: 'decision_maker', hotButton: 'uptime', second: 'risk_compliance', attempt: 1, prospect: { country: 'DE', timezone: 'Europe/Berlin', phone: '+4930901820' } }), library);

    // Assess
    expect(text).toBe(
      "Hi Dana, it's Ann Rep from Brightline Pumps, calling as promised after our talk on Monday. You were taking this to the other decision maker. You told me downtime hurts most, so I've worked out how we'd keep you running. I'll cover the compliance side, too. How did your talk with the other decision maker go? My number is +1 555 123 0000. I'll try you again tomorrow at 5:00 PM CET.",
    );
  });

  it('uses the prospect’s phone for their country when the record has none', () => {
    const view = viewModel(input({ prospect: { country: undefined, phone: '+447700900123', timezone: 'Europe/London' } }), library);
    const home = viewModel(input({ prospect: { country: undefined, phone: '+12125550123' } }), library);
    expect(view.rep.phoneDial).toBe('+1 555 123 0000');
    expect(home.rep.phoneDial).toBe('(555) 123-0000');
  });

  it('renders every combination and variant for prospects in the US, GB, DE, IN and AU', () => {
    for (const place of COUNTRIES) {
      const prospect = { country: place.country, timezone: place.timezone, phone: place.phone };
      for (const stall of [...STALL_REASONS, undefined]) {
        for (const hotButton of [...KNOWN_HOT_BUTTONS, 'brand_image', undefined]) {
          const options: InputOptions = { stall, hotButton, second: hotButton && (hotButton === 'growth' ? 'service' : 'growth'), prospect };
          const where = `${place.country} ${stall} ${hotButton}`;

          // Act: prospect emails do not depend on the variant; the script, the sheet and the SMS do.
          const emails = TOUCH_KINDS.filter((kind) => kind !== 'rep_reminder').map((kind) => renderEmail(input({ ...options, kind }), library));
          const byVariant = variantsFor([hotButton, options.second], stall).map((variant) => ({
            variant,
            voicemail: renderVoicemail(input({ ...options, variant }), library),
            sheet: renderEmail(input({ ...options, variant }), library),
            sms: renderSms(input({ ...options, variant }), library),
          }));

          // Assess
          for (const email of emails) {
            expect(problems(email.subject), where).toEqual([]);
            expect(problems(email.text), where).toEqual([]);
            expect(email.html, where).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
          }
          const note = emails.find((e) => e.template.startsWith('email/voicemail_email'))!;
          expect(note.text, where).toContain(`call me at ${place.repNumber}.`);
          expect(note.text, where).toContain(place.zone);
          for (const { variant, voicemail, sheet, sms } of byVariant) {
            expect(problems(voicemail.text), `${where} ${variant}`).toEqual([]);
            expect(voicemail.text, where).toContain(`My number is ${place.repSpoken}.`);
            expect(voicemail.text, where).toContain(`at ${place.clock}.`);
            expect(voicemail.variant ?? undefined).toBe(variant);
            expect(sheet.text).toContain(voicemail.lines.join('\n'));
            expect(fitsSms(sms.body), where).toBe(true);
          }
        }
      }
    }
  });
});

describe('the call-prep sheet and the SMS follow the same parts', () => {
  it('sets the script out part by part on the sheet, and names both hot buttons in the SMS', () => {
    // Act
    const sheet = renderEmail(input({ stall: 'price', hotButton: 'uptime', second: 'quality', attempt: 1 }), library);
    const sms = renderSms({ ...input({ stall: 'price', hotButton: 'uptime', second: 'quality' }), links: {} }, library);
    const { lines } = renderVoicemail(input({ stall: 'price', hotButton: 'uptime', second: 'quality', attempt: 1 }), library);

    // Assess
    expect(sheet.text).toContain(lines.join('\n'));
    for (const line of lines) expect(sheet.html).toContain(`<p style="margin:0 0 4px">${line.replace(/'/g, '&#x27;')}</p>`);
    expect(sms.body).toBe("Call Dana Buyer (Acme Plant) now at 4:00 PM EST: +15557654321. Hot buttons: uptime, quality. Stall: weighing the price. On VM say you'll retry Thu 10:00 AM CST.");
  });
});
