import type { Metadata } from 'next'
import { ApiKeysManager } from '@/components/workspace/ApiKeysManager'

export const metadata: Metadata = { title: 'API keys' }

export default function ApiKeysPage() {
  return <ApiKeysManager />
}
