// Single sign-on in a real Chromium against a real OpenID Connect provider (oidc-provider, started by the e2e global
// setup with its development login pages): a member whose verified email the provider vouches for signs in without a
// password; a person the studio does not know is turned away at the sign-in page; a person an invitation names joins
// from the invitation page through the provider, and the account is made then.
import { createHash, randomBytes } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { TEST_USERS } from '../helpers/oidc-provider'

test.beforeAll(async () => {
  // alice is a member (no password at all: single sign-on is her only way in); bob is known to the provider only.
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  try {
    const userId = `sso${randomBytes(8).toString('hex')}`
    await db.query('INSERT INTO "User" (id, email, name) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING', [userId, TEST_USERS.alice.email, 'Alice'])
    const { rows: users } = await db.query('SELECT id FROM "User" WHERE email = $1', [TEST_USERS.alice.email])
    const { rows: tenants } = await db.query('SELECT id FROM "Tenant" ORDER BY "createdAt" LIMIT 1')
    await db.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role) VALUES ($1, $2, $3, 'viewer') ON CONFLICT DO NOTHING`, [`m${userId}`, tenants[0].id, users[0].id])
  } finally {
    await db.end()
  }
})

/** Through the provider's own login and consent pages, as the person would. */
async function signInAtProvider(page: Page, login: string) {
  await page.goto('/login')
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click()
  await page.waitForURL((url) => url.origin === process.env.E2E_OIDC_ISSUER)
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('any')
  await page.locator('button[type="submit"]').click()
  await page.waitForFunction(() => !document.querySelector('input[name="login"]'))
  // The consent page, the first time this client asks.
  if (new URL(page.url()).origin === process.env.E2E_OIDC_ISSUER) await page.locator('button[type="submit"]').click()
}

test('a member signs in with the OIDC provider, and the session says so', async ({ page }) => {
  await signInAtProvider(page, 'alice')
  await page.waitForURL((url) => url.origin === new URL(process.env.E2E_BASE_URL!).origin && !url.pathname.startsWith('/login'))
  await page.goto('/settings/profile')
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText(TEST_USERS.alice.email)
  await expect(page.getByRole('region', { name: 'Sessions' })).toContainText('This browser')
})

test('someone the provider knows but the studio does not is refused', async ({ page }) => {
  await signInAtProvider(page, 'bob')
  await page.waitForURL((url) => url.origin === new URL(process.env.E2E_BASE_URL!).origin)
  await expect(page).toHaveURL(/\/login|\/api\/auth\/error/)
  await page.goto('/workflows')
  await expect(page).toHaveURL(/\/login/)
})

test('a person an email invitation names joins through the provider, without a password', async ({ page }) => {
  const token = randomBytes(24).toString('base64url')
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  try {
    const { rows: tenants } = await db.query('SELECT id FROM "Tenant" ORDER BY "createdAt" LIMIT 1')
    await db.query(`INSERT INTO "Invite" (id, "tenantId", email, role, "tokenHash", "expiresAt") VALUES ($1, $2, $3, 'editor', $4, now() + interval '1 hour')`, [
      `inv${randomBytes(6).toString('hex')}`, tenants[0].id, TEST_USERS.carol.email, createHash('sha256').update(token).digest('hex'),
    ])
  } finally {
    await db.end()
  }
  await page.goto(`/invite/${token}`)
  await page.getByRole('button', { name: `Join with Test SSO as ${TEST_USERS.carol.email}` }).click()
  await page.waitForURL((url) => url.origin === process.env.E2E_OIDC_ISSUER)
  await page.locator('input[name="login"]').fill('carol')
  await page.locator('input[name="password"]').fill('any')
  await page.locator('button[type="submit"]').click()
  await page.waitForFunction(() => !document.querySelector('input[name="login"]'))
  if (new URL(page.url()).origin === process.env.E2E_OIDC_ISSUER) await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => url.origin === new URL(process.env.E2E_BASE_URL!).origin && url.pathname.startsWith('/workflows'))
  await page.goto('/settings/profile')
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText(TEST_USERS.carol.email)
  // The invitation is used: opening it again says so.
  await page.goto(`/invite/${token}`)
  await expect(page.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible()
})
