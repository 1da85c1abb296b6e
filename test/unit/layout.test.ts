/**
 * The shape the code keeps (issue "One house, one path"): the core is pure and reaches no AWS
 * service, use cases and the HTTP edge talk to AWS only through ports, handlers stay thin, and no
 * runtime source file grows past 400 lines. Read from the files themselves, so a new import or a
 * grown file fails here rather than in review.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // import … from 'x', export … from 'x', import 'x' and import('x'), each with either quote.
  const specs = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(specs)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function lines(file: string): number {
  return readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1;
}

describe('layout', () => {
  it('keeps the core pure: no AWS SDK, no adapter, port implementation, edge or runtime import', () => {
    const offending = sources('functions/core').flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('@aws-sdk/') || spec.startsWith('@aws-lambda-powertools/') || /^\.\.\/(adapters|use-cases|http|handlers|local)\//.test(spec) || /^node:(fs|http|https|net|child_process)$/.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('reaches AWS only from adapters, handlers and the local runtime', () => {
    const offending = ['functions/core', 'functions/use-cases', 'functions/http', 'functions/ports'].flatMap((dir) =>
      sources(dir).flatMap((file) => imports(file).filter((spec) => spec.startsWith('@aws-sdk/')).map((spec) => `${file} imports ${spec}`)),
    );
    expect(offending).toEqual([]);
  });

  it('keeps each handler under 40 lines and every runtime source file at most 400', () => {
    const handlers = sources('functions/handlers').filter((file) => lines(file) >= 40);
    expect(handlers).toEqual([]);
    const runtime = ['functions', 'infra', 'web/src']
      .flatMap(sources)
      .filter((file) => !file.startsWith(join('functions', 'generated'))) // built by scripts, not written by hand
      .filter((file) => lines(file) > 400)
      .map((file) => `${file}: ${lines(file)} lines`);
    expect(runtime).toEqual([]);
  });
});
