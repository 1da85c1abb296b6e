/**
 * Reports (GET /v1/reports/promises): did the rep call when the reminder said, which attempts and which
 * of the prospect's hours reach people, and which voicemail scripts earn a callback.
 */
import { DateTime } from 'luxon';
import { useState } from 'preact/hooks';
import { get, query, type PromisesReport, type Rep } from '../api.js';
import { BarChart, StackedBar } from '../charts.js';
import { count, percent } from '../format.js';
import { ErrorNotice, Field, Loading, PageTitle, useResource, valueOf } from '../ui.js';

export function ReportsPage({ rep }: { rep: Rep }) {
  const today = DateTime.now().setZone(rep.timezone);
  const [range, setRange] = useState({ from: today.minus({ days: 29 }).toISODate()!, to: today.toISODate()!, window: '15' });
  const [applied, setApplied] = useState(range);
  const period = {
    from: DateTime.fromISO(applied.from, { zone: rep.timezone }).startOf('day').toUTC().toISO()!,
    to: DateTime.fromISO(applied.to, { zone: rep.timezone }).endOf('day').plus({ milliseconds: 1 }).toUTC().toISO()!,
  };
  const report = useResource(
    () => get<PromisesReport>(`/v1/reports/promises${query({ ...period, windowMinutes: applied.window })}`),
    JSON.stringify(applied),
  );
  const set = (key: keyof typeof range) => (e: Event) => setRange({ ...range, [key]: valueOf(e) });

  return (
    <section>
      <PageTitle title="Reports">Reports</PageTitle>
      <form
        class="card inline-form report-range"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(range);
        }}
      >
        <Field id="report-from" label="From">
          <input id="report-from" type="date" value={range.from} max={range.to} onChange={set('from')} required />
        </Field>
        <Field id="report-to" label="To">
          <input id="report-to" type="date" value={range.to} min={range.from} onChange={set('to')} required />
        </Field>
        <Field id="report-window" label="On time within (minutes)">
          <input id="report-window" type="number" min="0" max="240" value={range.window} onChange={set('window')} required />
        </Field>
        <button type="submit">Show</button>
      </form>
      <ErrorNotice error={report.error} onRetry={report.reload} />
      {!report.data && report.loading && <Loading what="the report" />}
      {/* Figures kept from an earlier period would read as the new one's under the dates just refused. */}
      {report.data && !report.error && <Figures report={report.data} />}
    </section>
  );
}

function Figures({ report }: { report: PromisesReport }) {
  const p = report.promisesKept;
  return (
    <div class="report">
      <section class="card" aria-labelledby="kept-title">
        <h2 id="kept-title">Promises kept</h2>
        {p.reminders === 0 ? (
          <p class="empty">
            No call reminders went out in this period, so there is nothing to measure yet. Each reminder followed by your call to that prospect within{' '}
            {report.windowMinutes} minutes counts as a promise kept.
          </p>
        ) : (
          <p class="big-number">
            <strong>{percent(p.keptRate)}</strong> of {count(p.reminders, 'reminder')} {p.reminders === 1 ? 'was' : 'were'} followed by your call within {report.windowMinutes} minutes
            {p.medianMinutesLate !== null && <>; median {count(p.medianMinutesLate, 'minute')} late</>}.
          </p>
        )}
        {p.reminders > 0 && <StackedBar
          id="kept"
          caption="Reminders sent in the period, by what followed"
          parts={[
            { key: 'kept', label: 'On time', count: p.kept },
            { key: 'late', label: 'Late', count: p.late },
            { key: 'missed', label: 'No call', count: p.missed },
          ]}
        />}
      </section>
      <section class="card" aria-labelledby="reach-title">
        <h2 id="reach-title">Reach rate</h2>
        <p>A call reached the prospect when the outcome was callback agreed, stalled, won or not interested.</p>
        <BarChart
          id="reach-attempt"
          caption="By attempt number (counted since the last conversation)"
          empty="No calls in this period."
          bars={report.reachByAttempt.map((r) => ({ label: `Attempt ${r.attempt}`, rate: r.rate, detail: `${r.reached} of ${count(r.calls, 'call')}` }))}
        />
        <BarChart
          id="reach-hour"
          caption="By the prospect's local hour of the call"
          empty="No calls in this period."
          bars={report.reachByLocalHour.map((r) => ({
            label: DateTime.fromObject({ hour: r.hour }).toFormat('h a'),
            rate: r.rate,
            detail: `${r.reached} of ${count(r.calls, 'call')}`,
          }))}
        />
      </section>
      <section class="card" aria-labelledby="scripts-title">
        <h2 id="scripts-title">Callbacks after a voicemail</h2>
        <BarChart
          id="scripts"
          caption="By the voicemail script left: the share of voicemails followed by a conversation before the next voicemail"
          empty="No voicemails left in this period."
          bars={report.callbacksAfterVoicemail.map((r) => ({
            label: r.template === 'unknown' ? 'No script on record (a first call, or before scripts were recorded)' : r.template.replace(/^voicemail\//, '').replace(/[_+]/g, ' '),
            rate: r.rate,
            detail: `${r.callbacks} of ${count(r.voicemails, 'voicemail')}`,
          }))}
        />
      </section>
    </div>
  );
}
