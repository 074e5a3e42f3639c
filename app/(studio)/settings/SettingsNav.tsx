'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { Building2, KeyRound } from 'lucide-react'
import { cn } from '@/components/ui'

const LINKS = [
  { href: '/settings/credentials', label: 'Credentials', icon: KeyRound },
  { href: '/settings/workspace', label: 'Workspace', icon: Building2 },
]

export function SettingsNav() {
  const pathname = usePathname()
  return (
    <nav aria-label="Settings" className="flex flex-col gap-0.5">
      {LINKS.map(({ href, label, icon: Icon }) => (
        <Link
          key={href}
          href={href}
          aria-current={pathname.startsWith(href) ? 'page' : undefined}
          className={cn('flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm', pathname.startsWith(href) ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-panel-2 hover:text-fg')}
        >
          <Icon className="size-4" /> {label}
        </Link>
      ))}
    </nav>
  )
}
