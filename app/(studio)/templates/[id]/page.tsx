import type { Metadata } from 'next'
import { TemplateDetailView } from '@/components/templates/TemplateDetailView'

export const metadata: Metadata = { title: 'Template' }

export default async function TemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <TemplateDetailView templateId={decodeURIComponent(id)} />
    </div>
  )
}
