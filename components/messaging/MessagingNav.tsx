'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { cn } from '@/components/ui'

const LINKS = [
  { href: '/messages', label: 'Message log' },
  { href: '/messages/campaigns', label: 'Campaigns' },
  { href: '/messages/opt-outs', label: 'Opt-outs' },
]

/** The three messaging pages as tabs. */
export function MessagingNav() {
  const pathname = usePathname()
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">Messages</h1>
      <nav aria-label="Messaging" className="flex gap-1 border-b border-line">
        {LINKS.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            aria-current={pathname === l.href ? 'page' : undefined}
            className={cn('-mb-px border-b-2 px-3 py-2 text-sm', pathname === l.href ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg')}
          >
            {l.label}
          </Link>
        ))}
      </nav>
    </div>
  )
}
