/**
 * Keeps the console readable: the AWS SDK warns once per process that future releases need
 * Node 22. That is true and in the README; the rest of Node's warnings still print.
 */
const original = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || /NodeVersionSupportWarning|require node >=22/.test(text)) return;
  (original as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
