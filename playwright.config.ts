// End-to-end tests: a real Chromium (/usr/bin/chromium, never `playwright install`) against the whole studio
// (web + realtime + worker) started by tests/e2e/global-setup.ts on a free port with a fresh database.
import { defineConfig } from '@playwright/test'

// Chosen once in the runner process; workers inherit the environment, so they agree on the port.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000))
process.env.E2E_BASE_URL ??= `http://127.0.0.1:${process.env.E2E_PORT}`

export default defineConfig({
  testDir: './tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: `test-results/html-${process.env.E2E_PORT}` }]] : 'list',
  // Per run, so two runs at once (several people or agents on one machine) do not wipe each other's traces.
  outputDir: `test-results/e2e-${process.env.E2E_PORT}`,
  use: {
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1440, height: 900 },
    // Copy/paste in the designer goes through navigator.clipboard; without the grant readText() never settles.
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
})
