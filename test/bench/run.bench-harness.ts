/**
 * `npm run bench`: starts DynamoDB Local (in memory) and the local SES, runs every figure of issues
 * 6 and 13 beside its baseline, measured in the same run, writes test/bench/results.json (or
 * BENCH_OUT) and prints a markdown table. BENCH_SCALE=0.1 gives a smoke run; BENCH_ONLY=fire,lag
 * runs only some figures. Timings are reported, never asserted.
 */
import '../../functions/local/quiet-warnings.js';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildTemplates } from '../../scripts/build-templates.js';
import { freePort, startDynamo } from '../../functions/local/dynamo.js';
import { startSes } from '../../functions/local/ses.js';
import { apiFigure } from './api.bench-harness.js';
import { bundleFigures, initParts } from './bundles.bench-harness.js';
import { loadPrices, priceCounts, usdPerRepMonthAt } from './cost.bench-harness.js';
import { agendaFigure } from './agenda.bench-harness.js';
import { precisionFigure } from './precision.bench-harness.js';
import { scaleFigure } from './scale.bench-harness.js';
import { fireFigure } from './fire.bench-harness.js';
import { lagFigure } from './lag.bench-harness.js';
import { log, markdownTable, round, scale, scaled, type Row } from './lib.bench-harness.js';
import { templateFigure } from './templates.bench-harness.js';

const GOALS = {
  arrivalP99Ms: 2000,
  arrivalEarlyMs: 1000,
  fireRatio: 0.8,
  lagP99Ms: 1000,
  apiRatio: 0.7,
  bundleKb: 300,
  initRatio: 0.5,
  repMonthUsd: 0.6,
};

/** BENCH_ONLY=fire,lag runs only those figures (and what they need): a quick look at one thing. */
function wanted(name: string): boolean {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  return !only?.length || only.includes(name);
}

async function main() {
  const started = Date.now();
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.POWERTOOLS_DEV ??= 'true';
  // The runtimes' handlers log through Powertools: only what went wrong reaches the bench's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  buildTemplates();

  log('starting DynamoDB Local (in memory) and the local SES');
  const dynamo = await startDynamo({ port: await freePort() });
  const ses = await startSes(await freePort());
  const env = { dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.endpoint };
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  try {
    const fireTouches = scaled(2000, 40);
    const lagTouches = scaled(1000, 20);
    const prices = loadPrices();

    let api: Awaited<ReturnType<typeof apiFigure>> | undefined;
    if (wanted('api') || wanted('fire') || wanted('lag')) {
      log(`API throughput (${fireTouches / 2} outcomes each side)`);
      api = await apiFigure({ ...env, outcomes: fireTouches / 2 });
      figures.api = api.figure;
    }

    if (wanted('precision')) {
      const reminders = scaled(200, 20);
      log(`reminders on their second, minute-jitter scheduler (${reminders} reminders each side; waits for real minutes)`);
      const precision = await precisionFigure({ ...env, reminders });
      figures.precision = precision;
      const arrival = (label: string, a: typeof precision.ours) =>
        `${label}: p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms, earliest ${a.earliestMs} ms early, latest ${a.latestMs} ms late (${a.sent}/${a.reminders} sent)`;
      rows.push({
        figure: `1. rep reminder arrival vs its due second (${reminders} reminders, Scheduler firing anywhere in the minute)`,
        measured: arrival('ours (a minute early, then wait)', precision.ours),
        baseline: arrival('Scheduler alone (its invocation time, the schedule at the due second)', precision.alone),
        ratio: '—',
        goal: `p99 ≤ ${GOALS.arrivalP99Ms} ms, never > ${GOALS.arrivalEarlyMs} ms early`,
        met: precision.ours.sent === reminders && precision.ours.p99Ms <= GOALS.arrivalP99Ms && precision.ours.earliestMs <= GOALS.arrivalEarlyMs,
      });
      const gb = prices.lambda.memoryMb / 1024;
      const usd = (precision.ours.meanWaitMs / 1000) * gb * prices.lambda.arm64GbSecond;
      rows.push({
        figure: '1. added Lambda cost per rep reminder (the wait, billed)',
        measured: `$${usd.toPrecision(2)} (mean wait ${round(precision.ours.meanWaitMs / 1000, 1)} s at ${prices.lambda.memoryMb} MB)`,
        baseline: `SES email $${(prices.ses.outboundEmailPerThousand / 1000).toPrecision(2)}`,
        ratio: '—',
        goal: 'report',
        met: null,
      });
      figures.precisionCost = { usdPerReminder: usd, meanWaitMs: precision.ours.meanWaitMs };
    }

    if (wanted('fire') && api) {
      log(`fire throughput (${api.payloads.length} touches)`);
      const fire = await fireFigure({ ...env, tableName: api.tableName, payloads: api.payloads, warmPayloads: api.warmPayloads });
      figures.fire = fire;
      rows.push({
        figure: '2. fire throughput (touches/s, concurrency 32)',
        measured: `${fire.firer.perSecond}/s`,
        baseline: `${fire.raw.perSecond}/s (1 UpdateItem + 1 SendEmail); the four calls the guarantees need, made raw (Query, claim transaction, SendEmail, UpdateItem): ${fire.sameCalls.perSecond}/s, ours ${fire.ratioToSameCalls} of it; Node CPU per touch: ours ${fire.cpuMsPerTouch.firer} ms, raw ${fire.cpuMsPerTouch.raw} ms, the four calls ${fire.cpuMsPerTouch.sameCalls} ms`,
        ratio: `${fire.ratio}`,
        goal: `ratio ≥ ${GOALS.fireRatio}`,
        met: fire.ratio >= GOALS.fireRatio,
      });
      rows.push({
        figure: '2. round trips per fired touch (DynamoDB + SES calls; in sequence)',
        measured: Object.entries(fire.roundTrips)
          .map(([kind, r]) => `${kind} ${r.calls} (${r.sequential} in sequence)`)
          .join(', '),
        baseline: '2 (raw loop); before this change (f7b1081, measured the same way): resend_materials 6 (5 in sequence), rep_reminder 5 (4 in sequence)',
        ratio: '—',
        goal: 'report',
        met: null,
      });
    }

    if (wanted('lag')) {
      log(`fire lag on the local runtime (${lagTouches} touches due in one second)`);
      const lag = await lagFigure({ ...env, touches: lagTouches, setupRate: api?.figure.api.perSecond ?? 30 });
      figures.lag = lag;
      rows.push({
        figure: `3. fire lag, ${lag.touches} rep reminders due in one second (local runtime)`,
        measured: `p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms${lag.valid ? '' : ' (INVALID: setup overran or sends missing)'}`,
        baseline: `floor: ${lag.touches} raw UpdateItem + SendEmail started together, done p50 ${lag.floor.p50Ms} ms, p99 ${lag.floor.p99Ms} ms${lag.floor.failed ? ` (${lag.floor.failed} failed)` : ''}; the calls a reminder makes at its second (claim transaction, SendEmail, then the sent mark), timed as ours: p50 ${lag.sameCallsFloor.p50Ms} ms, p99 ${lag.sameCallsFloor.p99Ms} ms${lag.sameCallsFloor.failed ? ` (${lag.sameCallsFloor.failed} failed)` : ''}`,
        ratio: '—',
        goal: `p99 < ${GOALS.lagP99Ms} ms`,
        met: lag.valid ? lag.p99Ms < GOALS.lagP99Ms : false,
      });
    }

    if (api && wanted('api')) {
      rows.push({
        figure: `4. API outcomes/s (callback_agreed + materials, concurrency ${api.figure.concurrency})`,
        measured: `${api.figure.api.perSecond}/s, p50 ${api.figure.api.p50Ms} ms, p99 ${api.figure.api.p99Ms} ms${api.figure.api.errors ? `, ${api.figure.api.errors} errors` : ''}`,
        baseline: `${api.figure.raw.perSecond}/s, p50 ${api.figure.raw.p50Ms} ms (TransactWrite + 2 schedules); the store and Scheduler calls an outcome makes, made directly: ${api.figure.sameCalls.perSecond}/s, p50 ${api.figure.sameCalls.p50Ms} ms, ours ${api.figure.ratioToSameCalls} of it`,
        ratio: `${api.figure.ratio}`,
        goal: `ratio ≥ ${GOALS.apiRatio}`,
        met: api.figure.ratio >= GOALS.apiRatio && api.figure.api.errors === 0,
      });
    }

    let scaleRun: Awaited<ReturnType<typeof scaleFigure>> | undefined;
    if (wanted('scale') || wanted('cost')) {
      log('how cost grows: counting operations of a realistic outcome mix at scale 1, 2 and 4');
      scaleRun = await scaleFigure({ ...env, reps: 5, prospects: scaled(100, 20), rounds: 3 });
      figures.scale = scaleRun.rows;
    }

    let agenda: Awaited<ReturnType<typeof agendaFigure>> | undefined;
    if (wanted('agenda')) {
      log('the agenda of a rep with 2,000 pending touches');
      agenda = await agendaFigure({ dynamoEndpoint: env.dynamoEndpoint, pending: 2000, reads: scaled(50, 10) });
      figures.agenda = agenda;
    }

    let bundles: Awaited<ReturnType<typeof bundleFigures>> | undefined;
    if (wanted('bundles') || wanted('cost') || wanted('scale')) {
      log('cold-start footprint (esbuild, minified vs naive)');
      bundles = await bundleFigures({ runs: scale() < 1 ? 5 : 15 });
      figures.bundles = bundles;
      log('init by part: each bundled alone as deployed');
      const parts = await initParts({ runs: scale() < 1 ? 5 : 15 });
      figures.initParts = parts;
      for (const b of bundles) {
        rows.push(
          {
            figure: `4. ${b.handler} bundle size (minified, SDK left to the runtime)`,
            measured: `${b.minified.kb} KB`,
            baseline: `${b.naive.kb} KB naive`,
            ratio: `${round(b.minified.kb / b.naive.kb, 3)}`,
            goal: `≤ ${GOALS.bundleKb} KB`,
            met: b.minified.kb <= GOALS.bundleKb,
          },
          {
            figure: `4. ${b.handler} module init, SDK bundled as deployed (${b.sdkBundled.kb} KB; median of ${b.sdkBundled.initMsRuns.length})`,
            measured: `${b.sdkBundled.initMsMedian} ms`,
            baseline: `${b.naive.initMsMedian} ms naive`,
            ratio: `${b.sdkBundledInitRatio}`,
            goal: `ratio ≤ ${GOALS.initRatio}`,
            met: b.sdkBundledInitRatio <= GOALS.initRatio,
          },
        );
      }
      rows.push({
        figure: '4. init by part: each bundled alone as deployed, imported fresh (median)',
        measured: parts.map((p) => `${p.part} ${p.initMsMedian} ms (${p.kb} KB)`).join('; '),
        baseline: '—',
        ratio: '—',
        goal: 'report (what init is made of)',
        met: null,
      });
    }

    if (scaleRun) {
      for (const r of scaleRun.rows) {
        rows.push({
          figure: `5. scale ${r.scale}: ${r.reps} reps, ${r.prospects} prospects, ${r.touches} touches fired`,
          measured: `per touch: fire ${r.fireMsMedian} ms (p99 ${r.fireMsP99}), $${r.usdPerFiredTouch}; per outcome: api ${r.apiMsMedian} ms (p99 ${r.apiMsP99})`,
          baseline: r.scale === 1 ? '—' : `scale 1: fire ${scaleRun.rows[0]!.fireMsMedian} ms, $${scaleRun.rows[0]!.usdPerFiredTouch}`,
          ratio: r.scale === 1 ? '—' : `${round(r.fireMsMedian / scaleRun.rows[0]!.fireMsMedian, 2)}× time, ${round(r.usdPerFiredTouch / scaleRun.rows[0]!.usdPerFiredTouch, 2)}× cost`,
          goal: 'flat (linear growth)',
          met: null,
        });
      }
      // Cold starts are priced at the init of the bundles as deployed (SDK bundled).
      const measured = (bundles ?? []).map((b) => b.sdkBundled.initMsMedian).filter(Number.isFinite);
      const initOf = (name: string) => {
        const v = bundles?.find((b) => b.handler === name)?.sdkBundled.initMsMedian;
        return v !== undefined && Number.isFinite(v) ? v : measured.length ? Math.max(...measured) : 0;
      };
      const cost = priceCounts(scaleRun.base, prices, { api: initOf('api'), fire: initOf('fire') });
      figures.cost = cost;
      rows.push({
        figure: `5. cost per rep-month (40 outcomes/day × 22 days), no SMS, at 1,000 reps`,
        measured: `$${usdPerRepMonthAt(cost, 1000)} ($${cost.usdPer1000Outcomes} per 1,000 outcomes + $${cost.fixedMonthly.usd}/month fixed ÷ 1,000)`,
        baseline: `1 rep alone: $${usdPerRepMonthAt(cost, 1)}; SMS apart: +$${cost.smsUsdPerRepMonth}/rep-month`,
        ratio: '—',
        goal: `≤ $${GOALS.repMonthUsd}`,
        met: usdPerRepMonthAt(cost, 1000) <= GOALS.repMonthUsd,
      });
    }
    if (agenda) {
      rows.push({
        figure: `5. agenda read (GET /v1/followups), a rep with ${agenda.pending} pending touches`,
        measured: `p50 ${agenda.p50Ms} ms, p99 ${agenda.p99Ms} ms; ${agenda.returned} touches, ${agenda.responseKb} KB, ${agenda.dynamoCallsPerRead} DynamoDB calls`,
        baseline: '—',
        ratio: '—',
        goal: `report (every pending touch answered)`,
        met: agenda.returned === agenda.pending,
      });
    }

    if (wanted('templates')) {
      log('template rendering');
      const templates = templateFigure({ batches: 5, batchMs: scale() < 1 ? 150 : 400 });
      figures.templates = templates;
      rows.push({
        figure: '6. rep_reminder renders/s',
        measured: `${templates.compiledOnce.perSecond}/s precompiled once`,
        baseline: `${templates.compiledPerRender.perSecond}/s compiled per render`,
        ratio: `${templates.ratio}×`,
        goal: 'report',
        met: null,
      });
    }

    const results = {
      date: new Date().toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 1),
      scale: scale(),
      only: process.env.BENCH_ONLY ?? null,
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', loadAverage: loadavg().map((l) => round(l, 2)) },
      goals: GOALS,
      table: rows,
      figures,
    };
    const out = process.env.BENCH_OUT ?? new URL('./results.json', import.meta.url).pathname;
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    console.log(`\n## followthrough benchmark, ${results.date.slice(0, 10)} (${results.durationSeconds} s, scale ${results.scale}, ${results.machine.cpus} cores, node ${process.version})\n`);
    console.log(markdownTable(rows));
    console.log(`\nDetails: ${out}`);
  } finally {
    await ses.stop();
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
