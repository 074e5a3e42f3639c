import { expect, test } from '@playwright/test'
import { login } from './support'

test('invite by link: a new person opens it in a fresh browser, creates an account, lands in the workspace and makes an API key shown once', async ({ page, browser }) => {
  await login(page, '/settings/members')
  await expect(page.getByRole('heading', { name: 'Members', exact: true })).toBeVisible()
  const workspaceName = (await page.getByTestId('current-workspace').textContent())?.trim()
  expect(workspaceName).toBeTruthy()

  await page.getByLabel('Role', { exact: true }).selectOption('editor')
  await page.getByRole('button', { name: 'Create link' }).click()
  const link = await page.getByTestId('invite-link').inputValue()
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/)
  await expect(page.getByTestId('invite-row').filter({ hasText: 'Anyone with the link' }).first()).toBeVisible()
  await page.screenshot({ path: 'test-results/members-page.png', fullPage: true })

  const fresh = await browser.newContext()
  const guest = await fresh.newPage()
  await guest.goto(new URL(link).pathname)
  await expect(guest.getByRole('heading', { name: /^Join / })).toBeVisible()
  const email = `invited-${Date.now()}@example.test`
  await guest.getByLabel('Email').fill(email)
  await guest.getByLabel('Your name').fill('Invited Person')
  await guest.getByLabel('Password', { exact: true }).fill('a long enough password')
  await guest.getByLabel('Repeat the password').fill('a long enough password')
  await guest.getByRole('button', { name: 'Create account and join' }).click()
  await expect(guest.getByRole('navigation', { name: 'Main' })).toBeVisible()
  await expect(guest.getByTestId('current-workspace')).toHaveText(workspaceName!)

  // The link worked once.
  const again = await (await browser.newContext()).newPage()
  await again.goto(new URL(link).pathname)
  await expect(again.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible()
  await expect(again.getByText('This invitation has already been used')).toBeVisible()

  await guest.goto('/settings/api-keys')
  await guest.getByRole('button', { name: 'New API key' }).first().click()
  const dialog = guest.getByRole('dialog', { name: 'New API key' })
  await dialog.getByLabel('Name', { exact: true }).fill('CI deploy')
  await dialog.getByLabel(/^Run/).check()
  await dialog.getByRole('button', { name: 'Create key' }).click()
  const key = await guest.getByTestId('new-api-key').inputValue()
  expect(key).toMatch(/^ak_/)
  await guest.screenshot({ path: 'test-results/api-key-shown-once.png' })
  await guest.getByRole('button', { name: 'I have copied it' }).click()
  const row = guest.getByTestId('api-key-row').filter({ hasText: 'CI deploy' })
  await expect(row).toContainText(key.slice(0, 9))
  await expect(row).toContainText('run')
  await guest.reload()
  await expect(row).toBeVisible()
  await expect(guest.locator('body')).not.toContainText(key)
  await guest.screenshot({ path: 'test-results/api-keys-page.png', fullPage: true })
  await fresh.close()
})
