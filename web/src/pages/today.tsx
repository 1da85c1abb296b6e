/**
 * Today: the rep's pending calls in the rep's zone, grouped overdue, due now, later today and this week,
 * each with what the rep needs to dial; prospect emails waiting to go are listed apart, and first of all
 * what could not be sent, to send again. Refreshes every minute.
 */
import { DateTime } from 'luxon';
import { get, query, type ProspectBundle, type Rep, type Touch } from '../api.js';
import { bothZones, clock, hotButtonLabel, inZone, KIND_LABELS, STALL_LABELS, words } from '../format.js';
import { Link, prospectPath } from '../router.js';
import { ErrorNotice, Loading, PageTitle, useNow, useResource } from '../ui.js';
import { CouldNotBeSent } from './today-failed.js';

/** A call within this many minutes either side of now is "due now". */
const DUE_NOW_MINUTES = 15;

/** A call to make: a reminder still to go, or a call whose time came (its reminder went) with none logged since. */
export interface CallItem {
  key: string;
  prospectId: string;
  prospectName?: string;
  dueAt: string;
  attempt?: number;
}

interface CallDue {
  prospectId: string;
  prospectName: string;
  dueAt: string;
  attempt: number;
}

interface Agenda {
  calls: CallItem[];
  emails: (Touch & { prospectName?: string })[];
  /** Touches that could not be delivered, with their reason. */
  failed: Touch[];
  prospects: Map<string, ProspectBundle>;
}

async function loadAgenda(rep: Rep, now: Date): Promise<Agenda> {
  const here = DateTime.fromJSDate(now).setZone(rep.timezone);
  const from = here.minus({ days: 14 }).toUTC().toISO()!;
  const to = here.endOf('day').plus({ days: 7 }).toUTC().toISO()!;
  const answer = await get<{ touches: Agenda['emails']; failed?: Touch[]; callsDue?: CallDue[] }>(`/v1/followups${query({ from, to })}`);
  const calls = callItems(answer.touches, answer.callsDue ?? []);
  const emails = answer.touches.filter((t) => t.recipient === 'prospect' || ['recap', 'resend_materials', 'final_email'].includes(t.kind));
  const failed = answer.failed ?? [];
  const ids = [...new Set([...failed, ...calls, ...emails].map((t) => t.prospectId))];
  const bundles = await Promise.all(ids.map((id) => get<ProspectBundle>(`/v1/prospects/${encodeURIComponent(id)}`).catch(() => undefined)));
  const prospects = new Map<string, ProspectBundle>();
  bundles.forEach((b) => b && prospects.set(b.prospect.id, b));
  return { calls, emails, failed, prospects };
}

/**
 * The calls of the agenda by due time: reminders still to go, and the calls whose reminder already went
 * (without them a call would leave Today at the very minute it fell due, and never show as overdue).
 */
export function callItems(touches: Touch[], due: CallDue[]): CallItem[] {
  const reminders = touches
    .filter((t) => t.kind === 'rep_reminder')
    .map((t) => ({ key: t.id, prospectId: t.prospectId, prospectName: t.prospectName, dueAt: t.dueAt, attempt: t.attempt }));
  const made = due.map((c) => ({ key: `due-${c.prospectId}`, prospectId: c.prospectId, prospectName: c.prospectName, dueAt: c.dueAt, attempt: c.attempt }));
  return [...made, ...reminders].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

type Group = 'overdue' | 'now' | 'today' | 'week';
const GROUPS: { key: Group; title: string; empty: string }[] = [
  { key: 'overdue', title: 'Overdue', empty: 'Nothing overdue.' },
  { key: 'now', title: 'Due now', empty: 'Nothing due right now.' },
  { key: 'today', title: 'Later today', empty: 'Nothing more today.' },
  { key: 'week', title: 'This week', empty: 'Nothing else this week.' },
];

function groupOf(dueAt: string, now: Date, zone: string): Group {
  const due = DateTime.fromISO(dueAt).toMillis();
  const delta = (due - now.getTime()) / 60_000;
  if (delta < -DUE_NOW_MINUTES) return 'overdue';
  if (delta <= DUE_NOW_MINUTES) return 'now';
  return inZone(dueAt, zone).hasSame(DateTime.fromJSDate(now).setZone(zone), 'day') ? 'today' : 'week';
}

export function TodayPage({ rep }: { rep: Rep }) {
  const minute = useNow(60_000);
  const agenda = useResource(() => loadAgenda(rep, new Date()), `${rep.timezone}:${Math.floor(minute.getTime() / 60_000)}`);
  const now = new Date();
  const calls = agenda.data?.calls ?? [];
  const emails = agenda.data?.emails ?? [];

  return (
    <section>
      <PageTitle title="Today">Today</PageTitle>
      <p class="lede">
        {DateTime.fromJSDate(now).setZone(rep.timezone).toFormat('cccc d LLLL, h:mm a')} where you are ({rep.timezone.replace(/_/g, ' ')}).{' '}
        <button type="button" class="button-quiet" onClick={agenda.reload}>
          Refresh
        </button>
      </p>
      <ErrorNotice error={agenda.error} onRetry={agenda.reload} />
      {!agenda.data && agenda.loading && <Loading what="your calls" />}
      {agenda.data && (
        <>
          <CouldNotBeSent failed={agenda.data.failed} prospects={agenda.data.prospects} rep={rep} onChanged={agenda.reload} />
          {calls.length === 0 && (
            <p class="empty">
              No calls pending. <Link href="/app/prospects">Find or add a prospect</Link> and log a call.
            </p>
          )}
          {GROUPS.map(({ key, title, empty }) => {
            const rows = calls.filter((t) => groupOf(t.dueAt, now, rep.timezone) === key);
            if (calls.length === 0) return null;
            return (
              <section key={key} class={`agenda-group agenda-${key}`} aria-labelledby={`group-${key}`}>
                <h2 id={`group-${key}`}>
                  {title} <span class="count">({rows.length})</span>
                </h2>
                {rows.length === 0 ? (
                  <p class="empty">{empty}</p>
                ) : (
                  <ul class="agenda">
                    {rows.map((t) => (
                      <CallRow key={t.key} call={t} bundle={agenda.data!.prospects.get(t.prospectId)} rep={rep} now={now} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
          <section class="agenda-group" aria-labelledby="group-emails">
            <h2 id="group-emails">Emails to prospects, waiting to go</h2>
            {emails.length === 0 ? (
              <p class="empty">No prospect emails pending.</p>
            ) : (
              <ul class="agenda">
                {emails.map((t) => {
                  const zone = agenda.data!.prospects.get(t.prospectId)?.prospect.timezone ?? rep.timezone;
                  const when = bothZones(t.dueAt, zone, rep.timezone, 'rep');
                  return (
                    <li key={t.id} class="agenda-row">
                      <p class="row-title">
                        {KIND_LABELS[t.kind] ?? words(t.kind)} to <Link href={prospectPath(t.prospectId)}>{t.prospectName ?? t.prospectId}</Link>
                      </p>
                      <p class="row-meta">
                        {when.rep} for you · {when.prospect} for them
                      </p>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}

function CallRow({ call: touch, bundle, rep, now }: { call: CallItem; bundle?: ProspectBundle; rep: Rep; now: Date }) {
  const prospect = bundle?.prospect;
  const zone = prospect?.timezone ?? rep.timezone;
  const when = bothZones(touch.dueAt, zone, rep.timezone, 'rep');
  const lastCall = bundle?.calls.at(-1);
  const stall = lastCall?.outcome === 'stalled' ? lastCall.stallReason : undefined;
  const name = prospect?.name ?? touch.prospectName ?? touch.prospectId;
  return (
    <li class="agenda-row" data-call={touch.key}>
      <div class="row-main">
        <p class="row-title">
          <Link href={prospectPath(touch.prospectId)}>{name}</Link>
          {prospect?.company && <span class="company"> · {prospect.company}</span>}
        </p>
        <p class="row-when">
          <strong>{when.rep}</strong> your time · {when.prospect} theirs
        </p>
        <p class="row-meta">
          Their time now: {clock(inZone(now, zone))}
          {touch.attempt !== undefined && <> · Attempt {touch.attempt}</>}
          {stall && <> · Stalled: {STALL_LABELS[stall] ?? words(stall)}</>}
        </p>
        {prospect && prospect.hotButtons.length > 0 && (
          <ul class="chips" aria-label="Hot buttons">
            {prospect.hotButtons.map((h) => (
              <li key={h} class="chip">
                {hotButtonLabel(h)}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="row-actions">
        {prospect?.phone && (
          <a class="button button-secondary" href={`tel:${prospect.phone}`}>
            Call <span class="visually-hidden">{name} at </span>
            {prospect.phone}
          </a>
        )}
        <Link class="button" href={`${prospectPath(touch.prospectId)}#log-call`}>
          Log call<span class="visually-hidden"> with {name}</span>
        </Link>
      </div>
    </li>
  );
}
