// Tailwind 4 reads its theme from app/globals.css (@theme); this file keeps editor tooling and content globs explicit.
import type { Config } from 'tailwindcss'

export default {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}', './lib/**/*.{ts,tsx}'],
  darkMode: 'class',
} satisfies Config
