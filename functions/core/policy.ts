/**
 * The cadence policy as configuration: defaults, overridden by a JSON object (env CADENCE_POLICY
 * or the local runtime's settings), validated once at start so a bad value fails fast.
 */
import './zod-locale.js';
import * as z from 'zod/mini';
import { DEFAULT_POLICY, type CadencePolicy } from './cadence.js';
import { minutesOf } from './calendar.js';
import { STALL_REASONS } from './constants.js';

const clock = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Use HH:mm on a 24-hour clock' }));
const window = z.object({ start: clock, end: clock });

const PolicyOverride = z.strictObject({
  resendLeadMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
  retryBusinessDays: z.optional(z.array(z.number().check(z.int(), z.gte(1), z.lte(60))).check(z.minLength(1))),
  maxAttempts: z.optional(z.number().check(z.int(), z.gte(1), z.lte(50))),
  windows: z.optional(z.array(window).check(z.minLength(1))),
  businessHours: z.optional(z.object({ start: clock, end: clock, days: z.array(z.number().check(z.int(), z.gte(1), z.lte(7))).check(z.minLength(1)) })),
  quietHours: z.optional(z.object({ start: clock, end: clock })),
  stallDefaultBusinessDays: z.optional(z.partialRecord(z.enum(STALL_REASONS), z.number().check(z.int(), z.gte(0), z.lte(60)))),
  slotMinutes: z.optional(z.number().check(z.int(), z.gte(1), z.lte(120))),
  prospectEmailBudget: z.optional(z.object({ max: z.number().check(z.int(), z.gte(1), z.lte(50)), days: z.number().check(z.int(), z.gte(1), z.lte(60)) })),
  inviteMinutes: z.optional(z.number().check(z.int(), z.gte(5), z.lte(240))),
  voicemailEmail: z.optional(
    z.strictObject({
      attempts: z.optional(z.array(z.number().check(z.int(), z.gte(1), z.lte(50))).check(z.maxLength(50))),
      delayMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
    }),
  ),
  scriptVariants: z.optional(
    z.strictObject({
      pinned: z.optional(
        z.record(z.string(), z.string().check(z.regex(/^[a-z0-9_]+$/, { message: 'Use a variant name such as b' }))).check(
          z.refine((pins) => Object.keys(pins).every((family) => /^[a-z0-9_]+\.[a-z0-9_+]+$/.test(family)), {
            message: 'Name each family as a script reports it, such as hot.uptime or pair.price+cost_savings',
          }),
        ),
      ),
      // Below 1: with a floor of 1 every choice would be random and nothing would be learnt.
      floor: z.optional(z.number().check(z.gte(0), z.lt(1))),
    }),
  ),
});

export class PolicyError extends Error {}

/** Merges an override into the defaults and checks the result makes sense together. */
export function resolvePolicy(override: unknown = {}): CadencePolicy {
  const parsed = PolicyOverride.safeParse(override ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new PolicyError(`Cadence policy: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  const o = parsed.data;
  const policy: CadencePolicy = {
    ...DEFAULT_POLICY,
    ...o,
    retryBusinessDays: o.retryBusinessDays ?? DEFAULT_POLICY.retryBusinessDays,
    maxAttempts: o.maxAttempts ?? (o.retryBusinessDays ? o.retryBusinessDays.length + 1 : DEFAULT_POLICY.maxAttempts),
    stallDefaultBusinessDays: { ...DEFAULT_POLICY.stallDefaultBusinessDays, ...o.stallDefaultBusinessDays },
    voicemailEmail: { ...DEFAULT_POLICY.voicemailEmail, ...o.voicemailEmail },
    scriptVariants: {
      pinned: { ...DEFAULT_POLICY.scriptVariants.pinned, ...o.scriptVariants?.pinned },
      floor: o.scriptVariants?.floor ?? DEFAULT_POLICY.scriptVariants.floor,
    },
  } as CadencePolicy;
  const bh = policy.businessHours;
  if (minutesOf(bh.start) >= minutesOf(bh.end)) throw new PolicyError('Cadence policy: businessHours.start must be before businessHours.end');
  for (const w of policy.windows) {
    if (minutesOf(w.start) >= minutesOf(w.end)) throw new PolicyError(`Cadence policy: window ${w.start}-${w.end} must start before it ends`);
    if (minutesOf(w.end) <= minutesOf(bh.start) || minutesOf(w.start) >= minutesOf(bh.end)) {
      throw new PolicyError(`Cadence policy: window ${w.start}-${w.end} lies outside business hours ${bh.start}-${bh.end}`);
    }
  }
  return policy;
}

/** Reads the policy from a JSON string (the CADENCE_POLICY setting), with defaults when empty. */
export function policyFromJson(json: string | undefined, extra: Partial<CadencePolicy> = {}): CadencePolicy {
  let override: Record<string, unknown> = {};
  if (json && json.trim()) {
    try {
      override = JSON.parse(json) as Record<string, unknown>;
    } catch {
      throw new PolicyError('Cadence policy: CADENCE_POLICY is not valid JSON');
    }
  }
  return resolvePolicy({ ...override, ...extra });
}
