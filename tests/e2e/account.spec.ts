// Profile & security in a real Chromium: a member turns on two-step sign-in from the QR code's key, signs out, and
// signs in again with password + code. A user of their own (made in the database), so the owner other specs sign in
// as keeps a password-only sign-in.
import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { generate } from 'otplib'
import pg from 'pg'
import { hashPassword } from '../../lib/auth/password'

const password = 'e2e-member-Password-42'
const email = `member-${randomBytes(4).toString('hex')}@e2e.auterity.test`

test.beforeAll(async () => {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  try {
    const userId = `e2e${randomBytes(8).toString('hex')}`
    await db.query('INSERT INTO "User" (id, email, name, "passwordHash") VALUES ($1, $2, $3, $4)', [userId, email, 'Morgan Member', await hashPassword(password)])
    const { rows } = await db.query('SELECT id FROM "Tenant" ORDER BY "createdAt" LIMIT 1')
    await db.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role) VALUES ($1, $2, $3, 'editor')`, [`m${userId}`, rows[0].id, userId])
  } finally {
    await db.end()
  }
})

test('two-step sign-in: enrol on the profile page, sign out, sign in with password and code', async ({ page }) => {
  const signInWithPassword = async () => {
    await page.goto('/login?callbackUrl=%2Fsettings%2Fprofile')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }
  await signInWithPassword()
  await expect(page.getByRole('heading', { name: 'Profile & security' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Profile' })).toContainText(email)
  await expect(page.getByRole('region', { name: 'Sessions' })).toContainText('This browser')

  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click()
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim()
  await page.getByLabel('Code from the app').fill('000000')
  await page.getByRole('button', { name: 'Turn on' }).click()
  await expect(page.getByText('That code does not match')).toBeVisible()
  await page.getByLabel('Code from the app').fill(await generate({ secret }))
  await page.getByRole('button', { name: 'Turn on' }).click()
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
  await expect(codes).toHaveCount(10)
  await expect(page.getByRole('region', { name: 'Two-step sign-in' })).toContainText('On')
  await page.screenshot({ path: 'test-results/account-profile.png', fullPage: true })

  await page.getByRole('button', { name: 'Sign out everywhere' }).click()
  await expect(page).toHaveURL(/\/login/)

  await signInWithPassword()
  await expect(page.getByLabel('Authentication code')).toBeVisible()
  await page.getByLabel('Authentication code').fill('123456')
  await page.getByRole('button', { name: 'Verify and sign in' }).click()
  await expect(page.getByText(/^That code is not right/)).toBeVisible()
  // The code that turned MFA on is used up; the next time step's is accepted (one step of drift is allowed).
  await page.getByLabel('Authentication code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }))
  await page.getByRole('button', { name: 'Verify and sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Profile & security' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Sessions' })).toContainText('Two-step')
})
