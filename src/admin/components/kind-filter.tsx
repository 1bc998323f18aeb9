import { ToggleButtons } from "./toggle-buttons"

export type LogKind = "all" | "opt_outs" | "bookings"

const KINDS: readonly LogKind[] = ["all", "opt_outs", "bookings"]
const LABELS: Record<LogKind, string> = {
  all: "All",
  opt_outs: "Opt-outs",
  bookings: "Bookings",
}

/** Which lists the log page shows: declined offers' opt-outs, taken offers' bookings, or both. */
export function KindFilter({
  kind,
  onChange,
}: {
  kind: LogKind
  onChange: (kind: LogKind) => void
}) {
  return (
    <ToggleButtons
      label="Filter by kind"
      options={KINDS}
      pressed={(k) => k === kind}
      onPress={onChange}
      data={(k) => ({ "data-kind": k })}
    >
      {(k) => LABELS[k]}
    </ToggleButtons>
  )
}
