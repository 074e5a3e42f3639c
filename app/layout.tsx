import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { headers } from 'next/headers'
import { Providers } from '@/components/shell/Providers'
import { THEME_SCRIPT } from '@/components/shell/theme'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Auterity Studio', template: '%s · Auterity Studio' },
  description: 'Design, run and watch workflow automations.',
}

// Reading the request's nonce (proxy.ts) renders every page per request, which a nonce-based CSP needs.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get('x-nonce') ?? undefined
  return (
    // The theme script sets the `dark` class before the first paint, so React sees a different class list.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}
