import type { ReactNode } from 'react'
import { redirect } from 'next/navigation'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/lib/auth/options'
import { pageAuth } from '@/lib/auth/page'
import { TopNav } from '@/components/shell/TopNav'

/** Every studio page needs a session; without one the person goes to the sign-in page. */
export default async function StudioLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions)
  // The token alone is not enough: its session may have been revoked, or its workspace left.
  if (!session?.user || !(await pageAuth())) redirect('/login')
  return (
    <div className="flex min-h-full flex-col">
      <TopNav user={{ name: session.user.name, email: session.user.email }} />
      <main className="flex min-h-0 flex-1 flex-col">{children}</main>
    </div>
  )
}
