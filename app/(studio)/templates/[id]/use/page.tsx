import type { Metadata } from 'next'
import { UseTemplateForm } from '@/components/templates/UseTemplateForm'

export const metadata: Metadata = { title: 'Use template' }

export default async function UseTemplatePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ version?: string }> }) {
  const { id } = await params
  const { version } = await searchParams
  const n = Number(version)
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-5 px-6 py-8">
      <UseTemplateForm templateId={decodeURIComponent(id)} version={Number.isInteger(n) && n > 0 ? n : undefined} />
    </div>
  )
}
