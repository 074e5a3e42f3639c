'use client'
// "Delete …?" with the reason it failed shown in the dialog itself (a toast would sit behind the modal).
import type { ReactNode } from 'react'
import { Button, Dialog } from '@/components/ui'
import { FormProblem, useSubmit } from './form-errors'

export function ConfirmDelete({ open, title, description, action, onClose, onConfirm }: {
  open: boolean
  title: string
  description: ReactNode
  /** The danger button's label, e.g. "Delete document". */
  action: string
  onClose: () => void
  onConfirm: () => Promise<void>
}) {
  const submit = useSubmit([])
  const close = () => {
    submit.reset()
    onClose()
  }
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={close}>Keep it</Button>
          <Button variant="danger" loading={submit.busy} onClick={() => void submit.run(onConfirm)}>
            {action}
          </Button>
        </>
      }
    >
      <FormProblem message={submit.other} />
    </Dialog>
  )
}
