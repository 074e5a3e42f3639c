import Link from 'next/link'

export default function NotFound() {
  return (
    <main className="grid min-h-full place-items-center px-4 py-16 text-center">
      <div className="flex flex-col items-center gap-3">
        <p className="text-sm font-semibold text-accent">404</p>
        <h1 className="text-xl font-semibold">This page does not exist</h1>
        <p className="max-w-sm text-sm text-muted">The link may be old, or the workflow or execution was deleted.</p>
        <Link href="/workflows" className="text-sm font-medium text-accent hover:underline">
          Go to your workflows
        </Link>
      </div>
    </main>
  )
}
