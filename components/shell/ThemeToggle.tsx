'use client'
import { useEffect, useState } from 'react'
import { Moon, Sun } from 'lucide-react'
import { applyTheme, type Theme } from './theme'

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | null>(null)
  useEffect(() => setTheme(document.documentElement.classList.contains('dark') ? 'dark' : 'light'), [])
  const next: Theme = theme === 'dark' ? 'light' : 'dark'
  return (
    <button
      type="button"
      aria-label={`Switch to ${next} mode`}
      title={`Switch to ${next} mode`}
      onClick={() => {
        applyTheme(next)
        setTheme(next)
      }}
      className="rounded-md p-2 text-muted hover:bg-panel-2 hover:text-fg"
    >
      {theme === 'dark' ? <Sun className="size-4" /> : <Moon className="size-4" />}
    </button>
  )
}
