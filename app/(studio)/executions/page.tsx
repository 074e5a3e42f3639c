import type { Metadata } from 'next'
import { Suspense } from 'react'
import { ExecutionsDashboard } from '@/components/executions/ExecutionsDashboard'

export const metadata: Metadata = { title: 'Executions' }

export default function ExecutionsPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <Suspense>
        <ExecutionsDashboard />
      </Suspense>
    </div>
  )
}
