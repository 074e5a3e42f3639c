'use client'
import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react'
import { cn } from './cn'

export const controlClass =
  'rounded-md border border-line bg-panel px-2.5 text-sm text-fg placeholder:text-muted ' +
  'disabled:opacity-60 aria-[invalid=true]:border-danger'

/** Full width unless the caller sets its own width class. */
export const widthClass = (className?: string) => (/(^|\s)(w-|max-w-|flex-)/.test(className ?? '') ? '' : 'w-full')

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  invalid?: boolean
}

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input({ className, invalid, ...rest }, ref) {
  return <input ref={ref} aria-invalid={invalid || undefined} className={cn(controlClass, widthClass(className), 'h-9', className)} {...rest} />
})

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  invalid?: boolean
}

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(function Textarea({ className, invalid, ...rest }, ref) {
  return <textarea ref={ref} aria-invalid={invalid || undefined} className={cn(controlClass, widthClass(className), 'py-2 font-mono', className)} {...rest} />
})

export interface FieldProps {
  label: ReactNode
  /** Shown under the control in red; also marks the control invalid through aria-describedby. */
  error?: string
  hint?: ReactNode
  className?: string
  /** Render prop receiving the id to put on the control and the describedby id. */
  children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ReactNode
}

/** Label + control + hint/error, wired for screen readers. */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId()
  const msgId = `${id}-msg`
  return (
    <div className={cn('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      {children({ id, describedBy: error || hint ? msgId : undefined, invalid: !!error })}
      {error ? (
        <p id={msgId} role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : hint ? (
        <p id={msgId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
    </div>
  )
}
