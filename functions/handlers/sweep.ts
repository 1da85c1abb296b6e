/**
 * PLACEHOLDER from the infra branch, so the stack has an entry to bundle: the lead replaces this file with the real
 * sweep (issue 10, item 3). Until then it fails every invocation on purpose, so nothing is silently dropped: fire
 * failures it is handed stay on their queue and reach its dead-letter queue (alarmed), and each scheduled run counts
 * as an error (the `sweep-failing` alarm).
 */
export const handler = async (): Promise<never> => {
  throw new Error('The sweep is not implemented yet (placeholder from the infra branch).');
};
