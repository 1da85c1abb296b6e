/**
 * Wires the use cases from ports. The Lambda handlers and the local runtime both build the
 * application here, so everything above the adapters runs the same code in both.
 */
import { CadencePlanner, type CadencePolicy } from '../core/cadence.js';
import type { HolidayCalendar } from '../core/calendar.js';
import { PublicHolidays } from '../core/holidays.js';
import { templateLibrary, type TemplateLibrary } from '../core/templates.js';
import type { Clock, Mailer, SmsSender, TouchScheduler } from '../ports.js';
import { buildApi } from './api.js';
import { TouchFirer, type LinkBuilder } from './fire.js';
import { SignedLinks, type LinkSigner } from './links.js';
import { registerPreviews } from './previews.js';
import type { Router } from './http.js';
import { FollowthroughService, type Logger } from './service.js';
import type { Store } from './store.js';

export interface AppPorts {
  store: Store;
  scheduler: TouchScheduler;
  mailer: Mailer;
  sms?: SmsSender;
  clock: Clock;
  policy: CadencePolicy;
  senderEmail: string;
  holidays?: HolidayCalendar;
  library?: TemplateLibrary;
  /** Signs and verifies unsubscribe and sheet links. */
  signer?: LinkSigner;
  /** The API's public base URL, for links in messages. */
  publicApiUrl?: string;
  links?: LinkBuilder;
  unsubscribeMailto?: string;
  messageIdDomain?: string;
  logger?: Logger;
}

export interface App {
  service: FollowthroughService;
  api: Router;
  firer: TouchFirer;
  planner: CadencePlanner;
}

export function composeApp(ports: AppPorts): App {
  const planner = new CadencePlanner(ports.policy, ports.holidays ?? new PublicHolidays());
  const library = ports.library ?? templateLibrary();
  const service = new FollowthroughService({ store: ports.store, scheduler: ports.scheduler, clock: ports.clock, planner, logger: ports.logger });
  const links = ports.links ?? (ports.signer && ports.publicApiUrl ? new SignedLinks(ports.signer, ports.publicApiUrl) : undefined);
  const api = buildApi({
    service,
    signer: ports.signer,
    logger: ports.logger,
    extend: (router) => registerPreviews(router, { store: ports.store, library, planner, clock: ports.clock, signer: ports.signer, links }),
  });
  const firer = new TouchFirer({
    store: ports.store,
    mailer: ports.mailer,
    sms: ports.sms,
    clock: ports.clock,
    library,
    senderEmail: ports.senderEmail,
    planner,
    links,
    unsubscribeMailto: ports.unsubscribeMailto,
    messageIdDomain: ports.messageIdDomain,
    logger: ports.logger,
  });
  return { service, api, firer, planner };
}
