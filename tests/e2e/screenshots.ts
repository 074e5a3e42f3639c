// Where specs save screenshots. The docs' pictures (docs/screenshots, tracked) are rewritten only on request,
// `AUTERITY_SCREENSHOTS=1 npm run test:e2e`; otherwise they go to test-results/screenshots (gitignored), so that
// `npm test` leaves the working tree as it found it. Playwright makes the folder when it writes the first one.
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

export function screenshotDir(env: Record<string, string | undefined> = process.env): string {
  return env.AUTERITY_SCREENSHOTS === '1' ? path.join(root, 'docs/screenshots') : path.join(root, 'test-results/screenshots')
}

export const screenshots = screenshotDir()
