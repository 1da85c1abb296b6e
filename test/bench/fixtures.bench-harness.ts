/**
 * Sample reps, prospects and outcomes for the benchmark, shaped like what a CRM webhook posts.
 * Monday 23 November 2026, 10:00 in New York is the start of every simulated day.
 */
export const START = '2026-11-23T15:00:00Z';
/** Wednesday 15:00 in Chicago: the agreed callback of the throughput runs. */
export const CALLBACK_AT = '2026-11-25T15:00:00-06:00';
/** Just after that callback: the fire runs' clock (not a quiet hour in Chicago). */
export const AFTER_CALLBACK = '2026-11-25T21:00:30Z';

export const SENDER = 'followthrough@example.com';

export function repInput(n: number | string) {
  return {
    name: `Ann Rep ${n}`,
    email: `rep-${n}@example.com`,
    phone: '+15551230000',
    timezone: 'America/New_York',
    reminderChannel: 'email' as const,
    company: 'Brightline Pumps',
    signature: 'Ann Rep, Brightline Pumps, +1 555 123 0000',
  };
}

export function prospectInput(id: string, timezone = 'America/Chicago') {
  return {
    id,
    name: `Dana Buyer ${id}`,
    company: 'Acme Plant',
    email: `${id}@prospect.example.com`,
    phone: '+15557654321',
    timezone,
    country: 'US',
    hotButtons: ['uptime', 'cost_savings'],
  };
}

export const MATERIALS = [
  { title: 'Quote Q-1042', url: 'https://example.com/q-1042' },
  { title: 'Service plan overview', url: 'https://example.com/service-plan.pdf' },
];

/** callback_agreed with materials and no recap: exactly two touches (resend, reminder). */
export function callbackWithMaterials(callbackAt = CALLBACK_AT) {
  return {
    outcome: 'callback_agreed' as const,
    callbackAt,
    discussed: 'Line 3 stops twice a week; the service plan presented',
    whatHappensNext: 'Dana reviews the quote with the plant manager',
    decisionMakers: ['Dana', 'Lee (plant manager)'],
    hotButtons: ['uptime'],
    materials: MATERIALS,
    notes: 'Asked about response times for weekend breakdowns.',
    sendRecap: false,
  };
}
