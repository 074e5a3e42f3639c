'use client'
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'
import { X } from 'lucide-react'
import { cn } from './cn'

export type ToastTone = 'info' | 'success' | 'error'

export interface ToastInput {
  title: string
  description?: string
  tone?: ToastTone
  /** Milliseconds before it disappears; errors stay 8 s by default, others 4 s. */
  durationMs?: number
}

interface ToastEntry extends ToastInput {
  id: number
}

export interface ToastApi {
  show(t: ToastInput): void
  /** Shows an error the person can act on: an ApiError's message (and field problems), or any Error's message. */
  error(err: unknown, title?: string): void
  success(title: string, description?: string): void
}

const ToastContext = createContext<ToastApi | null>(null)

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext)
  if (!ctx) throw new Error('useToast() needs <ToastProvider> above it (components/shell/Providers.tsx)')
  return ctx
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; fields?: Record<string, string> }
    const fields = e.fields ? Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`) : []
    const msg = typeof e.message === 'string' ? e.message : String(err)
    return fields.length && !fields.some((f) => msg.includes(f)) ? `${msg} (${fields.join('; ')})` : msg
  }
  return String(err)
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([])
  const nextId = useRef(1)
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), [])
  const show = useCallback(
    (t: ToastInput) => {
      const id = nextId.current++
      setToasts((ts) => [...ts.slice(-4), { ...t, id }])
      setTimeout(() => dismiss(id), t.durationMs ?? (t.tone === 'error' ? 8000 : 4000))
    },
    [dismiss],
  )
  const api = useMemo<ToastApi>(
    () => ({
      show,
      error: (err, title = 'Something went wrong') => show({ title, description: describe(err), tone: 'error' }),
      success: (title, description) => show({ title, description, tone: 'success' }),
    }),
    [show],
  )
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === 'error' ? 'alert' : 'status'}
            className={cn(
              'pointer-events-auto flex items-start gap-2 rounded-lg border bg-panel p-3 text-sm shadow-lg',
              t.tone === 'error' ? 'border-danger/60' : t.tone === 'success' ? 'border-ok/60' : 'border-line',
            )}
          >
            <div className="min-w-0 flex-1">
              <p className="font-medium">{t.title}</p>
              {t.description && <p className="mt-0.5 break-words text-muted">{t.description}</p>}
            </div>
            <button type="button" aria-label="Dismiss" onClick={() => dismiss(t.id)} className="rounded p-0.5 text-muted hover:bg-panel-2">
              <X className="size-3.5" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}
