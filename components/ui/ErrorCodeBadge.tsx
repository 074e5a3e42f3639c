// A step error's code (e.g. HTTP_404, SANDBOX_TIMEOUT) as a small badge beside its message: people read the message,
// the code is there to search the docs and logs. The error's class name (NodeError) is never shown.
export function ErrorCodeBadge({ code }: { code?: string }) {
  if (!code) return null
  return (
    <span className="ml-1.5 inline-block rounded border border-danger/30 px-1 align-middle font-mono text-[10px] font-normal leading-4" data-testid="error-code" title="Error code">
      {code}
    </span>
  )
}
