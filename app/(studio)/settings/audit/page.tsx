import type { Metadata } from 'next'
import { AuditLogView } from './AuditLogView'

export const metadata: Metadata = { title: 'Audit log' }

export default function AuditPage() {
  return <AuditLogView />
}
