import type { Metadata } from 'next'
import { Campaigns } from '@/components/messaging/Campaigns'
import { MessagingNav } from '@/components/messaging/MessagingNav'

export const metadata: Metadata = { title: 'Campaigns' }

export default function CampaignsPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <MessagingNav />
      <Campaigns />
    </div>
  )
}
