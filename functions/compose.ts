/**
 * The composition root: use cases from settings and ports. One function per Lambda, so each takes
 * only the use cases (and so the code) its events need; the local runtime calls the same ones.
 */
import { CadencePlanner } from './core/cadence.js';
import { PublicHolidays } from './core/holidays.js';
import { templateCatalog } from './core/template-catalog.js';
import type { TemplateLibrary } from './core/templates.js';
import type { Settings } from './settings.js';
import { cancelTouch } from './use-cases/cancel-touch.js';
import { createProspect } from './use-cases/create-prospect.js';
import type { UseCaseDeps } from './use-cases/deps.js';
import { fireTouch } from './use-cases/fire-touch.js';
import { handleSesEvent } from './use-cases/handle-ses-event.js';
import { listFollowups } from './use-cases/list-followups.js';
import { openSheet } from './use-cases/open-sheet.js';
import { readProspect } from './use-cases/read-prospect.js';
import { readRep } from './use-cases/read-rep.js';
import { recordCall } from './use-cases/record-call.js';
import { renderPreview } from './use-cases/render-preview.js';
import { reportPromises } from './use-cases/report-promises.js';
import { reportScripts } from './use-cases/report-scripts.js';
import { rescheduleTouch } from './use-cases/reschedule-touch.js';
import { retryTouch } from './use-cases/retry-touch.js';
import { saveRep } from './use-cases/save-rep.js';
import { searchProspects } from './use-cases/search-prospects.js';
import { RepCache } from './use-cases/support/rep-cache.js';
import { recordFireFailures, sweepOverdue } from './use-cases/sweep.js';
import { checkUnsubscribe, unsubscribe } from './use-cases/unsubscribe.js';
import { updateProspect } from './use-cases/update-prospect.js';

export function planner(settings: Pick<Settings, 'policy'>): CadencePlanner {
  return new CadencePlanner(settings.policy, new PublicHolidays());
}

type Ports<K extends keyof UseCaseDeps> = Pick<UseCaseDeps, K>;

/** The HTTP API: reps, prospects, calls, touches, unsubscribe. */
export function apiUseCases(settings: Settings, ports: Ports<'store' | 'scheduler' | 'links' | 'clock' | 'logger'> & Partial<Ports<'random'>>) {
  // Choosing script variants reads the template catalog, not the compiled templates: this bundle stays small.
  // Reps read in the last 30 s: an outcome needs its rep's team and reminder channel, and the fire
  // function decides the channel again when it sends. A rep saved here replaces its entry.
  const deps = { ...ports, planner: planner(settings), catalog: templateCatalog(), random: ports.random ?? Math.random, reps: new RepCache(30_000) };
  return {
    saveRep: (repId: string, input: Parameters<typeof saveRep>[2]) => saveRep(deps, repId, input),
    readRep: (repId: string) => readRep(deps, repId),
    createProspect: (repId: string, input: Parameters<typeof createProspect>[2]) => createProspect(deps, repId, input),
    readProspect: (repId: string, prospectId: string) => readProspect(deps, repId, prospectId),
    updateProspect: (repId: string, prospectId: string, patch: Parameters<typeof updateProspect>[3]) => updateProspect(deps, repId, prospectId, patch),
    recordCall: (input: Parameters<typeof recordCall>[1]) => recordCall(deps, input),
    listFollowups: (repId: string, window: Parameters<typeof listFollowups>[2]) => listFollowups(deps, repId, window),
    rescheduleTouch: (repId: string, touchId: string, dueAt: string) => rescheduleTouch(deps, repId, touchId, dueAt),
    cancelTouch: (repId: string, touchId: string) => cancelTouch(deps, repId, touchId),
    reportScripts: (repId: string, period: Parameters<typeof reportScripts>[2]) => reportScripts(deps, repId, period),
    retryTouch: (repId: string, touchId: string) => retryTouch(deps, repId, touchId),
    checkUnsubscribe: (token: string) => checkUnsubscribe(deps, token),
    unsubscribe: (token: string) => unsubscribe(deps, token),
    searchProspects: (repId: string, query?: string) => searchProspects(deps, repId, query),
    reportPromises: (repId: string, query: Parameters<typeof reportPromises>[2]) => reportPromises(deps, repId, query),
  };
}
export type ApiUseCases = ReturnType<typeof apiUseCases>;

/** What renders templates for people: previews and call-prep sheets. */
export function renderUseCases(settings: Settings, ports: Ports<'store' | 'links' | 'clock'> & { library: TemplateLibrary }) {
  const deps = { ...ports, planner: planner(settings) };
  return {
    renderPreview: (input: Parameters<typeof renderPreview>[1]) => renderPreview(deps, input),
    openSheet: (token: string) => openSheet(deps, token),
  };
}
export type RenderUseCases = ReturnType<typeof renderUseCases>;

/** What a due schedule runs. */
export function fireUseCases(
  settings: Settings & { mail: NonNullable<Settings['mail']> },
  ports: Ports<'store' | 'mailer' | 'sms' | 'links' | 'clock' | 'logger'> & { library: TemplateLibrary },
) {
  const deps = { ...ports, planner: planner(settings), mail: settings.mail, reps: new RepCache() };
  return { fireTouch: (payload: Parameters<typeof fireTouch>[1]) => fireTouch(deps, payload) };
}
export type FireUseCases = ReturnType<typeof fireUseCases>;

/** What SES feedback runs. */
export function eventsUseCases(_settings: Settings, ports: Ports<'store' | 'scheduler' | 'clock' | 'logger'>) {
  return { handleSesEvent: (event: Parameters<typeof handleSesEvent>[1]) => handleSesEvent(ports, event) };
}
export type EventsUseCases = ReturnType<typeof eventsUseCases>;

/** What the sweep runs: its recurring run, and the fire function's failures from SQS. */
export function sweepUseCases(_settings: Settings, ports: Ports<'store' | 'scheduler' | 'clock' | 'logger'>) {
  return {
    sweep: (run: Parameters<typeof sweepOverdue>[1]) => sweepOverdue(ports, run),
    recordFireFailures: (batch: Parameters<typeof recordFireFailures>[1]) => recordFireFailures(ports, batch),
  };
}
export type SweepUseCases = ReturnType<typeof sweepUseCases>;
