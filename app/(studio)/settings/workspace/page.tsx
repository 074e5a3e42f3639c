import type { Metadata } from 'next'
import { WorkspaceSettings } from '@/components/workspace/WorkspaceSettings'
import { WorkspaceTransfer } from '@/components/workspace/WorkspaceTransfer'

export const metadata: Metadata = { title: 'Workspace' }

export default function WorkspacePage() {
  return (
    <>
      <WorkspaceSettings />
      <WorkspaceTransfer />
    </>
  )
}
