import { describe, expect, it } from 'vitest'
import { manualTrigger } from '@/lib/nodes/manual-trigger/definition'
import { runNode } from './harness'

describe('manual-trigger', () => {
  it('outputs the items the run was given', async () => {
    const { output } = await runNode(manualTrigger, { items: [{ a: 1 }, { a: 2 }] })
    expect(output).toEqual({ main: [{ a: 1 }, { a: 2 }] })
  })

  it('outputs one empty item when the run had no input', async () => {
    expect((await runNode(manualTrigger)).output).toEqual({ main: [{}] })
  })
})
