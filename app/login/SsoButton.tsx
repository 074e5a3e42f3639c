'use client'
// "Sign in with <provider>": next-auth's OIDC flow (lib/auth/oidc.ts), shown only when single sign-on is configured.
import { signIn } from 'next-auth/react'
import { Button } from '@/components/ui'

export function SsoButton({ name, next }: { name: string; next: string }) {
  return (
    <Button className="mt-3 w-full" onClick={() => void signIn('oidc', { callbackUrl: next })}>
      Sign in with {name}
    </Button>
  )
}
