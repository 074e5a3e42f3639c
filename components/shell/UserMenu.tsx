'use client'
import { useEffect, useRef, useState } from 'react'
import { signOut } from 'next-auth/react'
import { ChevronDown, LogOut, UserRound } from 'lucide-react'

/** The signed-in person and a sign-out action. Closes on Escape and on a click elsewhere. */
export function UserMenu({ name, email }: { name?: string | null; email?: string | null }) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        button.current?.focus()
      }
    }
    document.addEventListener('mousedown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-label={`Account menu (${email ?? name ?? "signed in"})`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-panel-2 hover:text-fg"
      >
        <UserRound className="size-4" />
        <span className="max-w-40 truncate">{name || email || 'Account'}</span>
        <ChevronDown className="size-3.5" />
      </button>
      {open && (
        <div role="menu" className="absolute right-0 z-40 mt-1 w-56 rounded-lg border border-line bg-panel p-1 shadow-lg">
          {email && <p className="truncate px-2.5 py-2 text-xs text-muted">Signed in as {email}</p>}
          <button
            type="button"
            role="menuitem"
            autoFocus
            onClick={() => signOut({ callbackUrl: '/login' })}
            className="flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm hover:bg-panel-2"
          >
            <LogOut className="size-4" /> Sign out
          </button>
        </div>
      )}
    </div>
  )
}
