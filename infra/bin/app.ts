import { buildTemplates } from '../../scripts/build-templates.js';
import { buildWeb } from '../../scripts/build-web.js';
import { buildApp } from '../app.js';
import { ConfigError } from '../config.js';

try {
  // The Lambdas bundle generated modules (functions/generated/, not in git): the precompiled templates and holiday
  // table, and the rep console the render function serves. Make them here, so `cdk synth` and `cdk deploy` work
  // from a fresh clone after `npm ci` alone, and always bundle what templates/ and web/ hold now.
  buildTemplates();
  await buildWeb();
  buildApp().app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`followthrough: ${error.message}`);
  process.exitCode = 1;
}
