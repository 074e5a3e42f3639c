'use client'
// The inspector's workflow field: the studio's one workflow picker (components/pickers), read-only with the form.
import { WorkflowPicker as Picker, type WorkflowPickerProps } from '@/components/pickers/WorkflowPicker'
import { useFormEnv } from './context'

export function WorkflowPicker(props: WorkflowPickerProps) {
  const env = useFormEnv()
  return <Picker {...props} disabled={env.readOnly || props.disabled} className={`flex-1 ${props.className ?? ''}`} />
}
