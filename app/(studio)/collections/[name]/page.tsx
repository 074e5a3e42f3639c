import type { Metadata } from 'next'
import { CollectionView } from '@/components/collections/CollectionView'
import { decodeParam } from '@/components/collections/paths'

export const metadata: Metadata = { title: 'Collection' }

export default async function CollectionPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <CollectionView name={decodeParam(name)} />
    </div>
  )
}
