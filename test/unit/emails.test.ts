/**
 * Prospect emails keyed to hot buttons and the stall: the recap and the resend carry the same parts
 * as the voicemail, the note after a voicemail names the next try, and every email is a complete
 * plain-text part plus HTML that reads on a 390 px phone.
 */
import { describe, expect, it } from 'vitest';
import { renderEmail, renderVoicemail } from '../../functions/core/messages.js';
import { STALL_REASONS, TOUCH_KINDS, type TouchKind } from '../../functions/core/schemas.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import { HOT_BUTTON_CASES, input, PROMISE_AT, STALL_CASES, UNSUBSCRIBE_URL } from './message-fixtures.js';

const library = new TemplateLibrary();
const PROSPECT_KINDS: TouchKind[] = ['recap', 'resend_materials', 'voicemail_email', 'final_email'];

/** The words a reader sees in an HTML body: tags dropped, entities decoded, lower case. */
function visibleWords(html: string): string[] {
  const text = html
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z]+;/g, ' ');
  return words(text);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9@'+]+/g) ?? [];
}

describe('hot-button and stall lines in the recap and the resend', () => {
  it('differ only in those lines for two prospects who differ only in hot button', () => {
    // Act
    const [uptime, cost] = ['uptime', 'cost_savings'].map((hotButton) => ({
      recap: renderEmail(input({ kind: 'recap', hotButton }), library),
      resend: renderEmail(input({ kind: 'resend_materials', hotButton }), library),
    }));
    const changed = (a: string, b: string) => a.split('\n').filter((line) => !b.split('\n').includes(line));

    // Assess
    expect(changed(uptime!.recap.text, cost!.recap.text)).toEqual([
      "You told me downtime is what hurts most. On our call I'd like to start with how we'd keep things running through the stoppages you described.",
    ]);
    expect(changed(cost!.recap.text, uptime!.recap.text)).toEqual([
      "You told me bringing costs down is a priority this year. On our call I'd like to start with where the savings would come from for Acme Plant.",
    ]);
    expect(changed(uptime!.resend.text, cost!.resend.text)).toEqual([
      "If you only have a minute, start with how we'd keep things running through the stoppages you described.",
    ]);
    expect(changed(cost!.resend.text, uptime!.resend.text)).toEqual(['If you only have a minute, start with where the savings would come from for Acme Plant.']);
    expect(uptime!.recap.template).toBe('email/recap + parts[hot.uptime]');
  });

  it('say what was agreed to happen and the question to think about before the call, for every stall', () => {
    for (const stall of STALL_REASONS) {
      // Act
      const recap = renderEmail(input({ kind: 'recap', stall, hotButton: 'quality', second: 'service' }), library);
      const resend = renderEmail(input({ kind: 'resend_materials', stall, hotButton: 'quality' }), library);

      // Assess: one library says each thing once; the emails read the stall's own parts.
      const agreed = library.render(`parts/stall/${stall}/agreed`, {}).trim();
      expect(recap.text).toContain(agreed);
      expect(recap.text).toContain("And I'll tell you who picks up.");
      expect(recap.template).toBe(`email/recap + parts[hot.quality,mention.service,stall.${stall}]`);
      const ahead = recap.text.split('\n').find((line) => line.startsWith(agreed))!.slice(agreed.length + 1);
      expect(ahead.length).toBeGreaterThan(20);
      expect(resend.text).toContain(ahead);
    }
  });

  it('the resend says whom "they" are: its question to think about follows the stall line, as the recap\'s follows what was agreed', () => {
    for (const stall of STALL_REASONS) {
      // Act
      const resend = renderEmail(input({ kind: 'resend_materials', stall, hotButton: 'uptime' }), library);

      // Assess
      const line = library.render(`parts/stall/${stall}/line`, {}).trim();
      const ahead = library.render(`parts/stall/${stall}/ahead`, {}).trim();
      expect(resend.text, stall).toContain(`${line} ${ahead}`);
    }
    const decisionMaker = renderEmail(input({ kind: 'resend_materials', stall: 'decision_maker' }), library);
    expect(decisionMaker.html).toContain('<p>You were taking this to the other decision maker. It would help to know what they&#x27;ll want to see');
  });

  it('leave the lines out when nothing is known, and say nothing about a stall that was not one', () => {
    const recap = renderEmail(input({ kind: 'recap' }), library);
    expect(recap.template).toBe('email/recap + parts[]');
    expect(recap.text).not.toContain('On our call');
    expect(recap.text).not.toContain('before we talk');
  });
});

describe('the note after a voicemail', () => {
  it('names the next try at the same instant as the voicemail’s promise, and speaks to the hot button and stall', () => {
    // Act
    const note = renderEmail(input({ kind: 'voicemail_email', hotButton: 'uptime', stall: 'decision_maker', attempt: 1 }), library);
    const voicemail = renderVoicemail(input({ hotButton: 'uptime', stall: 'decision_maker', attempt: 1 }), library);

    // Assess
    expect(PROMISE_AT).toBe('2026-11-26T16:00:00Z');
    expect(voicemail.text).toContain("I'll try you again tomorrow at 10:00 AM CST.");
    expect(note.subject).toBe('I just left you a voicemail about uptime');
    expect(note.template).toBe('email/voicemail_email + parts[hot.uptime,stall.decision_maker]');
    expect(note.text).toBe(
      [
        'Hi Dana,',
        '',
        'I just tried you and left a voicemail, following up on our talk on Monday.',
        '',
        "You were taking this to the other decision maker. I wanted to talk about how we'd keep things running through the stoppages you described. How did your talk with the other decision maker go?",
        '',
        "I'll try you again on Thursday, November 26 at 10:00 AM CST. If another time suits you better, just reply with it, or call me at (555) 123-0000.",
        '',
        'Ann Rep',
        'Brightline Pumps',
        '(555) 123-0000',
        '',
        '--',
        "You're receiving this because you spoke with Ann Rep of Brightline Pumps.",
        `Unsubscribe from these emails: ${UNSUBSCRIBE_URL}`,
        '',
      ].join('\n'),
    );
    expect(note.html).toContain('<strong>Thursday, November 26 at 10:00 AM CST</strong>');
    expect(note.html).toContain('<a href="tel:+15551230000" style="color:#1a56db">(555) 123-0000</a>');
  });

  it('names the decision maker in its question, where "them" would read as what the hot-button line just named', () => {
    for (const hotButton of HOT_BUTTON_CASES) {
      const note = renderEmail(input({ kind: 'voicemail_email', hotButton, stall: 'decision_maker' }), library);
      expect(note.text, String(hotButton)).toContain('How did your talk with the other decision maker go?');
    }
  });

  it('asks the hot button’s question without a stall, and for a time when no try is planned', () => {
    const note = renderEmail(input({ kind: 'voicemail_email', hotButton: 'growth', promise: false, rep: { phone: undefined } }), library);
    expect(note.text).toContain('I wanted to talk about how this would scale as you grow. What does the next year look like on your side?');
    expect(note.text).toContain('Reply with a time that suits you.');
  });
});

describe('the recap of a call logged later', () => {
  it('thanks the prospect for the day they spoke, not for "today"', () => {
    // Prepare: Friday's call, logged on Monday morning, and one logged the same afternoon.
    const friday = { ...input({ kind: 'recap', call: { at: '2026-11-20T16:00:00Z' } }), now: new Date('2026-11-23T15:00:00Z'), dueAt: '2026-11-23T15:00:00Z' };
    const sameDay = { ...input({ kind: 'recap' }), now: new Date('2026-11-23T20:00:00Z'), dueAt: '2026-11-23T20:00:00Z' };

    // Act
    const late = renderEmail(friday, library);
    const prompt = renderEmail(sameDay, library);

    // Assess
    expect(late.text).toContain('Thanks for your time on Friday. A short recap');
    expect(late.html).toContain('Thanks for your time on Friday. A short recap');
    expect(prompt.text).toContain('Thanks for your time today. A short recap');
  });
});

describe('the last email', () => {
  it('sets the date of the last talk off with commas on both sides, in text and HTML', () => {
    // Act
    const last = renderEmail(input({ kind: 'final_email', hotButton: 'uptime' }), library);

    // Assess
    const sentence = "I've tried to reach you a few times since we spoke on Monday, November 23, and haven't managed to connect";
    expect(last.text).toContain(sentence);
    expect(last.html).toContain(sentence);
  });
});

describe('every email, text and HTML', () => {
  it('renders every kind for every hot button and stall as a page that fits a 390 px screen', () => {
    for (const kind of TOUCH_KINDS) {
      for (const hotButton of HOT_BUTTON_CASES) {
        for (const stall of STALL_CASES) {
          // Act
          const { html } = renderEmail(input({ kind, hotButton, stall }), library);

          // Assess
          expect(html.startsWith('<!doctype html>')).toBe(true);
          expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
          expect(html).toContain('max-width:600px');
          expect(html).toContain('overflow-wrap:break-word');
          // Nothing wider than the screen: no fixed widths over 390 px, no width attributes.
          for (const [, px] of html.matchAll(/(?<!max-)width:\s*(\d+)px/g)) expect(Number(px)).toBeLessThanOrEqual(390);
          expect(html).not.toMatch(/\swidth="\d+"/);
          // Body text at 16 px; only the footer's small print is smaller, and no smaller than 12 px.
          for (const [, px] of html.matchAll(/font-size:\s*(\d+)px/g)) expect(Number(px)).toBeGreaterThanOrEqual(12);
        }
      }
    }
  });

  it('has a plain-text part that says everything the HTML says, links included, for every email', () => {
    for (const kind of TOUCH_KINDS) {
      for (const hotButton of HOT_BUTTON_CASES) {
        for (const stall of STALL_CASES) {
          // Act
          const email = renderEmail(input({ kind, hotButton, stall, second: hotButton === 'growth' ? 'quality' : 'growth' }), library);

          // Assess
          const text = new Set(words(email.text));
          const missing = visibleWords(email.html).filter((word) => !text.has(word));
          expect(missing, `${kind} ${hotButton} ${stall}`).toEqual([]);
          for (const [, href] of email.html.matchAll(/href="(https?:[^"]+)"/g)) expect(email.text).toContain(href!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
        }
      }
    }
  });

  it('escapes hostile data that reaches the pitch lines, and never compiles it', () => {
    // Prepare
    const hostile = 'Acme {{rep.email}} <b>bold</b> & co';

    // Act
    const emails = PROSPECT_KINDS.map((kind) => renderEmail(input({ kind, hotButton: 'cost_savings', stall: 'price', prospect: { company: hostile } }), library));

    // Assess
    const recap = emails[0]!;
    expect(recap.text).toContain(`where the savings would come from for ${hostile}.`);
    expect(recap.html).toContain('where the savings would come from for Acme {{rep.email}} &lt;b&gt;bold&lt;/b&gt; &amp; co.');
    for (const email of emails) {
      expect(email.text).not.toContain('ann@example.com');
      expect(email.html).not.toContain('<b>bold</b>');
    }
  });
});
