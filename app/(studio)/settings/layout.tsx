import type { ReactNode } from 'react'
import { SettingsNav } from './SettingsNav'

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto flex w-full max-w-6xl gap-8 px-6 py-8">
      <aside className="w-48 shrink-0">
        <h1 className="mb-3 text-xl font-semibold">Settings</h1>
        <SettingsNav />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col gap-6">{children}</div>
    </div>
  )
}
