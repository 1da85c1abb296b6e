/** Every port in one import: the interfaces between the use cases and the outside world. */
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { ScheduleRequest, TouchScheduler } from './scheduler.js';
export type { EmailAttachment, EmailHeader, Mailer, OutgoingEmail } from './mailer.js';
export { MailRejectedError } from './mailer.js';
export type { OutgoingSms, SmsSender } from './sms.js';
export type { Links, SecretSource } from './links.js';
export type { DueTouchRef, IdempotencyRecord, OutcomeCommit, OverdueTouch, ProspectBundle, ReadClaim, ReadClaimResult, Store, Suppression, TouchUpdate } from './store.js';
