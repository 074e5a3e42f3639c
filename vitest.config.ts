import path from 'node:path'
import { defineConfig } from 'vitest/config'
import LongestFirst from './tests/helpers/sequencer.mjs'

const alias = { '@': path.resolve(import.meta.dirname) }

export default defineConfig({
  resolve: { alias },
  test: {
    // Longest files first (tests/helpers/test-durations.json), so no worker is left running one long file alone.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'lib/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file gets its own database and queue prefix; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
          // Like the e2e suite (playwright.config.ts): on CI a failed integration test runs once more before it fails
          // the build. These tests restart servers and race real workers on a shared 2-core machine; a rare failure
          // inside a dependency (a Prisma query-compiler panic seen once in 2,250) must not block a merge. A test that
          // fails twice still fails.
          retry: process.env.CI ? 1 : 0,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
