'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { Activity, LayoutTemplate, Library, Radio, Settings, Sparkles, Workflow } from 'lucide-react'
import { MessagesSquare } from 'lucide-react'
import { cn } from '@/components/ui'
import { ThemeToggle } from './ThemeToggle'
import { UserMenu } from './UserMenu'
import { WorkspaceSwitcher } from './WorkspaceSwitcher'

const LINKS = [
  { href: '/workflows', label: 'Workflows', icon: Workflow },
  { href: '/templates', label: 'Templates', icon: LayoutTemplate },
  { href: '/executions', label: 'Executions', icon: Activity },
  { href: '/events', label: 'Events', icon: Radio },
  { href: '/messages', label: 'Messages', icon: MessagesSquare },
  { href: '/collections', label: 'Collections', icon: Library },
  { href: '/ai', label: 'AI', icon: Sparkles },
  { href: '/settings', label: 'Settings', icon: Settings },
] as const

export function TopNav({ user }: { user: { name?: string | null; email?: string | null } }) {
  const pathname = usePathname()
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-panel/90 backdrop-blur">
      <div className="flex h-12 items-center gap-4 px-4">
        <Link href="/workflows" className="flex items-center gap-2 font-semibold">
          <span aria-hidden className="grid size-6 place-items-center rounded-md bg-accent text-xs font-bold text-accent-fg">
            A
          </span>
          <span>Auterity</span>
        </Link>
        <WorkspaceSwitcher />
        <nav aria-label="Main" className="flex items-center gap-1">
          {LINKS.map(({ href, label, icon: Icon }) => {
            const active = pathname === href || pathname.startsWith(`${href}/`)
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm',
                  active ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-panel-2 hover:text-fg',
                )}
              >
                <Icon className="size-4" />
                {label}
              </Link>
            )
          })}
        </nav>
        <div className="ml-auto flex items-center gap-1">
          <ThemeToggle />
          <UserMenu name={user.name} email={user.email} />
        </div>
      </div>
    </header>
  )
}
