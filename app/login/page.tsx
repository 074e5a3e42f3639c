import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { pageAuth } from '@/lib/auth/page'
import { LoginForm } from './LoginForm'
import { oidcProviders } from '@/lib/auth/oidc'
import { SsoButton } from './SsoButton'

export const metadata: Metadata = { title: 'Sign in' }

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams
  // Only same-site paths: a crafted link must not bounce the person to another site after sign-in.
  const next = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/workflows'
  // A live session goes on; a token whose session was revoked stays here (else studio and sign-in would bounce).
  if (await pageAuth()) redirect(next)
  return (
    <main className="grid min-h-full place-items-center px-4 py-16">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <span aria-hidden className="grid size-10 place-items-center rounded-lg bg-accent text-lg font-bold text-accent-fg">
            A
          </span>
          <h1 className="text-xl font-semibold">Sign in to Auterity Studio</h1>
          <p className="text-sm text-muted">Sign in with your email and password. New here? Ask a workspace admin to invite you; the invitation link lets you set up your account.</p>
        </div>
        <LoginForm next={next} />
        {oidcProviders().map((p) => <SsoButton key={p.id} name={p.name} next={next} />)}
      </div>
    </main>
  )
}
