/**
 * Everything a use case may be given. Each use case takes only the part it needs (Pick<...>), so
 * a Lambda composes only what its routes use and unit tests pass in-memory fakes of the ports.
 */
import type { CadencePlanner } from '../core/cadence.js';
import type { TemplateCatalog } from '../core/template-catalog.js';
import type { TemplateLibrary } from '../core/templates.js';
import type { Rng } from '../core/variants.js';
import type { Clock } from '../ports/clock.js';
import type { Links } from '../ports/links.js';
import type { Logger } from '../ports/logger.js';
import type { Mailer } from '../ports/mailer.js';
import type { TouchScheduler } from '../ports/scheduler.js';
import type { SmsSender } from '../ports/sms.js';
import type { Store } from '../ports/store.js';

export interface UseCaseDeps {
  store: Store;
  scheduler: TouchScheduler;
  mailer: Mailer;
  /** Absent when no SMS channel is configured: SMS reminders then go by email. */
  sms?: SmsSender;
  links: Links;
  clock: Clock;
  logger: Logger;
  planner: CadencePlanner;
  library: TemplateLibrary;
  /** Names and front matter of the scripts: enough to choose a variant without the compiled templates. */
  catalog: TemplateCatalog;
  /** Draws for choosing script variants (Thompson sampling): Math.random, seeded in tests. */
  random: Rng;
  mail: MailSettings;
}

export interface MailSettings {
  sender: string;
  unsubscribeMailto?: string;
  /**
   * The domain of the Message-ID SES stamps on each email (<MessageId@domain>), where the operator
   * set it (SES_MESSAGE_ID_DOMAIN, read off a delivered message). Without it a resend threads under
   * the Message-ID the recap's Send event reported, and waits for it.
   */
  messageIdDomain?: string;
}
