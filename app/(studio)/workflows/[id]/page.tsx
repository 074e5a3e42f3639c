import type { Metadata } from 'next'
import { Designer } from './Designer'

export const metadata: Metadata = { title: 'Designer' }

/** One page per workflow. `/workflows/new` creates an empty workflow and replaces the URL with its id. */
export default async function DesignerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return <Designer workflowId={id} />
}
