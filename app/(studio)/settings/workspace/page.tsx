import type { Metadata } from 'next'
import { WorkspaceSettings } from '@/components/workspace/WorkspaceSettings'
import { WorkspaceRetention } from '@/components/workspace/WorkspaceRetention'
import { WorkspaceTransfer } from '@/components/workspace/WorkspaceTransfer'

export const metadata: Metadata = { title: 'Workspace' }

export default function WorkspacePage() {
  return (
    <>
      <WorkspaceSettings />
      <WorkspaceRetention />
      <WorkspaceTransfer />
    </>
  )
}
