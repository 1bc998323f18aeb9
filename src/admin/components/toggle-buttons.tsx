import { Button } from "@medusajs/ui"
import type { ReactNode } from "react"

/**
 * A labelled row of small buttons, the pressed ones primary (`aria-pressed`): the logs' status
 * filters, the page's kind filter, the sales report's range and currency.
 */
export function ToggleButtons<Option extends string | number>({
  label,
  options,
  pressed,
  onPress,
  children,
  data,
}: {
  /** The group's accessible name. */
  label: string
  options: readonly Option[]
  pressed: (option: Option) => boolean
  onPress: (option: Option) => void
  /** A button's text. */
  children: (option: Option) => ReactNode
  /** `data-*` attributes of a button, if any. */
  data?: (option: Option) => Record<`data-${string}`, string>
}) {
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label={label}>
      {options.map((option) => (
        <Button
          key={option}
          size="small"
          variant={pressed(option) ? "primary" : "secondary"}
          aria-pressed={pressed(option)}
          onClick={() => onPress(option)}
          {...data?.(option)}
        >
          {children(option)}
        </Button>
      ))}
    </div>
  )
}
