'use client'
// The run retention form for the caller's role: the settings are an admin's (the API refuses others).
import { useEffect, useState } from 'react'
import { send } from './http'
import { ExecutionRetention } from './ExecutionRetention'

export function WorkspaceRetention() {
  const [role, setRole] = useState<string | null>(null)
  useEffect(() => {
    send<{ workspace: { role: string } }>('/api/workspaces/current').then(
      ({ workspace }) => setRole(workspace.role),
      () => setRole('viewer'),
    )
  }, [])
  if (role === null) return null
  return <ExecutionRetention canEdit={role === 'admin' || role === 'owner'} />
}
