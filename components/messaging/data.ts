// What the messaging pages read from the API (app/api/messaging/**, app/api/executions/:id/messages), typed as JSON
// arrives (dates as ISO strings), and the calls that read and change it.
import { api, type Query } from '@/lib/client/api'
import type { CampaignCounts } from '@/lib/messaging/campaigns'
import type { MessageRecord } from '@/lib/messaging/types'

/** A date as JSON carries it. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] }

export type MessageRow = Json<MessageRecord> & { executionId: string | null; nodeId: string | null; campaignId: string | null }

export interface MessageDetail extends MessageRow {
  content: unknown
  statusHistory: Array<{ status: string; at: string; errorCode?: string }>
}

export interface CallRow {
  id: string
  callSid: string | null
  direction: string
  from: string
  to: string
  status: string
  inputs: Array<{ seq?: number; kind: string; at?: string; fields?: Record<string, string> }>
  createdAt: string
  updatedAt: string
}

export interface OptOut {
  channel: 'sms' | 'whatsapp'
  address: string
  source: string
  createdAt: string
}

export interface Campaign {
  id: string
  name: string
  status: 'scheduled' | 'running' | 'done' | 'cancelled' | 'failed'
  from: string
  body: string
  recipientCount: number
  ratePerSecond: number
  sendAt: string
  timeZone: string
  sendAtLocal: string
  error: string | null
  counts: CampaignCounts
}

export interface CampaignForm {
  name: string
  credentialId: string
  from: string
  body: string
  mediaUrls: string[]
  recipients: string
  ratePerSecond: number
  sendAt: string
  timeZone: string
}

const enc = encodeURIComponent

export const messagingApi = {
  messages: (query: Query) => api.request<{ messages: MessageRow[]; nextCursor: string | null }>('/api/messaging/messages', { query }),
  message: (id: string) => api.request<MessageDetail>(`/api/messaging/messages/${enc(id)}`),
  conversation: (executionId: string) =>
    api.request<{ status: string; messages: MessageDetail[]; calls: CallRow[] }>(`/api/executions/${enc(executionId)}/messages`),
  optOuts: (query: Query) => api.request<{ optOuts: OptOut[]; nextCursor: string | null }>('/api/messaging/opt-outs', { query }),
  addOptOut: (body: { channel: string; address: string }) => api.request<OptOut>('/api/messaging/opt-outs', { method: 'POST', body }),
  removeOptOut: (o: { channel: string; address: string }) => api.request<void>('/api/messaging/opt-outs', { method: 'DELETE', query: o }),
  campaigns: () => api.request<{ campaigns: Campaign[] }>('/api/messaging/campaigns'),
  createCampaign: (body: CampaignForm) =>
    api.request<{ campaign: Campaign; duplicates: Array<{ line: number; value: string; firstLine: number }> }>('/api/messaging/campaigns', { method: 'POST', body }),
  cancelCampaign: (id: string) => api.request<Campaign>(`/api/messaging/campaigns/${enc(id)}/cancel`, { method: 'POST', body: {} }),
  deleteCampaign: (id: string) => api.request<void>(`/api/messaging/campaigns/${enc(id)}`, { method: 'DELETE' }),
}
