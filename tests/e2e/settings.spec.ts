import { expect, test } from '@playwright/test'
import { login, uniqueName } from './support'

test('credentials: create, rename, replace values, delete — the secret is never shown again', async ({ page }) => {
  const name = uniqueName('Billing API')
  const secret = `sk_live_${Date.now()}`
  await login(page, '/settings/credentials')
  await expect(page.getByRole('heading', { name: 'Credentials', exact: true })).toBeVisible()

  await page.getByRole('button', { name: 'New credential' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Type').selectOption('bearer')
  await dialog.getByRole('button', { name: 'Create credential' }).click()
  await expect(dialog.getByRole('alert').first()).toContainText('Token is required')
  await dialog.getByLabel('Token').fill(secret)
  await dialog.getByRole('button', { name: 'Create credential' }).click()
  await expect(dialog).toBeHidden()

  const row = page.getByTestId('credential-row').filter({ hasText: name })
  await expect(row).toContainText('Bearer token')
  await expect(page.locator('body')).not.toContainText(secret)

  await row.getByRole('button', { name: `Edit ${name}` }).click()
  await expect(dialog.getByLabel('Token')).toHaveCount(0)
  await dialog.getByLabel('Name', { exact: true }).fill(`${name} (renamed)`)
  await dialog.getByLabel('Replace the saved values').check()
  await expect(dialog.getByLabel('Token')).toHaveValue('')
  await dialog.getByLabel('Token').fill(`${secret}-2`)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const renamed = page.getByTestId('credential-row').filter({ hasText: `${name} (renamed)` })
  await expect(renamed).toBeVisible()

  await page.reload()
  await expect(renamed).toBeVisible()
  await expect(page.locator('body')).not.toContainText(secret)

  await renamed.getByRole('button', { name: `Delete ${name} (renamed)` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete credential' }).click()
  await expect(renamed).toBeHidden()
})
