// Shared by the browser tests (tests/integration/browser/).
import { expect } from 'vitest'
import { NodeError } from '@/lib/engine/types'

/** The Chromium the tests drive (as the worker finds it). */
export const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The NodeError `p` rejects with (fails the test when it resolves, or rejects with something else). */
export async function nodeFailure(p: Promise<unknown>): Promise<NodeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(NodeError)
  return err as NodeError
}
