'use client'
// One CodeMirror view bound to a controlled React value: created once, fed outside changes (undo, another node),
// reporting its own edits through onChange and the end of a gesture through onBlur.
import { useEffect, useRef, useState, type RefObject } from 'react'
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state'
import { EditorView } from '@codemirror/view'

const external = Annotation.define<boolean>()

export interface EditorBinding {
  value: string
  onChange: (value: string) => void
  onBlur?: () => void
  readOnly?: boolean
  label: string
  testId: string
  /** Focus the editor (cursor at the end) once it is created. */
  autoFocus?: boolean
}

export function useEditor(host: RefObject<HTMLDivElement | null>, binding: EditorBinding, extensions: () => Extension[]): EditorView | null {
  const [view, setView] = useState<EditorView | null>(null)
  const latest = useRef(binding)
  latest.current = binding
  const editable = useRef(new Compartment())

  useEffect(() => {
    const b = latest.current
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: b.value,
        extensions: [
          ...extensions(),
          editable.current.of([EditorState.readOnly.of(!!b.readOnly), EditorView.editable.of(!b.readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': b.label, 'data-testid': b.testId }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((tr) => tr.annotation(external))) latest.current.onChange(u.state.doc.toString())
          }),
          EditorView.domEventHandlers({ blur: () => void latest.current.onBlur?.() }),
        ],
      }),
    })
    if (b.autoFocus) {
      v.focus()
      v.dispatch({ selection: { anchor: v.state.doc.length } })
    }
    setView(v)
    return () => v.destroy()
  }, []) // eslint-disable-line react-hooks/exhaustive-deps -- one view per mount; later props flow in below

  useEffect(() => {
    if (view && view.state.doc.toString() !== binding.value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: binding.value }, annotations: external.of(true) })
    }
  }, [view, binding.value])

  useEffect(() => {
    view?.dispatch({ effects: editable.current.reconfigure([EditorState.readOnly.of(!!binding.readOnly), EditorView.editable.of(!binding.readOnly)]) })
  }, [view, binding.readOnly])

  return view
}
