import type { Metadata } from 'next'
import { ResetPasswordForm } from './ResetPasswordForm'

export const metadata: Metadata = { title: 'Set a new password' }

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams
  return (
    <main className="grid min-h-full place-items-center px-4 py-16">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <span aria-hidden className="grid size-10 place-items-center rounded-lg bg-accent text-lg font-bold text-accent-fg">
            A
          </span>
          <h1 className="text-xl font-semibold">Set a new password</h1>
          <p className="text-sm text-muted">Every place you are signed in will be signed out.</p>
        </div>
        <ResetPasswordForm token={typeof token === 'string' ? token : ''} />
      </div>
    </main>
  )
}
