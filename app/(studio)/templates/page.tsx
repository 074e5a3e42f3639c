import { Suspense } from 'react'
import type { Metadata } from 'next'
import { TemplateGallery } from '@/components/templates/TemplateGallery'

export const metadata: Metadata = { title: 'Templates' }

export default function TemplatesPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      {/* The gallery reads its filters from the address (useSearchParams). */}
      <Suspense>
        <TemplateGallery />
      </Suspense>
    </div>
  )
}
