// Delivery states and their order. Providers' callbacks arrive late, twice or out of order; a status moves a
// message forward only, so a replayed or overtaken callback changes nothing. Browser-safe.

/** Twilio's message statuses and WhatsApp's, ranked: a callback applies only when it ranks above the current one. */
const RANK: Record<string, number> = {
  pending: 0,
  accepted: 1, scheduled: 1, queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4, undelivered: 4, failed: 4, canceled: 4, skipped: 4,
  read: 5,
  received: 1,
}

/** Twilio's call statuses, ranked the same way. */
const CALL_RANK: Record<string, number> = {
  queued: 1, initiated: 1, ringing: 2, 'in-progress': 3, completed: 4, busy: 4, 'no-answer': 4, canceled: 4, failed: 4,
}

export function statusRank(status: string, channel?: string): number {
  return (channel === 'voice' ? CALL_RANK[status] : RANK[status]) ?? -1
}

/** Whether `next` moves a message that is at `current` forward. */
export function advances(current: string, next: string, channel?: string): boolean {
  return statusRank(next, channel) > statusRank(current, channel)
}

export function isFinal(status: string, channel?: string): boolean {
  return channel === 'voice' ? (CALL_RANK[status] ?? 0) >= 4 : (RANK[status] ?? 0) >= 4
}
