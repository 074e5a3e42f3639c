'use client'
import { useState } from 'react'
import { RotateCcw, Trash2 } from 'lucide-react'
import { Button, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { DeliveryStatus } from './types'

/** Replay (dead or discarded) and Discard (dead or pending) of one delivery; `onDone` reloads the view. */
export function DeliveryActions({ id, status, onDone }: { id: string; status: DeliveryStatus; onDone: () => void }) {
  const toast = useToast()
  const [busy, setBusy] = useState<'replay' | 'discard' | null>(null)
  async function act(action: 'replay' | 'discard') {
    setBusy(action)
    try {
      await api.request(`/api/events/deliveries/${encodeURIComponent(id)}/${action}`, { method: 'POST' })
      toast.success(action === 'replay' ? 'Replaying the delivery' : 'Delivery discarded')
      onDone()
    } catch (err) {
      toast.error(err, action === 'replay' ? 'Could not replay' : 'Could not discard')
    } finally {
      setBusy(null)
    }
  }
  return (
    <span className="flex justify-end gap-1.5" onClick={(e) => e.stopPropagation()}>
      {(status === 'dead' || status === 'discarded') && (
        <Button size="sm" icon={<RotateCcw className="size-3.5" />} loading={busy === 'replay'} onClick={() => void act('replay')} data-testid="replay-delivery">
          Replay
        </Button>
      )}
      {(status === 'dead' || status === 'pending') && (
        <Button size="sm" variant="ghost" icon={<Trash2 className="size-3.5" />} loading={busy === 'discard'} onClick={() => void act('discard')} data-testid="discard-delivery">
          Discard
        </Button>
      )}
    </span>
  )
}
