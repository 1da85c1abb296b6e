/**
 * Builds the rep console (web/) with esbuild and embeds the output in functions/generated/console-assets.ts,
 * which functions/http/console.ts serves at /app: the render Lambda carries the console, no bucket, no
 * CDN. Asset names carry a content hash, so they can be cached for a year; index.html is never cached.
 * Also writes functions/generated/console-style.ts, the address of the shared stylesheet alone, so the
 * public pages can link it without bundling the console.
 *
 * Run by `npm run build:web` (after build:templates: the console reads the holiday table it generates).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildTemplates, parseFrontMatter } from './build-templates.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const generated = join(root, 'functions', 'generated');
const ASSET_BASE = '/app/assets/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

export interface BuiltAsset {
  path: string;
  type: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Hot buttons the scripts have words for, with their labels: the front matter of templates/parts/hot/
 * (the voicemail scripts are composed from these parts; `_other` words a hot button the library lacks).
 */
export function hotButtons(): { key: string; label: string }[] {
  const dir = join(root, 'templates', 'parts', 'hot');
  const found = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs')).sort()) {
    const { meta } = parseFrontMatter(readFileSync(join(dir, file), 'utf8'));
    if (meta.hotButton) found.set(meta.hotButton, meta.label ?? meta.hotButton.replace(/_/g, ' '));
  }
  return [...found].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label));
}

const hash = (content: string | Uint8Array) => createHash('sha256').update(content).digest('base64url').slice(0, 10);

export async function buildWeb(): Promise<{ assets: BuiltAsset[]; totalBytes: number; totalGzipBytes: number; embeddedBytes: number; outFile: string }> {
  // The console reads the holiday table that build:templates generates: make it on a fresh clone.
  if (!existsSync(join(generated, 'holidays.ts'))) buildTemplates();
  const result = await build({
    entryPoints: {
      app: join(web, 'src', 'main.tsx'),
      console: join(web, 'styles', 'console.css'),
      public: join(web, 'styles', 'public.css'),
    },
    outdir: join(root, '.web-out'),
    entryNames: '[name]-[hash]',
    // The phone library loads on first use (web/src/phone.ts), in a file of its own.
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(web, 'tsconfig.json'),
    define: { __HOT_BUTTONS__: JSON.stringify(hotButtons()) },
    // Licences of bundled packages go at the end of each file, where they cost a few hundred bytes.
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
  });

  const files = new Map<string, { type: string; body: string }>();
  const named: Record<string, string> = {};
  for (const out of result.outputFiles) {
    const name = basename(out.path);
    const ext = name.slice(name.lastIndexOf('.'));
    files.set(`assets/${name}`, { type: TYPES[ext]!, body: out.text });
    named[`${name.replace(/-[^-.]+(\.\w+)$/, '$1')}`] = `${ASSET_BASE}${name}`;
  }
  const icon = readFileSync(join(web, 'icon.svg'), 'utf8');
  const iconName = `icon-${hash(icon)}.svg`;
  files.set(`assets/${iconName}`, { type: TYPES['.svg']!, body: icon });
  named.icon = `${ASSET_BASE}${iconName}`;

  const html = readFileSync(join(web, 'index.html'), 'utf8').replace(/\{\{([\w.]+)\}\}/g, (_, key: string) => {
    const href = named[key];
    if (!href) throw new Error(`web/index.html names {{${key}}}, which the build did not make`);
    return href;
  });
  files.set('index.html', { type: TYPES['.html']!, body: html });

  const gzipped = new Map([...files].map(([path, f]) => [path, gzipSync(f.body, { level: 9 })]));
  const assets: BuiltAsset[] = [...files].map(([path, f]) => ({
    path,
    type: f.type,
    bytes: Buffer.byteLength(f.body),
    gzipBytes: gzipped.get(path)!.length,
  }));
  // Assets are kept gzipped (base64), as most browsers take them; index.html as text, it is tiny and rewritten never.
  const entries = [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, f]) =>
      path === 'index.html'
        ? `  ${JSON.stringify(path)}: { type: ${JSON.stringify(f.type)}, body: ${JSON.stringify(f.body)} },`
        : `  ${JSON.stringify(path)}: { type: ${JSON.stringify(f.type)}, gzip: true, body: ${JSON.stringify(gzipped.get(path)!.toString('base64'))} },`,
    );
  mkdirSync(generated, { recursive: true });
  const outFile = join(generated, 'console-assets.ts');
  writeFileSync(
    outFile,
    `// Generated by scripts/build-web.ts from web/. Do not edit; run npm run build:web.
/* eslint-disable */

/** One file of the console: its content type and its text, or with gzip its gzipped bytes in base64. */
export interface ConsoleAsset {
  type: string;
  body: string;
  gzip?: true;
}

/** The console by path under /app/: "index.html" and "assets/<name>-<hash>.<ext>". */
export const CONSOLE_ASSETS: Readonly<Record<string, ConsoleAsset>> = {
${entries.join('\n')}
};
`,
  );
  const stylesheet = named['public.css'];
  if (!stylesheet) throw new Error('the build made no public.css');
  writeFileSync(
    join(generated, 'console-style.ts'),
    `// Generated by scripts/build-web.ts. Do not edit; run npm run build:web.

/** The shared stylesheet of the console and the public pages, by its hashed address. */
export const PUBLIC_STYLESHEET = ${JSON.stringify(stylesheet)};
`,
  );
  const embeddedBytes = readFileSync(outFile).length;
  const totalBytes = assets.reduce((s, a) => s + a.bytes, 0);
  const totalGzipBytes = assets.reduce((s, a) => s + a.gzipBytes, 0);
  return { assets, totalBytes, totalGzipBytes, embeddedBytes, outFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { assets, totalBytes, totalGzipBytes, embeddedBytes } = await buildWeb();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const a of assets) console.log(`web: ${a.path.padEnd(34)} ${kb(a.bytes).padStart(9)}  gzip ${kb(a.gzipBytes).padStart(8)}`);
  console.log(`web: ${assets.length} files, ${kb(totalBytes)} (gzip ${kb(totalGzipBytes)}); functions/generated/console-assets.ts is ${kb(embeddedBytes)}`);
}
