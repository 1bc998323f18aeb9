import { Button } from "@medusajs/ui"

export type LogKind = "all" | "opt_outs" | "bookings"

const KINDS: { kind: LogKind; label: string }[] = [
  { kind: "all", label: "All" },
  { kind: "opt_outs", label: "Opt-outs" },
  { kind: "bookings", label: "Bookings" },
]

/** Which lists the log page shows: declined offers' opt-outs, taken offers' bookings, or both. */
export function KindFilter({
  kind,
  onChange,
}: {
  kind: LogKind
  onChange: (kind: LogKind) => void
}) {
  return (
    <div
      className="flex flex-wrap gap-2"
      role="group"
      aria-label="Filter by kind"
    >
      {KINDS.map((k) => (
        <Button
          key={k.kind}
          size="small"
          variant={kind === k.kind ? "primary" : "secondary"}
          aria-pressed={kind === k.kind}
          data-kind={k.kind}
          onClick={() => onChange(k.kind)}
        >
          {k.label}
        </Button>
      ))}
    </div>
  )
}
