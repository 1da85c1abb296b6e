/**
 * The code users deploy is the code that runs here: the stack is synthesized (with a cadence
 * policy from context), and each Lambda bundle from cdk.out is invoked, in its own Node process
 * with the environment the stack sets (.data/lambda.env's values for what only exists on AWS),
 * against the local runtime's services: all five functions, the sweep included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CDK_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const POLICY = '{"resendLeadMinutes":15,"retryBusinessDays":[2,3]}';
const ZONES = ['America/Chicago', 'America/Los_Angeles', 'Pacific/Honolulu', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/London'];
/** Variables that exist only on AWS: the hosted sign-in of the console. */
const AWS_ONLY = new Set(['COGNITO_DOMAIN_URL', 'COGNITO_CLIENT_ID']);

type Fn = 'api' | 'fire' | 'events' | 'render' | 'sweep';
interface Bundle {
  file: string;
  env: Record<string, unknown>;
}

/** Runs `handler(event)` of an ESM bundle in a fresh Node process and answers what it returned. */
function invoke(bundle: Bundle, env: Record<string, string>, event: unknown): Promise<any> {
  const script = `const { handler } = await import(${JSON.stringify(`file://${bundle.file}`)});
const event = JSON.parse(process.argv[1]);
const out = await handler(event, { awsRequestId: 'bundle-test' });
process.stdout.write('\\nRESULT ' + JSON.stringify(out ?? null) + '\\n');`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(event)], {
      env: { PATH: process.env.PATH ?? '', ...env, POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`bundle exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

function httpEvent(method: string, rawPath: string, sub: string, body?: unknown, query?: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: { 'content-type': 'application/json', host: 'localhost' },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      domainName: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bundle-test' },
      authorizer: { jwt: { claims: { sub }, scopes: null } },
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  };
}

describe('the bundles in cdk.out, against the local runtime', () => {
  let outdir: string;
  let bundles: Record<Fn, Bundle>;
  let rt: TestRuntime;

  beforeAll(async () => {
    // Prepare: synthesize as `cdk synth -c cadencePolicy=...` would, bundling the real handlers.
    outdir = mkdtempSync(path.join(tmpdir(), 'followthrough-bundles-'));
    const { app, stack } = buildApp({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:enable-asset-metadata': true, senderEmail: 'followthrough@example.com', cadencePolicy: POLICY } });
    app.synth();
    const template = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
    };
    const of = (fn: { function: { node: { defaultChild?: unknown } } }): Bundle => {
      const id = stack.getLogicalId(fn.function.node.defaultChild as never);
      const resource = template.Resources[id]!;
      return { file: path.join(outdir, resource.Metadata!['aws:asset:path']!, 'index.mjs'), env: resource.Properties.Environment?.Variables ?? {} };
    };
    bundles = { api: of(stack.apiFunction), fire: of(stack.fireFunction), events: of(stack.eventsFunction), render: of(stack.renderFunction), sweep: of(stack.sweepFunction) };
    rt = await testRuntime({ start: new Date().toISOString() });
  }, 240_000);

  afterAll(async () => {
    await rt?.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  /** The stack's own values where it sets a literal (CADENCE_POLICY), the local system's for what exists only on AWS. */
  function envFor(fn: Fn): Record<string, string> {
    const env: Record<string, string> = { ...rt.env };
    for (const [key, value] of Object.entries(bundles[fn].env)) if (typeof value === 'string') env[key] = value;
    return env;
  }

  it('gives every variable the stack sets a local value in lambda.env', () => {
    for (const fn of Object.keys(bundles) as Fn[]) {
      const missing = Object.entries(bundles[fn].env).filter(([key, value]) => typeof value !== 'string' && !(key in rt.env) && !AWS_ONLY.has(key));
      expect(missing.map(([key]) => `${fn}: ${key}`)).toEqual([]);
    }
    expect(bundles.api.env.CADENCE_POLICY).toBe(POLICY);
  });

  it('plans with the synthesized policy, renders, fires, takes SES feedback and sweeps, each from its own bundle', async () => {
    // Prepare: a rep and a prospect through the runtime's API.
    const prospectEmail = uniqueEmail('dana');
    // The fire bundle runs on the real clock: a prospect whose day it is now, so the recap is not held for quiet hours.
    const zone = ZONES.find((z) => DateTime.now().setZone(z).hour >= 9 && DateTime.now().setZone(z).hour < 19)!;
    await rt.call('PUT', '/v1/reps/me', { name: 'Ann Rep', email: uniqueEmail('ann'), timezone: 'America/New_York', reminderChannel: 'email' }, { repId: 'ann' });
    await rt.call('POST', '/v1/prospects', { id: 'dana', name: 'Dana Buyer', email: prospectEmail, timezone: zone, hotButtons: ['uptime'] }, { repId: 'ann' });
    // Three days ahead at 15:00 where they are: the resend moves for nothing but the policy.
    const callbackAt = DateTime.now().setZone(zone).plus({ days: 3 }).set({ hour: 15, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO({ suppressMilliseconds: true })!;

    // Act + Assess: the api bundle plans the resend 15 minutes ahead, as the synthesized policy says.
    const posted = await invoke(bundles.api, envFor('api'), httpEvent('POST', '/v1/prospects/dana/calls', 'ann', {
      outcome: 'callback_agreed',
      callbackAt,
      materials: [{ title: 'Quote', url: 'https://example.com/q' }],
    }));
    expect(posted.statusCode).toBe(201);
    const plan = JSON.parse(posted.body).plan as { id: string; kind: string; dueAt: string }[];
    const resend = plan.find((t) => t.kind === 'resend_materials')!;
    expect(Date.parse(callbackAt) - Date.parse(resend.dueAt)).toBe(15 * 60_000);
    // Its schedules are on the local Scheduler endpoint, made by the bundle's own SDK client.
    const recap = plan.find((t) => t.kind === 'recap')!;
    const schedule = rt.aws.scheduler.list().find((s) => s.name === `touch-${recap.id}`)!;
    expect(JSON.parse(schedule.input)).toMatchObject({ touchId: recap.id, repId: 'ann', prospectId: 'dana' });

    // The render bundle previews the script; the fire bundle sends the recap; the events bundle takes a bounce.
    const preview = await invoke(bundles.render, envFor('render'), httpEvent('GET', '/v1/prospects/dana/preview', 'ann', undefined, { kind: 'voicemail' }));
    expect(preview.statusCode).toBe(200);
    expect(JSON.parse(preview.body).text).toMatch(/^Hi Dana/);
    const fired = await invoke(bundles.fire, envFor('fire'), JSON.parse(schedule.input));
    expect(fired).toMatchObject({ result: 'sent', touchId: recap.id, channel: 'email' });
    expect((await rt.inbox(prospectEmail)).map((e) => e.messageId)).toEqual([fired.messageId]);
    const bounced = await invoke(bundles.events, envFor('events'), {
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      detail: { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: prospectEmail }] }, mail: { messageId: fired.messageId, tags: { touch: [recap.id] } } },
    });
    expect(bounced).toMatchObject({ result: 'suppressed', reason: 'bounced' });
    const after = await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'ann' });
    expect(after.body.prospect.emailSuppressed).toMatchObject({ reason: 'bounced' });
    expect(after.body.touches.find((t: { kind: string }) => t.kind === 'resend_materials')).toMatchObject({ status: 'cancelled' });

    // The sweep bundle: a run as its recurring schedule sends it, four days on, finds the reminder past due but
    // its schedule still held by Scheduler (read through the bundle's own client), and leaves it alone.
    const reminder = plan.find((t) => t.kind === 'rep_reminder')!;
    const later = DateTime.fromISO(callbackAt).plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: true });
    const swept = await invoke(bundles.sweep, envFor('sweep'), { v: 1, source: 'followthrough.sweep', scheduledTime: later });
    expect(swept).toMatchObject({ scheduledTime: later, errors: 0, repaired: 0 });
    expect(swept.pending).toBeGreaterThanOrEqual(1);
    // Then the fire function's on-failure record for that reminder, as SQS hands it over: the touch ends failed, the rep is told.
    const failure = {
      timestamp: new Date().toISOString(),
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fire' },
      requestPayload: JSON.parse(rt.aws.scheduler.list().find((s) => s.name === `touch-${reminder.id}`)!.input),
      responsePayload: { errorType: 'TooManyRequestsException', errorMessage: 'Maximum sending rate exceeded.' },
    };
    const batch = await invoke(bundles.sweep, envFor('sweep'), {
      Records: [{ messageId: 'm-1', receiptHandle: 'r-1', body: JSON.stringify(failure), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:fire-failures', awsRegion: 'us-east-1' }],
    });
    expect(batch).toEqual({ batchItemFailures: [] });
    const failed = await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'ann' });
    const touches = failed.body.touches as { id: string; kind: string; status: string; reason?: string; notice?: string }[];
    expect(touches.find((t) => t.id === reminder.id)).toMatchObject({ status: 'failed', reason: expect.stringContaining('Maximum sending rate exceeded') });
    expect(touches.filter((t) => t.kind === 'rep_notice' && t.notice === 'delivery_failed')).toHaveLength(1);
  }, 120_000);
});
