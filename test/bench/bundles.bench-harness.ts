/**
 * Figure 4: cold-start footprint of each Lambda. Each handler is bundled with esbuild the way
 * infra/constructs/function.ts has NodejsFunction do it (ESM, node22, platform node, minified,
 * the createRequire banner, the AWS SDK bundled in as deployed), again with the SDK left to the
 * runtime, and naively (not minified, no tree shaking so SDK clients come whole, classic
 * `zod` in place of `zod/mini`: zod-naive.bench-harness.ts). Init time is a fresh `node` importing the bundle with the
 * handler's settings as dummies, median of many runs, the variants interleaved. Bundles are
 * written inside the repository so an SDK left out resolves from node_modules, as it resolves
 * from the runtime's own on Lambda.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { log, median, round } from './lib.bench-harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SDK_EXTERNAL = ['@aws-sdk/*', '@smithy/*'];
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Dummy settings: every handler reads its own at module load and fails fast on a missing one. */
export const DUMMY_ENV: Record<string, string> = {
  TABLE_NAME: 'followthrough-bench',
  SCHEDULE_GROUP: 'followthrough',
  FIRE_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:fire',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
  SENDER_EMAIL: 'followthrough@example.com',
  SES_CONFIGURATION_SET: 'followthrough',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'followthrough',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:followthrough-links',
  PUBLIC_API_URL: 'https://api.example.com',
  UNSUBSCRIBE_MAILTO: 'unsubscribe@example.com',
};

/**
 * A stand-in for Secrets Manager: handlers that fetch a secret at init (top-level await) reach
 * it through AWS_ENDPOINT_URL_SECRETS_MANAGER, so init includes that round trip, as on Lambda.
 */
async function startSecretsStub(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: DUMMY_ENV.LINK_SECRET_ARN, Name: 'followthrough-links', SecretString: 'bench-link-secret-0123456789abcdef0123456789abcdef', VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
let extraEnv: Record<string, string> = {};

export interface BundleVariant {
  bytes: number;
  kb: number;
  initMsMedian: number;
  initMsRuns: number[];
  /** What takes the bytes: packages (node_modules/<pkg>, or "app" for our code). */
  topPackages: { name: string; kb: number }[];
  topFiles: { path: string; kb: number }[];
}

export interface BundleFigure {
  handler: string;
  entry: string;
  /** Minified, the AWS SDK left to the Lambda runtime (externalModules: ['@aws-sdk/*', '@smithy/*']). */
  minified: BundleVariant;
  /** Minified with the SDK bundled in, as deployed by default (externalModules: []). */
  sdkBundled: BundleVariant;
  naive: BundleVariant;
  initRatio: number;
  sdkBundledInitRatio: number;
  error?: string;
}

export function handlerEntries(): { name: string; entry: string }[] {
  return ['api', 'fire', 'events', 'render', 'sweep']
    .map((name) => ({ name, entry: join(ROOT, 'functions', 'handlers', `${name}.ts`) }))
    .filter((h) => existsSync(h.entry));
}

/** Bundles a file, or `{ code }` as if it were one at the repository root, the way the stack does. */
async function bundle(entry: string | { code: string }, outfile: string, naive: boolean, external: readonly string[] = []): Promise<Metafile> {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.code, resolveDir: ROOT, loader: 'ts' as const } }),
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    minify: !naive,
    sourcemap: naive ? false : 'external',
    treeShaking: !naive,
    external: [...external],
    metafile: true,
    logLevel: 'error',
    absWorkingDir: ROOT,
    ...(naive ? { alias: { 'zod/mini': join(ROOT, 'test', 'bench', 'zod-naive.bench-harness.ts') } } : {}),
  });
  return result.metafile;
}

function topInputs(meta: Metafile, outfile: string) {
  const key = Object.keys(meta.outputs).find((k) => outfile.endsWith(k) || k.endsWith(outfile.split('/').pop()!))!;
  const inputs = meta.outputs[key]!.inputs;
  const byPackage = new Map<string, number>();
  const files: { path: string; bytes: number }[] = [];
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    files.push({ path, bytes: bytesInOutput });
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = m ? m[1]! : path.startsWith('functions/') ? 'app (functions/)' : path;
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    topPackages: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, b]) => ({ name, kb: round(b / 1024, 1) })),
    topFiles: files
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8)
      .map((f) => ({ path: f.path, kb: round(f.bytes / 1024, 1) })),
  };
}

/** Milliseconds a fresh node process spends importing `file` (module init, no invocation). */
export function initTime(file: string): Promise<number> {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t0));`;
  return new Promise((resolve, reject) => {
    // Async, so the in-process Secrets Manager stand-in can answer while the child initialises.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...DUMMY_ENV, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Number(stdout));
      const lines = stderr.split('\n').filter((l) => l.trim() && l.length < 400);
      reject(new Error(`importing ${file} failed (exit ${code}): ${lines.slice(0, 4).join(' | ')}`));
    });
  });
}

export async function bundleFigures(options: { runs?: number } = {}): Promise<BundleFigure[]> {
  const runs = options.runs ?? 15;
  const dir = join(ROOT, '.bench-out', `bundles-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const figures: BundleFigure[] = [];
  const secrets = await startSecretsStub();
  extraEnv = { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url };
  try {
    for (const { name, entry } of handlerEntries()) {
      const minFile = join(dir, name, 'index.mjs');
      const sdkFile = join(dir, `${name}-sdk`, 'index.mjs');
      const naiveFile = join(dir, `${name}-naive`, 'index.mjs');
      try {
        const minMeta = await bundle(entry, minFile, false, SDK_EXTERNAL);
        const sdkMeta = await bundle(entry, sdkFile, false);
        const naiveMeta = await bundle(entry, naiveFile, true);
        // Warm the file cache, then interleave the runs so drift hits all alike.
        for (const f of [minFile, sdkFile, naiveFile]) await initTime(f);
        const minRuns: number[] = [];
        const sdkRuns: number[] = [];
        const naiveRuns: number[] = [];
        for (let i = 0; i < runs; i++) {
          minRuns.push(await initTime(minFile));
          sdkRuns.push(await initTime(sdkFile));
          naiveRuns.push(await initTime(naiveFile));
        }
        const variant = (file: string, meta: Metafile, initRuns: number[]): BundleVariant => ({
          bytes: statSync(file).size,
          kb: round(statSync(file).size / 1024, 1),
          initMsMedian: round(median(initRuns), 1),
          initMsRuns: initRuns.map((r) => round(r, 1)),
          ...topInputs(meta, file),
        });
        const minified = variant(minFile, minMeta, minRuns);
        const sdkBundled = variant(sdkFile, sdkMeta, sdkRuns);
        const naive = variant(naiveFile, naiveMeta, naiveRuns);
        figures.push({
          handler: name,
          entry: `functions/handlers/${name}.ts`,
          minified,
          sdkBundled,
          naive,
          initRatio: round(minified.initMsMedian / naive.initMsMedian, 3),
          sdkBundledInitRatio: round(sdkBundled.initMsMedian / naive.initMsMedian, 3),
        });
        log(`bundles: ${name}: ${minified.kb} KB, init ${minified.initMsMedian} ms; SDK bundled ${sdkBundled.kb} KB, ${sdkBundled.initMsMedian} ms; naive ${naive.kb} KB, ${naive.initMsMedian} ms`);
      } catch (error) {
        log(`bundles: ${name} failed: ${String(error)}`);
        const empty: BundleVariant = { bytes: NaN, kb: NaN, initMsMedian: NaN, initMsRuns: [], topPackages: [], topFiles: [] };
        figures.push({ handler: name, entry: `functions/handlers/${name}.ts`, minified: empty, sdkBundled: empty, naive: empty, initRatio: NaN, sdkBundledInitRatio: NaN, error: String(error) });
      }
    }
  } finally {
    await secrets.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** One part of a function's init, bundled alone as deployed: what importing it costs by itself. */
export interface InitPart {
  part: string;
  kb: number;
  initMsMedian: number;
}

/**
 * What the fire function's init is made of: each part bundled alone the deployed way (minified, the
 * SDK bundled in) and imported into a fresh node, the parts interleaved, median of `runs`. Parts share
 * code (zod, Luxon), so they do not add up to the whole; each says what it costs on its own.
 */
export async function initParts(options: { runs?: number } = {}): Promise<InitPart[]> {
  const runs = options.runs ?? 15;
  const parts: { part: string; code: string }[] = [
    // What importing any module costs a fresh node: the other parts include it.
    { part: 'an empty module', code: 'export const nothing = 0;' },
    { part: 'zod/mini with one schema', code: "import * as z from 'zod/mini'; export const s = z.object({ a: z.string() });" },
    { part: 'settings (zod schemas of every setting and the cadence policy)', code: "export * from './functions/settings.ts';" },
    { part: 'core/schemas (records and inputs, zod)', code: "export * from './functions/core/schemas.ts';" },
    { part: 'core/time (Luxon, the zone and wording helpers)', code: "export * from './functions/core/time.ts';" },
    { part: 'core/cadence (Luxon, the holidays)', code: "export * from './functions/core/cadence.ts';" },
    { part: 'templates (precompiled, Handlebars runtime)', code: "import { templateLibrary } from './functions/core/templates.ts'; export const l = templateLibrary();" },
    { part: 'Powertools logger', code: "import { Logger } from '@aws-lambda-powertools/logger'; export const l = new Logger({ serviceName: 'followthrough' });" },
    {
      part: 'the DynamoDB document client alone',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; export const c = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
    },
    {
      part: 'SDK clients fire makes (DynamoDB document, SESv2, Secrets Manager)',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; import { SESv2Client } from '@aws-sdk/client-sesv2'; import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; export const c = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SESv2Client({}), new SecretsManagerClient({})];",
    },
    { part: 'the fire handler whole', code: "export * from './functions/handlers/fire.ts';" },
  ];
  const dir = join(ROOT, '.bench-out', `parts-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const secrets = await startSecretsStub();
  extraEnv = { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url };
  try {
    const files = await Promise.all(
      parts.map(async (p, i) => {
        const outfile = join(dir, `part-${i}`, 'index.mjs');
        await bundle({ code: p.code }, outfile, false);
        return outfile;
      }),
    );
    for (const f of files) await initTime(f);
    const times: number[][] = files.map(() => []);
    for (let r = 0; r < runs; r++) for (const [i, f] of files.entries()) times[i]!.push(await initTime(f));
    return parts.map((p, i) => ({ part: p.part, kb: round(statSync(files[i]!).size / 1024, 1), initMsMedian: round(median(times[i]!), 1) }));
  } finally {
    await secrets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
