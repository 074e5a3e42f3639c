import type { Metadata } from 'next'
import Link from 'next/link'
import { RegistryView } from '@/components/ai/RegistryView'

export const metadata: Metadata = { title: 'AI models' }

export default function AiRegistryPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-4 px-6 py-8">
      <nav className="flex gap-4 text-sm">
        <Link href="/ai" className="text-muted hover:text-fg">Usage</Link>
        <Link href="/ai/registry" className="font-medium text-accent">Models &amp; evaluations</Link>
      </nav>
      <RegistryView />
    </div>
  )
}
