export { ParamsForm } from './ParamsForm'
export { FieldControl, ObjectFields } from './FieldControl'
export { CodeEditor } from './CodeEditor'
export { FormEnvContext, useFormEnv, type FormEnv } from './context'
