// Dark mode: the choice is stored in localStorage; without one the system preference decides.
export const THEME_KEY = 'auterity-theme'
export type Theme = 'light' | 'dark'

/** Inline script run before paint so a dark page never flashes white. */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem('${THEME_KEY}');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.classList.toggle('dark',t==='dark')}catch(e){}})()`

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark')
  try {
    localStorage.setItem(THEME_KEY, theme)
  } catch {
    // Private mode without storage: the toggle still works for this page.
  }
}
