import { buildTemplates } from '../../scripts/build-templates.js';
import { buildApp } from '../app.js';
import { ConfigError } from '../config.js';

try {
  // The Lambdas bundle the precompiled templates: make sure they match templates/.
  buildTemplates();
  buildApp().app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`followthrough: ${error.message}`);
  process.exitCode = 1;
}
