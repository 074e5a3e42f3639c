import { expect, test } from '@playwright/test'
import { E2E, login } from './support'

test.describe('signing in', () => {
  test('a studio page without a session goes to the sign-in page', async ({ page }) => {
    await page.goto('/executions')
    await expect(page).toHaveURL(/\/login/)
    await expect(page.getByRole('heading', { name: 'Sign in to Auterity Studio' })).toBeVisible()
  })

  test('a wrong password says so and keeps the person on the page', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('Email').fill(E2E.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.locator('form').getByRole('alert')).toContainText('do not match an account')
    await expect(page).toHaveURL(/\/login/)
  })

  test('sign in, move around the studio, sign out', async ({ page }) => {
    await login(page)
    await expect(page).toHaveURL(/\/workflows$/)
    await expect(page.getByRole('heading', { name: 'Workflows', exact: true })).toBeVisible()

    await page.getByRole('link', { name: 'Executions', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Executions', exact: true })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Executions', exact: true })).toHaveAttribute('aria-current', 'page')

    await page.getByRole('button', { name: /Account menu/ }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/workflows')
    await expect(page).toHaveURL(/\/login/)
  })

  test('the dark-mode choice survives a reload', async ({ page }) => {
    await login(page)
    const html = page.locator('html')
    const wasDark = (await html.getAttribute('class'))?.includes('dark') ?? false
    await page.getByRole('button', { name: /Switch to (dark|light) mode/ }).click()
    await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/)
    await page.reload()
    await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/)
  })
})
