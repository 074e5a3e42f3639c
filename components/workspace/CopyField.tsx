'use client'
import { useRef, useState } from 'react'
import { Check, Copy } from 'lucide-react'
import { Button, Field, Input } from '@/components/ui'

/** A read-only value with a copy button (selecting the text where the clipboard API is unavailable, e.g. plain http). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState(false)
  async function copy() {
    input.current?.select()
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
    } catch {
      document.execCommand?.('copy')
    }
  }
  return (
    <Field label={label}>
      {({ id }) => (
        <div className="flex gap-2">
          <Input id={id} ref={input} readOnly value={value} data-testid={testId} className="flex-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <Button onClick={() => void copy()} icon={copied ? <Check className="size-4" /> : <Copy className="size-4" />}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        </div>
      )}
    </Field>
  )
}
