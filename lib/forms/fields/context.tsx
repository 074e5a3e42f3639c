'use client'
// What generated fields need from their surroundings, provided once per form.
import { createContext, useContext } from 'react'
import type { PreviewScope, Suggestion } from '../expression'

export interface FormEnv {
  readOnly: boolean
  /** Settings are plain values: no expression toggle. */
  expressions?: boolean
  /** Problems by param key (field path joined with '.'). */
  problems: Record<string, string>
  suggestions: Suggestion[]
  previewScope: PreviewScope
  /** Called when a gesture on a field ends (blur): closes the undo group. */
  onCommit: () => void
}

export const FormEnvContext = createContext<FormEnv>({
  readOnly: false,
  problems: {},
  suggestions: [],
  previewScope: { $json: null, $node: {} },
  onCommit: () => {},
})

export const useFormEnv = () => useContext(FormEnvContext)
