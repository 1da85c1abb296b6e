/**
 * Hot buttons typed as free text are folded to snake_case keys at the edge, in any script: a rep in Germany or
 * Japan keeps their words, and text with no letter or digit is refused with a message a person can act on.
 */
import { describe, expect, it } from 'vitest';
import { CallInput, ProspectInput } from '../../functions/core/schemas.js';

describe('hot buttons at the edge', () => {
  it('folds free text to snake_case keys and keeps letters of every script', () => {
    // Act
    const prospect = ProspectInput.parse({ name: 'Zoë', timezone: 'Europe/Berlin', hotButtons: ['Cost Savings', ' Qualität  der Teile ', 'コスト', 'Ärger-frei!', 'uptime'] });
    const call = CallInput.parse({ outcome: 'voicemail', hotButtons: ['Größe', 'Время работы'] });

    // Assess
    expect(prospect.hotButtons).toEqual(['cost_savings', 'qualität_der_teile', 'コスト', 'ärger_frei', 'uptime']);
    expect(call.hotButtons).toEqual(['größe', 'время_работы']);
  });

  it('refuses a hot button with no letter or digit instead of storing an empty key', () => {
    // Act
    const result = ProspectInput.safeParse({ name: 'Zoë', timezone: 'Europe/Berlin', hotButtons: ['uptime', '!!!'] });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['hotButtons', 1], message: expect.stringContaining('letters or digits') })]);
  });
});
