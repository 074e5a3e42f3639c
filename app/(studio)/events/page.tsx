import type { Metadata } from 'next'
import { EventsDashboard } from '@/components/events/EventsDashboard'

export const metadata: Metadata = { title: 'Events' }

export default function EventsPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <EventsDashboard />
    </div>
  )
}
