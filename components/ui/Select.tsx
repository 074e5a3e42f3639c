'use client'
import { forwardRef, type SelectHTMLAttributes } from 'react'
import { cn } from './cn'
import { controlClass, widthClass } from './Input'

export interface SelectOption {
  value: string
  label: string
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  options: SelectOption[]
  /** Adds a first option with value "" (e.g. "All workflows"). */
  placeholder?: string
  invalid?: boolean
}

/** A native <select>: keyboard and screen-reader behaviour for free. */
export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { options, placeholder, invalid, className, ...rest },
  ref,
) {
  return (
    <select ref={ref} aria-invalid={invalid || undefined} className={cn(controlClass, widthClass(className), 'h-9 pr-7', className)} {...rest}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  )
})
