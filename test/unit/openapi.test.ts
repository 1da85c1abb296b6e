/**
 * The OpenAPI document against the OpenAPI 3.1 schema, the route table (functions/http/routing.ts)
 * and the contract (shared/API.md): the same routes in all three, the same preview kinds, and every
 * status a route can answer declared with a schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath } from '../../functions/http/openapi.js';
import { ROUTES } from '../../functions/http/routing.js';
import { PREVIEW_KINDS } from '../../functions/use-cases/render-preview.js';
import { ContractValidator } from '../support/contract.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

type Operation = { security?: unknown[]; parameters?: { name: string; in: string; schema: { enum?: string[] } }[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> };
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

function operations(): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));
}

/**
 * shared/API.md lies beside the repository (../shared on CI and in the lead's checkout); a worktree
 * one level further down finds it one more level up.
 */
function apiMarkdown(): string | undefined {
  for (let dir = REPO, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'shared', 'API.md');
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  return undefined;
}

/** `METHOD /path` of every row of API.md's route table: "`GET /app`, `/app/...`" is two, a query string is left out. */
function apiMarkdownRoutes(markdown: string): { routes: Set<string>; previewKinds: Set<string> } {
  const routes = new Set<string>();
  const previewKinds = new Set<string>();
  const table = markdown.slice(markdown.indexOf('## Routes'), markdown.indexOf('\n## ', markdown.indexOf('## Routes') + 1));
  for (const line of table.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cell = line.split(/(?<!\\)\|/)[1]!;
    let method = '';
    for (const [, m, p] of cell.matchAll(/`(?:(GET|PUT|POST|PATCH|DELETE) )?(\/[^`?\s]*)(?:\?[^`]*)?`/g)) {
      method = m ?? method;
      routes.add(`${method} ${p!.replace(/\/\.\.\.$/, '/{proxy+}')}`);
    }
    if (cell.includes('/preview')) {
      for (const [, kinds] of cell.matchAll(/kind=([\w|\\]+)/g)) for (const k of kinds!.split(/\\?\|/)) if (k) previewKinds.add(k);
      for (const [, k] of line.matchAll(/`(\w+)`/g)) previewKinds.add(k!);
    }
  }
  return { routes, previewKinds };
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // Act
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Record<string, unknown>);

    // Assess
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('holds schemas a JSON Schema 2020-12 validator compiles in strict mode, every one', () => {
    const count = new ContractValidator(doc as Record<string, unknown>).compileAll();
    expect(count).toBeGreaterThan(80);
  });

  it('has one operation for each route of the table, public exactly where the table says, and nothing else but documented sub-paths', () => {
    // Prepare
    const table = ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`).sort();
    const documented = operations().map((o) => o.key);

    // Assess
    expect(documented.filter((k) => k !== 'GET /app/config.json').sort()).toEqual(table);
    for (const route of ROUTES) {
      const op = doc.paths[openApiPath(route.path)]![route.method.toLowerCase()]!;
      expect(op.security, `${route.method} ${route.path}`).toEqual(route.auth ? undefined : []);
    }
    // A sub-path documented on its own is one the table's greedy route serves.
    expect(ROUTES.some((r) => r.method === 'GET' && new RegExp(`^${r.path.replace('{proxy+}', '.+')}$`).test('/app/config.json'))).toBe(true);
  });

  it('declares for every operation a success with a schema, and the statuses it can answer', () => {
    for (const { key, op } of operations()) {
      const statuses = Object.keys(op.responses);
      const route = ROUTES.find((r) => `${r.method} ${openApiPath(r.path)}` === key);
      expect(statuses.filter((s) => /^2/.test(s)), key).toHaveLength(1);
      for (const [status, response] of Object.entries(op.responses)) expect(response.content, `${key} ${status}`).toBeDefined();
      if (route?.auth) expect(statuses, key).toContain('401');
      if (op.requestBody && op.requestBody.content['application/json']) expect(statuses, key).toContain('400');
      // A body over 64 KiB answers 413 on every route (API.md), one that reads none too.
      expect(statuses, key).toContain('413');
      if (key.includes('{id}')) expect(statuses, key).toEqual(expect.arrayContaining(['400', '404']));
    }
  });

  it('declares every success answer of the JSON API with a schema of its own, not a bare object', () => {
    for (const { key, op } of operations()) {
      const success = Object.entries(op.responses).find(([s]) => /^2/.test(s))![1];
      const json = success.content?.['application/json'] as { schema: { $ref?: string } } | undefined;
      if (!json || key === 'GET /v1/openapi.json') continue;
      expect(json.schema.$ref, key).toMatch(/^#\/components\/schemas\/\w+$/);
    }
  });

  it('takes the one-click unsubscribe as a form (RFC 8058)', () => {
    const post = doc.paths['/v1/unsubscribe']!.post!;
    expect(Object.keys(post.requestBody!.content)).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(doc.components.schemas.OneClickUnsubscribe).toMatchObject({ properties: { 'List-Unsubscribe': { const: 'One-Click' } }, required: ['List-Unsubscribe'] });
  });

  it('lists the preview kinds the server renders', () => {
    const kind = doc.paths['/v1/prospects/{id}/preview']!.get!.parameters!.find((p) => p.name === 'kind')!;
    expect(kind.schema.enum).toEqual([...PREVIEW_KINDS]);
  });
});

const markdown = apiMarkdown();

// The contract's rule is "add freely, rename nothing": every route and preview kind API.md names is
// served and documented; the server may have more. Skipped only where shared/ is not beside the checkout.
describe.runIf(markdown !== undefined)('shared/API.md', () => {
  it('names no route the server and the document lack', () => {
    // Act
    const { routes } = apiMarkdownRoutes(markdown!);

    // Assess
    expect(routes.size).toBeGreaterThan(10);
    const served = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect([...routes].filter((r) => !served.has(r))).toEqual([]);
    // The console's greedy route is documented by its sub-paths (index, assets, config.json).
    const documented = new Set(operations().map((o) => o.key));
    expect([...routes].filter((r) => !r.includes('{proxy+}') && !documented.has(r))).toEqual([]);
  });

  it('names only preview kinds the server renders', () => {
    const { previewKinds } = apiMarkdownRoutes(markdown!);
    expect(previewKinds.size).toBeGreaterThan(3);
    expect([...previewKinds].filter((k) => !(PREVIEW_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it('reads the table as written: both methods of a row, the console\'s greedy route, queries left out', () => {
    const { routes } = apiMarkdownRoutes(
      '## Routes\n| method, path | body | answer |\n|---|---|---|\n| `GET /v1/x?token=` and `POST /v1/x?token=` | | |\n| `GET /app`, `/app/...` | | |\n\n## Next\n| `GET /v1/not-a-route` | | |\n',
    );
    expect([...routes]).toEqual(['GET /v1/x', 'POST /v1/x', 'GET /app', 'GET /app/{proxy+}']);
  });
});
