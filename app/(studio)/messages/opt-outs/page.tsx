import type { Metadata } from 'next'
import { MessagingNav } from '@/components/messaging/MessagingNav'
import { OptOuts } from '@/components/messaging/OptOuts'

export const metadata: Metadata = { title: 'Opt-outs' }

export default function OptOutsPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <MessagingNav />
      <OptOuts />
    </div>
  )
}
