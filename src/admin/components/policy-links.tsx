import type { ReactNode } from "react"
import type { XcoverBooking } from "../lib/xcover-api"
import { cancellationState } from "./cancellation-badge"

/** Only web addresses become links (never `javascript:` and the like, whatever an answer holds). */
function webUrl(value: string | null): string | null {
  if (!value) {
    return null
  }
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
      ? url.href
      : null
  } catch {
    return null
  }
}

/**
 * A link to XCover, in a new tab. These addresses carry the policy's security token: they
 * appear as links only, never as text or a tooltip, and send no referrer.
 */
function XcoverLink({
  href,
  kind,
  children,
}: {
  href: string | null
  kind: string
  children: ReactNode
}) {
  const url = webUrl(href)
  if (!url) {
    return null
  }
  return (
    <a
      className="text-ui-fg-interactive hover:underline"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      data-link={kind}
    >
      {children}
    </a>
  )
}

/**
 * The policy's documents, claim and cancellation pages at XCover; no cancellation page once it
 * is cancelled or being cancelled (after a failed cancellation it is still in force: shown).
 */
export function PolicyLinks({ booking }: { booking: XcoverBooking }) {
  const state = cancellationState(booking)
  const cancelling = state !== null && state !== "failed"
  const links = [
    { kind: "coi", href: booking.coi_url, label: "Certificate of insurance" },
    { kind: "coi_pdf", href: booking.coi_pdf, label: "Certificate (PDF)" },
    { kind: "pds", href: booking.pds_url, label: "Policy wording (PDS)" },
    { kind: "claim", href: booking.fnol_link, label: "Make a claim" },
    { kind: "cancel", href: booking.cancel_link, label: "Cancel at XCover" },
  ].filter((l) => webUrl(l.href) && !(cancelling && l.kind === "cancel"))
  if (!links.length) {
    return null
  }
  return (
    <div
      className="txt-small flex flex-wrap gap-x-4 gap-y-1"
      data-testid="xcover-policy-links"
    >
      {links.map((l) => (
        <XcoverLink key={l.kind} href={l.href} kind={l.kind}>
          {l.label}
        </XcoverLink>
      ))}
    </div>
  )
}
