// The designer's autosaved draft as the editor tracks it (what markSaved does with the graph sent: history.test.ts).
import { describe, expect, it } from 'vitest'
import { draftFailed, draftLoaded, draftSaving, draftWritten, makeStore } from '@/lib/store'

describe('draft state', () => {
  it('tracks the draft: loaded, saving, written, failed, cleared by a version save', () => {
    const store = makeStore()
    const draft = () => store.getState().ui.draft
    expect(draft()).toEqual({ exists: false, savedAt: null, saving: false, failed: null })
    store.dispatch(draftLoaded('2026-12-02T10:00:00.000Z'))
    expect(draft()).toMatchObject({ exists: true, savedAt: '2026-12-02T10:00:00.000Z' })
    store.dispatch(draftSaving())
    expect(draft().saving).toBe(true)
    store.dispatch(draftFailed('Down for a moment'))
    expect(draft()).toMatchObject({ exists: true, saving: false, failed: 'Down for a moment' })
    store.dispatch(draftWritten('2026-12-02T10:05:00.000Z'))
    expect(draft()).toEqual({ exists: true, savedAt: '2026-12-02T10:05:00.000Z', saving: false, failed: null })
    store.dispatch(draftLoaded(null))
    expect(draft().exists).toBe(false)
  })
})
