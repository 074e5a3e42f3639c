import type { Metadata } from 'next'
import { EventDetail } from '@/components/events/EventDetail'

export const metadata: Metadata = { title: 'Event' }

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <EventDetail eventId={id} />
    </div>
  )
}
