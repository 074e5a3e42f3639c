import type { Metadata } from 'next'
import { CredentialsManager } from './CredentialsManager'

export const metadata: Metadata = { title: 'Credentials' }

export default function CredentialsPage() {
  return <CredentialsManager />
}
