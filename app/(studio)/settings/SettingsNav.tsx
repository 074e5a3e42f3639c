'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { Building2, KeyRound, KeySquare, ScrollText, UserRound, Users } from 'lucide-react'
import { cn } from '@/components/ui'

const LINKS = [
  { href: '/settings/profile', label: 'Profile & security', icon: UserRound },
  { href: '/settings/workspace', label: 'Workspace', icon: Building2 },
  { href: '/settings/members', label: 'Members', icon: Users },
  { href: '/settings/api-keys', label: 'API keys', icon: KeySquare },
  { href: '/settings/credentials', label: 'Credentials', icon: KeyRound },
  { href: '/settings/audit', label: 'Audit log', icon: ScrollText },
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
