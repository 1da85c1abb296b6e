/**
 * The whole application from ports, as the local runtime (and the benchmark) runs it: the API
 * with previews and sheets, and the firer. On AWS each handler takes only its own blocks from
 * ./parts.ts, and runs the same code for them.
 */
import type { CadencePlanner, CadencePolicy } from '../core/cadence.js';
import type { HolidayCalendar } from '../core/calendar.js';
import { templateLibrary, type TemplateLibrary } from '../core/templates.js';
import type { Clock, Mailer, SmsSender, TouchScheduler } from '../ports.js';
import { buildApi } from './api.js';
import { TouchFirer, type LinkBuilder } from './fire.js';
import type { LinkSigner, SignerSource } from './links.js';
import { makeLinks, makePlanner } from './parts.js';
import { registerPreviews } from './previews.js';
import type { Router } from './http.js';
import { makeService, type FollowthroughService, type Logger } from './service.js';
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
  const planner = makePlanner(ports.policy, ports.holidays);
  const library = ports.library ?? templateLibrary();
  const service = makeService(ports, planner);
  const links = makeLinks(ports.signer, ports.publicApiUrl, ports.links);
  const given = ports.signer;
  const signer: SignerSource | undefined = given ? () => Promise.resolve(given) : undefined;
  const api = buildApi({
    service,
    signer,
    logger: ports.logger,
    extend: (router) => registerPreviews(router, { store: ports.store, library, planner, clock: ports.clock, signer, links }),
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
