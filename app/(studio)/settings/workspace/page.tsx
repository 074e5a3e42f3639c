import type { Metadata } from 'next'
import { WorkspaceTransfer } from '@/components/workspace/WorkspaceTransfer'

export const metadata: Metadata = { title: 'Workspace' }

export default function WorkspacePage() {
  return <WorkspaceTransfer />
}
