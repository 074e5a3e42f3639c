import type { Metadata } from 'next'
import { Suspense } from 'react'
import { MessageLog } from '@/components/messaging/MessageLog'
import { MessagingNav } from '@/components/messaging/MessagingNav'

export const metadata: Metadata = { title: 'Messages' }

export default function MessagesPage() {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-5 px-6 py-8">
      <MessagingNav />
      <Suspense>
        <MessageLog />
      </Suspense>
    </div>
  )
}
