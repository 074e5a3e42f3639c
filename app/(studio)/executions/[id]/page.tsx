import type { Metadata } from 'next'
import { ExecutionDetail } from '@/components/executions/ExecutionDetail'

export const metadata: Metadata = { title: 'Execution' }

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <ExecutionDetail executionId={id} />
    </div>
  )
}
