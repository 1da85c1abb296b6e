/** The fixed vocabularies of outcomes and touches, apart from the schemas so light modules can use them. */
export const OUTCOMES = ['callback_agreed', 'stalled', 'voicemail', 'no_answer', 'not_interested', 'won'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const STALL_REASONS = ['waiting_on_customer', 'needs_review', 'decision_maker', 'cooled_off', 'comparing', 'price'] as const;
export type StallReason = (typeof STALL_REASONS)[number];

export const TOUCH_KINDS = ['recap', 'resend_materials', 'rep_reminder', 'final_email', 'rep_notice', 'voicemail_email'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

export const TOUCH_STATUSES = ['scheduled', 'sent', 'skipped', 'cancelled', 'failed'] as const;
export type TouchStatus = (typeof TOUCH_STATUSES)[number];
