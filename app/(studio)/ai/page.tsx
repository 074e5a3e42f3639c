import type { Metadata } from 'next'
import Link from 'next/link'
import { UsageDashboard } from '@/components/ai/UsageDashboard'

export const metadata: Metadata = { title: 'AI usage' }

export default function AiUsagePage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-4 px-6 py-8">
      <nav className="flex gap-4 text-sm">
        <Link href="/ai" className="font-medium text-accent">Usage</Link>
        <Link href="/ai/registry" className="text-muted hover:text-fg">Models &amp; evaluations</Link>
      </nav>
      <UsageDashboard />
    </div>
  )
}
