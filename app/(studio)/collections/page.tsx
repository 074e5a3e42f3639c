import type { Metadata } from 'next'
import { CollectionList } from '@/components/collections/CollectionList'

export const metadata: Metadata = { title: 'Collections' }

export default function CollectionsPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <CollectionList />
    </div>
  )
}
