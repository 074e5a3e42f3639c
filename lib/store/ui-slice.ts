// Editor chrome: document meta, read-only version view, problems, panels, notices. Not undoable.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { NodeTypeInfo, Problem } from './types'

export type Panel = 'inspector' | 'versions' | null

export interface Notice {
  id: number
  kind: 'info' | 'error' | 'success'
  text: string
}

export interface UiState {
  workflowId: string | null
  name: string
  baseVersion: number
  /** Set when a historical version is open: the canvas is read-only. */
  viewingVersion: number | null
  problems: Problem[]
  panel: Panel
  quickAddOpen: boolean
  notices: Notice[]
  /** Node sizes measured by React Flow (needed for layout and fit; not part of the saved graph). */
  measured: Record<string, { width: number; height: number }>
  /** The node-type catalogue (GET /api/node-types), by type. */
  nodeTypes: Record<string, NodeTypeInfo>
  /** Where webhook URLs live (GET /api/workflows/:id's `webhookBaseUrl`). */
  webhookBaseUrl: string | null
  /** Where providers' hooks (Twilio, WhatsApp) live: GET /api/workflows/:id's `hookBaseUrl`. */
  hookBaseUrl: string | null
  /** Production: whether the workflow is active, and the version its triggers run (null: never published). */
  active: boolean
  publishedVersion: number | null
}

const initialState: UiState = {
  workflowId: null,
  name: '',
  baseVersion: 0,
  viewingVersion: null,
  problems: [],
  panel: 'inspector',
  quickAddOpen: false,
  notices: [],
  measured: {},
  nodeTypes: {},
  webhookBaseUrl: null,
  hookBaseUrl: null,
  active: false,
  publishedVersion: null,
}

let noticeSeq = 0

export const uiSlice = createSlice({
  name: 'ui',
  initialState,
  reducers: {
    workflowOpened: (
      s,
      a: PayloadAction<{ workflowId: string; name: string; baseVersion: number; webhookBaseUrl?: string; hookBaseUrl?: string; active?: boolean; publishedVersion?: number | null }>,
    ) => {
      Object.assign(s, a.payload)
      s.viewingVersion = null
    },
    liveChanged: (s, a: PayloadAction<{ active: boolean; publishedVersion: number | null }>) => {
      s.active = a.payload.active
      s.publishedVersion = a.payload.publishedVersion
    },
    workflowSaved: (s, a: PayloadAction<{ baseVersion: number }>) => {
      s.baseVersion = a.payload.baseVersion
    },
    workflowRenamed: (s, a: PayloadAction<string>) => {
      s.name = a.payload
    },
    versionViewed: (s, a: PayloadAction<number | null>) => {
      s.viewingVersion = a.payload
    },
    problemsSet: (s, a: PayloadAction<Problem[]>) => {
      s.problems = a.payload
    },
    panelSet: (s, a: PayloadAction<Panel>) => {
      s.panel = a.payload
    },
    quickAddSet: (s, a: PayloadAction<boolean>) => {
      s.quickAddOpen = a.payload
    },
    noticeShown: {
      reducer: (s, a: PayloadAction<Notice>) => {
        s.notices = [...s.notices.slice(-3), a.payload]
      },
      prepare: (kind: Notice['kind'], text: string) => ({ payload: { id: ++noticeSeq, kind, text } }),
    },
    noticeDismissed: (s, a: PayloadAction<number>) => {
      s.notices = s.notices.filter((n) => n.id !== a.payload)
    },
    nodeTypesLoaded: (s, a: PayloadAction<NodeTypeInfo[]>) => {
      s.nodeTypes = Object.fromEntries(a.payload.map((t) => [t.type, t]))
    },
    nodesMeasured: (s, a: PayloadAction<Record<string, { width: number; height: number }>>) => {
      Object.assign(s.measured, a.payload)
    },
  },
})

export const {
  workflowOpened, workflowSaved, workflowRenamed, versionViewed, problemsSet, panelSet, quickAddSet, noticeShown, noticeDismissed, nodesMeasured, nodeTypesLoaded,
  liveChanged,
} = uiSlice.actions
