'use client'
// Asks before the studio's own navigation leaves a page with unsaved changes (the browser's beforeunload only covers
// reloads and closing the tab). While a page renders <LeaveGuard>, a capture-phase click handler sees every click on
// a same-origin link (top nav, breadcrumbs, any next/link) before Next's router does; code that navigates by itself
// (router.push) asks `confirmLeave()` first; the browser's Back is caught on its popstate and undone while the user
// is asked. One guard at a time: the page rendering it.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Dialog } from '@/components/ui'

export interface LeaveGuardProps {
  /** Whether leaving now would lose changes. */
  isDirty: () => boolean
  /** "Save and leave": true when saved (the page is then left). */
  save: () => Promise<boolean>
  /** "Leave": the user chose to drop the changes. */
  onDiscard?: () => void
}

let ask: (() => Promise<boolean>) | null = null

// Listeners of an event on window run in the order they were added, whatever their capture flag: this one is added
// when the module loads (the studio's shell imports it), before Next's router adds its own in an effect, so a guard
// can stop a Back before the router renders the previous page.
let onPopState: ((e: PopStateEvent) => void) | null = null
if (typeof window !== 'undefined') window.addEventListener('popstate', (e) => onPopState?.(e))

/** For code that navigates by itself: true when there is nothing to lose or the user chose to leave. */
export function confirmLeave(): Promise<boolean> {
  return ask ? ask() : Promise.resolve(true)
}

/** The link a click would follow inside the studio, or null (other origin, new tab, download, same page). */
export function inAppTarget(e: MouseEvent, here: Location): string | null {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null
  const a = (e.target as Element | null)?.closest?.('a[href]')
  if (!(a instanceof HTMLAnchorElement)) return null
  if ((a.target && a.target !== '_self') || a.hasAttribute('download')) return null
  const url = new URL(a.href, here.href)
  if (url.origin !== here.origin) return null
  if (url.pathname === here.pathname && url.search === here.search) return null
  return `${url.pathname}${url.search}${url.hash}`
}

export function LeaveGuard({ isDirty, save, onDiscard }: LeaveGuardProps) {
  const router = useRouter()
  const [pending, setPending] = useState<{ resolve: (leave: boolean) => void } | null>(null)
  const [saving, setSaving] = useState(false)
  const [failed, setFailed] = useState(false)
  const props = useRef({ isDirty, save, onDiscard })
  props.current = { isDirty, save, onDiscard }

  const request = useCallback(
    () => (props.current.isDirty() ? new Promise<boolean>((resolve) => setPending({ resolve })) : Promise.resolve(true)),
    [],
  )

  useEffect(() => {
    ask = request
    // Back (or Forward) out of the page: the URL has already changed. Go forward again, hidden from the router, and
    // ask; leaving goes back for real. (A jump of several entries at once comes back by one only.)
    let undoing = false
    let leaving = false
    const guardPopState = (e: PopStateEvent) => {
      if (leaving) return
      if (undoing) {
        undoing = false
        e.stopImmediatePropagation()
        return
      }
      if (!props.current.isDirty()) return
      e.stopImmediatePropagation()
      undoing = true
      window.history.go(1)
      void request().then((leave) => {
        if (!leave) return
        leaving = true
        window.history.back()
      })
    }
    onPopState = guardPopState
    const onClick = (e: MouseEvent) => {
      const href = inAppTarget(e, window.location)
      if (!href || !props.current.isDirty()) return
      e.preventDefault()
      e.stopPropagation()
      void request().then((leave) => leave && router.push(href))
    }
    document.addEventListener('click', onClick, true)
    return () => {
      if (ask === request) ask = null
      document.removeEventListener('click', onClick, true)
      if (onPopState === guardPopState) onPopState = null
    }
  }, [request, router])

  const answer = (leave: boolean) => {
    pending?.resolve(leave)
    setPending(null)
    setFailed(false)
  }
  const saveAndLeave = async () => {
    setSaving(true)
    try {
      if (await props.current.save()) answer(true)
      else setFailed(true)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Dialog
      open={pending !== null}
      onClose={() => answer(false)}
      title="Leave without saving?"
      description="Your latest changes are not saved yet, neither as the draft nor as a version."
      footer={
        <>
          <Button variant="ghost" onClick={() => answer(false)} data-testid="leave-stay">Stay</Button>
          <Button variant="danger" onClick={() => { props.current.onDiscard?.(); answer(true) }} data-testid="leave-discard">Leave</Button>
          <Button variant="primary" loading={saving} onClick={() => void saveAndLeave()} data-testid="leave-save">Save and leave</Button>
        </>
      }
    >
      <p className="text-sm text-muted">Save and leave keeps them as the workflow&apos;s draft; Leave drops them.</p>
      {failed && <p className="text-sm text-danger" role="alert">Could not save them. Stay and try again, or leave without them.</p>}
    </Dialog>
  )
}
