import type { Metadata } from 'next'
import { MembersManager } from '@/components/workspace/MembersManager'

export const metadata: Metadata = { title: 'Members' }

export default function MembersPage() {
  return <MembersManager />
}
