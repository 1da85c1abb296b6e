import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (the core, the use cases on in-memory fakes, adapters against documented
 * request rules, the CDK app) needs no Java; `integration` starts DynamoDB Local and the local SES
 * once for the run (test/support/global-setup.ts) and drives the local runtime through the handlers.
 * `npx vitest run --project unit` runs the first alone.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['test/support/setup.ts'],
    // Two cores: two workers keep DynamoDB Local and esbuild from starving each other.
    maxWorkers: 2,
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: '1',
      CDK_DISABLE_VERSION_CHECK: '1',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
