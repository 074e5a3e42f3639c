'use client'
// What generated fields need from their surroundings, provided once per form.
import { createContext, useContext } from 'react'
import type { CodeMode } from '../code-completion'
import type { PreviewScope, UpstreamSample } from '../expression'

export interface FormEnv {
  readOnly: boolean
  /** Settings are plain values: no expression toggle. */
  expressions?: boolean
  /** Problems by param key (field path joined with '.'). */
  problems: Record<string, string>
  /** The nodes before this one with a sample item each: completion, lint and preview of expressions. */
  upstream: UpstreamSample[]
  previewScope: PreviewScope
  /** The Code node's mode (which names its code sees); unset for other nodes. */
  codeMode?: CodeMode
  /** Called when a gesture on a field ends (blur): closes the undo group. */
  onCommit: () => void
}

export const FormEnvContext = createContext<FormEnv>({
  readOnly: false,
  problems: {},
  upstream: [],
  previewScope: { $json: null, $node: {} },
  onCommit: () => {},
})

export const useFormEnv = () => useContext(FormEnvContext)
