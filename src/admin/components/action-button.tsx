import { Button, toast } from "@medusajs/ui"
import type { UseMutationResult } from "@tanstack/react-query"
import type { ReactNode } from "react"

/**
 * A small secondary button that runs `action` with `input`, loading while it is pending: `onDone`
 * tells what came of it, a failed request is toasted with its message.
 */
export function ActionButton<Input, Result>({
  action,
  input,
  onDone,
  children,
}: {
  action: UseMutationResult<Result, Error, Input>
  input: Input
  onDone: (result: Result) => void
  children: ReactNode
}) {
  return (
    <Button
      size="small"
      variant="secondary"
      isLoading={action.isPending}
      onClick={() =>
        action.mutate(input, {
          onSuccess: onDone,
          onError: (e) => toast.error(e.message),
        })
      }
    >
      {children}
    </Button>
  )
}
