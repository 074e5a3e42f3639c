import type { Metadata } from 'next'
import { Suspense } from 'react'
import { WorkflowList } from '@/components/workflows/WorkflowList'

export const metadata: Metadata = { title: 'Workflows' }

export default function WorkflowsPage() {
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-5 px-6 py-8">
      <Suspense>
        <WorkflowList />
      </Suspense>
    </div>
  )
}
