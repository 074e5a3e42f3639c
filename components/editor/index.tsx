'use client'
// The CodeMirror editors, loaded on first use so the designer's first paint does not carry them.
import dynamic from 'next/dynamic'

function Loading({ lines }: { lines: number }) {
  return <div aria-hidden className="animate-pulse rounded-md border border-line bg-panel-2" style={{ height: `${lines * 19 + 10}px` }} />
}

export const ExpressionInput = dynamic(() => import('./ExpressionInput'), { ssr: false, loading: () => <Loading lines={1} /> })
export const CodeInput = dynamic(() => import('./CodeInput'), { ssr: false, loading: () => <Loading lines={8} /> })
export type { ExpressionInputProps } from './ExpressionInput'
export type { CodeInputProps } from './CodeInput'
