import type { Metadata } from 'next'
import { oidcProviders } from '@/lib/auth/oidc'
import { pageAuth } from '@/lib/auth/page'
import { webServices } from '@/lib/composition/web-services'
import { AppError } from '@/lib/errors'
import { webWorkspaceDeps } from '@/lib/workspaces/deps'
import { viewInvite, type InviteView } from '@/lib/workspaces/invites'
import { AcceptInvite } from './AcceptInvite'

export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' }

/** The page an invitation link opens: which workspace and role, then join (signed in) or create an account. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  let invite: InviteView | null = null
  let problem = 'This invitation link is not valid. Check that you copied all of it.'
  try {
    invite = await viewInvite(webWorkspaceDeps(), token)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    if (err.status === 410) problem = err.message
  }
  const auth = invite ? await pageAuth() : null
  const signedInAs = auth?.userId ? (await webServices().prisma.user.findUnique({ where: { id: auth.userId }, select: { email: true } }))?.email ?? null : null
  return (
    <main className="grid min-h-full place-items-center px-4 py-16">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <span aria-hidden className="grid size-10 place-items-center rounded-lg bg-accent text-lg font-bold text-accent-fg">
            A
          </span>
          {invite ? (
            <>
              <h1 className="text-xl font-semibold">Join {invite.workspaceName}</h1>
              <p className="text-sm text-muted">
                You are invited to the workspace <span className="font-medium text-fg">{invite.workspaceName}</span> on Auterity Studio as{' '}
                <span className="font-medium text-fg">{invite.role}</span>.
              </p>
            </>
          ) : (
            <>
              <h1 className="text-xl font-semibold">This invitation cannot be used</h1>
              <p role="alert" className="text-sm text-muted">
                {problem}
              </p>
              <a href="/login" className="text-sm text-accent underline">
                Go to sign in
              </a>
            </>
          )}
        </div>
        {invite && <AcceptInvite token={token} email={invite.email} signedInAs={signedInAs} sso={oidcProviders()[0]?.name ?? null} />}
      </div>
    </main>
  )
}
