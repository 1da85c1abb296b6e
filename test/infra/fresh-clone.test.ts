/**
 * The README's deploy steps are `npm ci`, then `npx cdk bootstrap` and `npx cdk deploy`: the CDK CLI runs
 * infra/bin/app.ts, with nothing built before it. functions/generated/ is not in git, and the render function
 * bundles the console from it, so the app must make it. This runs the app as the CLI would (CDK_OUTDIR,
 * CDK_CONTEXT_JSON) in a copy of the repository without functions/generated/.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT, REPO_ROOT, SYNTH_TIMEOUT } from './support.js';

const run = promisify(execFile);
/** What `cdk synth` needs of a clone: the app, the code it bundles, and what the build reads. */
const CLONE = ['functions', 'infra', 'scripts', 'templates', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'cdk.json'];

let clone: string | undefined;
afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe('a fresh clone', () => {
  it(
    'synthesizes with the CDK CLI\'s command alone, building the generated modules the bundles import',
    async () => {
      // Prepare: a copy with no functions/generated/ and no cdk.out, sharing node_modules as `npm ci` would make it.
      clone = mkdtempSync(path.join(tmpdir(), 'followthrough-clone-'));
      for (const entry of CLONE) {
        cpSync(path.join(REPO_ROOT, entry), path.join(clone, entry), {
          recursive: true,
          filter: (source) => !source.startsWith(path.join(REPO_ROOT, 'functions', 'generated')),
        });
      }
      symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
      expect(existsSync(path.join(clone, 'functions', 'generated'))).toBe(false);
      const outdir = path.join(clone, 'cdk.out');

      // Act: what `cdk synth` runs ("app" in cdk.json), with the context and output directory it passes.
      const app = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string }).app;
      expect(app).toBe('npx tsx infra/bin/app.ts');
      await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['infra/bin/app.ts'], {
        cwd: clone,
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON_CONTEXT, senderEmail: 'followthrough@sales.example.com' }),
        },
        maxBuffer: 16 * 1024 * 1024,
      });

      // Assess: the template and a bundle per function, the render function's carrying the console.
      const template = JSON.parse(readFileSync(path.join(outdir, 'Followthrough.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(5);
      const bundles = readdirSync(outdir).filter((name) => name.startsWith('asset.') && existsSync(path.join(outdir, name, 'index.mjs')));
      expect(bundles).toHaveLength(5);
      expect(bundles.some((name) => readFileSync(path.join(outdir, name, 'index.mjs'), 'utf8').includes('assets/app-'))).toBe(true);
      for (const generated of ['templates.ts', 'template-meta.ts', 'holidays.ts', 'console-assets.ts', 'console-style.ts']) {
        expect(existsSync(path.join(clone, 'functions', 'generated', generated)), generated).toBe(true);
      }
    },
    SYNTH_TIMEOUT,
  );
});
