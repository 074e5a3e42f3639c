// Editor chrome: document meta, read-only version view, problems, panels, notices. Not undoable.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { NodeTypeInfo, Problem } from './types'

export type Panel = 'inspector' | 'versions' | null

/** What quick-add adds to: after a node's output port, or into an edge; null adds next to the selection. */
export type QuickAddTarget = { kind: 'port'; nodeId: string; port: string } | { kind: 'edge'; edgeId: string }

export interface Notice {
  id: number
  kind: 'info' | 'error' | 'success'
  text: string
}

/** The designer's autosaved draft (PUT /api/workflows/:id/draft) as the editor knows it. */
export interface DraftState {
  /** The server holds a draft that differs from version `baseVersion`. */
  exists: boolean
  /** When the draft was last written (ISO), null when there is none. */
  savedAt: string | null
  saving: boolean
  /** Why the last autosave failed; null once one succeeds. */
  failed: string | null
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
  quickAddTarget: QuickAddTarget | null
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
  draft: DraftState
}

const NO_DRAFT: DraftState = { exists: false, savedAt: null, saving: false, failed: null }

const initialState: UiState = {
  workflowId: null,
  name: '',
  baseVersion: 0,
  viewingVersion: null,
  problems: [],
  panel: 'inspector',
  quickAddOpen: false,
  quickAddTarget: null,
  notices: [],
  measured: {},
  nodeTypes: {},
  webhookBaseUrl: null,
  hookBaseUrl: null,
  active: false,
  publishedVersion: null,
  draft: NO_DRAFT,
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
    /** Opened with the server's draft (its time) or without one (null); saving a version also clears it. */
    draftLoaded: (s, a: PayloadAction<string | null>) => {
      s.draft = a.payload ? { ...NO_DRAFT, exists: true, savedAt: a.payload } : NO_DRAFT
    },
    draftSaving: (s) => {
      s.draft.saving = true
    },
    draftWritten: (s, a: PayloadAction<string>) => {
      s.draft = { exists: true, savedAt: a.payload, saving: false, failed: null }
    },
    draftFailed: (s, a: PayloadAction<string>) => {
      s.draft.saving = false
      s.draft.failed = a.payload
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
      s.quickAddTarget = null
    },
    /** A "+" on a port or an edge: quick-add opens and adds there. */
    quickAddOpenedFor: (s, a: PayloadAction<QuickAddTarget>) => {
      s.quickAddOpen = s.viewingVersion === null
      s.quickAddTarget = s.quickAddOpen ? a.payload : null
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
  workflowOpened, workflowSaved, workflowRenamed, versionViewed, problemsSet, panelSet, quickAddSet, quickAddOpenedFor, noticeShown, noticeDismissed, nodesMeasured, nodeTypesLoaded,
  liveChanged, draftLoaded, draftSaving, draftWritten, draftFailed,
} = uiSlice.actions
