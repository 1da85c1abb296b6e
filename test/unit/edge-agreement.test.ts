/**
 * The server's own checks (zod at the edge) and the OpenAPI document it serves agree on inputs at the
 * edges: what one refuses the other refuses, so a validating proxy or a fuzzer built from the document
 * sees the server answer as the document says. Also the edge's messages and issue paths.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { ValidationError } from '../../functions/core/errors.js';
import { CallInput, idSchema, ProspectInput, RepInput, TouchPatch } from '../../functions/core/schemas.js';
import { openApiDocument } from '../../functions/http/openapi.js';
import { FollowupsQuery } from '../../functions/http/queries.js';
import { parse } from '../../functions/http/validate.js';
import { ContractValidator } from '../support/contract.js';

const contract = new ContractValidator(openApiDocument());
const component = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const rep = { name: 'Rae Rep', email: 'rae@example.com', timezone: 'America/New_York', reminderChannel: 'email' };
const call = { outcome: 'callback_agreed', callbackAt: '2027-01-05T10:00' };
const prospect = { name: 'Dana', timezone: 'America/Chicago' };

const cases: [string, z.ZodMiniType, string, unknown, boolean][] = [
  ['a name of 200 characters', RepInput, 'RepInput', { ...rep, name: 'a'.repeat(200) }, true],
  ['a name of 201 characters', RepInput, 'RepInput', { ...rep, name: 'a'.repeat(201) }, false],
  ['a name of spaces only', RepInput, 'RepInput', { ...rep, name: '   ' }, false],
  ['a signature of a tab and a newline', RepInput, 'RepInput', { ...rep, signature: '\t\n' }, false],
  ['a company of spaces only', ProspectInput, 'ProspectInput', { ...prospect, company: ' ' }, false],
  ['a blank decision maker', CallInput, 'CallOutcome', { ...call, decisionMakers: [' '] }, false],
  ['blank notes on what was discussed', CallInput, 'CallOutcome', { ...call, discussed: '  ' }, false],
  ['a callback at +05:45 (Kathmandu)', CallInput, 'CallOutcome', { ...call, callbackAt: '2027-01-05T10:00:00+05:45' }, true],
  ['a callback at +14:00 and at -12:00', CallInput, 'CallOutcome', { ...call, at: '2026-11-23T10:00:00-12:00', callbackAt: '2027-01-05T10:00:00+14:00' }, true],
  ['a callback at +0545, the basic form', CallInput, 'CallOutcome', { ...call, callbackAt: '2027-01-05T10:00:00+0545' }, true],
  ['a callback at +99:99', CallInput, 'CallOutcome', { ...call, callbackAt: '2027-01-05T10:00:00+99:99' }, false],
  ['a callback at +15:00', CallInput, 'CallOutcome', { ...call, callbackAt: '2027-01-05T10:00:00+15:00' }, false],
  ['a call at -05:60', CallInput, 'CallOutcome', { ...call, at: '2026-11-23T10:00:00-05:60' }, false],
  ['a touch moved to +99:99', TouchPatch, 'TouchPatch', { dueAt: '2027-01-05T10:00:00+99:99' }, false],
  ['a material behind an https link', CallInput, 'CallOutcome', { ...call, materials: [{ title: 'Quote', url: 'HTTPS://example.com/q' }] }, true],
  ['a material behind an ftp link', CallInput, 'CallOutcome', { ...call, materials: [{ title: 'Quote', url: 'ftp://example.com/q' }] }, false],
  ['a material behind a mailto link', CallInput, 'CallOutcome', { ...call, materials: [{ title: 'Quote', url: 'mailto:dana@example.com' }] }, false],
  ['a material behind a javascript link', CallInput, 'CallOutcome', { ...call, materials: [{ title: 'Quote', url: 'javascript:alert(1)' }] }, false],
  ['a hot button in words', ProspectInput, 'ProspectInput', { ...prospect, hotButtons: ['Cost Savings'] }, true],
  ['a hot button of punctuation only', ProspectInput, 'ProspectInput', { ...prospect, hotButtons: ['!!!'] }, false],
  ['a hot button in another script', CallInput, 'CallOutcome', { ...call, hotButtons: ['日本'] }, true],
  ['a hot button with no letter or digit', CallInput, 'CallOutcome', { ...call, hotButtons: ['!!! ?'] }, false],
];

describe('the edge and the OpenAPI document', () => {
  it.each(cases)('agree on %s', (_label, schema, id, input, accepted) => {
    // Act
    const server = schema.safeParse(input).success;
    const document = contract.schemaErrors(component(id), input);

    // Assess
    expect(server, 'the server').toBe(accepted);
    expect(document.length === 0, `the document (${document.join('; ')})`).toBe(accepted);
  });

  it('folds a hot button\'s case and punctuation, keeping its letters, accents included', () => {
    // Act
    const parsed = ProspectInput.parse({ ...prospect, hotButtons: ['Zoë Café', '  Uptime!  '] });

    // Assess
    expect(parsed.hotButtons).toEqual(['zoë_café', 'uptime']);
  });
});

describe('an instant in a query', () => {
  const from = (value: string) => FollowupsQuery.safeParse({ from: value });

  it('refuses a date the calendar lacks instead of rolling it into the next month', () => {
    // Act
    const result = from('2026-02-30T00:00:00Z');

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/real date/);
  });

  it('refuses an offset no zone has', () => {
    expect(from('2026-11-25T00:00:00+99:99').success).toBe(false);
  });

  it('says to send the + of an offset as %2B when the query string made it a space', () => {
    // Act
    const result = from('2026-11-25T00:00:00 05:45');

    // Assess
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Send the + of the offset as %2B: in a query string a bare + means a space']);
  });

  it('reads +05:45 and lower-case letters as the instant they name', () => {
    expect(from('2026-11-25T00:00:00+05:45').data?.from?.toISOString()).toBe('2026-11-24T18:15:00.000Z');
    expect(from('2026-11-25t00:00:00z').data?.from?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });
});

describe('parse at the edge', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof ValidationError) return error;
    }
    throw new Error('expected a ValidationError');
  };

  it('names a path parameter in its issue', () => {
    // Act
    const error = refusal(() => parse(idSchema, 'not an id', 'The id in the path', 'id'));

    // Assess
    expect(error.issues).toEqual([{ path: 'id', message: expect.stringMatching(/1-64 letters/) }]);
  });

  it('names each unknown field where it is', () => {
    // Act
    const error = refusal(() => parse(CallInput, { outcome: 'won', favourite: 'blue', materials: [{ title: 'Q', url: 'https://example.com', size: 1 }] }));

    // Assess
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['favourite', 'materials.0.size']);
    expect(error.message).toMatch(/Unknown field/);
  });

  it('says once what two checks refuse a field for', () => {
    // Act
    const error = refusal(() => parse(CallInput, { outcome: 'won', materials: [{ title: 'Q', url: 'ftp://example.com' }] }));

    // Assess
    expect(error.issues).toEqual([{ path: 'materials.0.url', message: 'Use an http(s) link' }]);
  });
});
