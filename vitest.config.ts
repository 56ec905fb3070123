import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Two cores, and end-to-end files spawn gateway and worker processes of their own. CI (CI=true)
    // runs one file at a time: two at once took ~11 minutes instead of ~17, but every other run
    // failed on some timing-sensitive test of a file starved by its neighbour; locally two.
    maxWorkers: process.env.CI ? 1 : 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
