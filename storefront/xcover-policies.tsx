"use client"

import { Badge, Container, Heading, Text, clx } from "@medusajs/ui"
import { useEffect, useRef, useState } from "react"
import {
  formatXcoverAmount,
  isXcoverCoverLine,
  type XcoverCartLine,
  type XcoverPolicy,
  type XcoverStoreActions,
} from "./api.js"
import { xcoverLabels, type XcoverLabels } from "./labels.js"

export type XcoverPoliciesProps = {
  /** The order (Medusa's `StoreOrder` fits); its cover lines say how many policies to wait for. */
  order: { id: string; items?: XcoverCartLine[] | null }
  actions: Pick<XcoverStoreActions, "policies">
  /** Policies already read (a server component's fetch); read again while any is being issued. */
  initialPolicies?: XcoverPolicy[]
  /** How often to read again while a policy is being issued (ms); default 3000. */
  pollIntervalMs?: number
  /** How many times at most; default 40 (two minutes at the default interval). */
  maxPolls?: number
  labels?: Partial<XcoverLabels>
  className?: string
}

/**
 * The order's XCover policies for the confirmation page and the customer's account: policy
 * number, plan, price, the certificate, PDS and claim links; "being issued" until XCover has
 * booked it. Renders nothing for an order without cover. Just after checkout the policies may not
 * be listed yet: it reads again until there is one per cover line of the order.
 */
export function XcoverPolicies({
  order,
  actions,
  initialPolicies,
  pollIntervalMs = 3000,
  maxPolls = 40,
  labels,
  className,
}: XcoverPoliciesProps) {
  const text = xcoverLabels(labels)
  const [policies, setPolicies] = useState<XcoverPolicy[] | null>(
    initialPolicies ?? null
  )
  const [polls, setPolls] = useState(0)
  const [failed, setFailed] = useState(false)
  // The latest action, without restarting the reads when only its identity changes.
  const latest = useRef(actions)
  latest.current = actions
  const orderId = order.id
  const given = initialPolicies !== undefined
  const covers = (order.items ?? []).filter(isXcoverCoverLine).length
  const pending =
    policies === null ||
    policies.length < covers ||
    policies.some((p) => p.status === "processing")

  useEffect(() => {
    if (!pending || polls > maxPolls) {
      return
    }
    let live = true
    const read = () =>
      latest.current.policies(orderId).then(
        (next) => {
          if (live) {
            setFailed(false)
            setPolicies(next)
            setPolls((n) => n + 1)
          }
        },
        () => {
          if (live) {
            setFailed(true)
            setPolls((n) => n + 1)
          }
        }
      )
    // The first read at once; then one per interval while a policy is being issued.
    const timer = setTimeout(read, polls === 0 && !given ? 0 : pollIntervalMs)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [orderId, pending, polls, maxPolls, pollIntervalMs, given])

  if (!policies?.length) {
    if (covers > 0 && !failed) {
      return (
        <Text
          size="small"
          className="text-ui-fg-subtle"
          aria-live="polite"
          data-testid="xcover-policies-pending"
        >
          {text.issuingNote}
        </Text>
      )
    }
    return failed ? (
      <Text size="small" role="alert" className="text-ui-fg-error">
        {text.policiesFailed}
      </Text>
    ) : null
  }
  return (
    <Container
      className={clx("flex flex-col gap-y-4", className)}
      data-testid="xcover-policies"
    >
      <Heading level="h2" className="txt-large-plus text-ui-fg-base">
        {text.yourProtection}
      </Heading>
      <ul className="flex flex-col gap-y-4">
        {policies.map((p) => (
          <li
            key={p.offer_id}
            className="flex flex-col gap-y-1"
            data-testid="xcover-policy"
            data-status={p.status}
          >
            <div className="flex items-center gap-x-2">
              <Text weight="plus" className="text-ui-fg-base">
                {p.plan ?? text.protection}
              </Text>
              <Badge
                size="2xsmall"
                color={
                  p.status === "confirmed"
                    ? "green"
                    : p.status === "cancelled"
                      ? "red"
                      : "orange"
                }
              >
                {p.status === "confirmed"
                  ? text.active
                  : p.status === "cancelled"
                    ? text.cancelled
                    : text.beingIssued}
              </Badge>
            </div>
            {p.status === "processing" ? (
              <Text
                size="small"
                className="text-ui-fg-subtle"
                aria-live="polite"
              >
                {text.issuingNote}
              </Text>
            ) : (
              <>
                {p.policy_number && (
                  <Text size="small" className="text-ui-fg-subtle">
                    {text.policyNumber}{" "}
                    <span
                      className="text-ui-fg-base font-medium"
                      data-testid="xcover-policy-number"
                    >
                      {p.policy_number}
                    </span>
                  </Text>
                )}
                {p.price && (
                  <Text size="small" className="text-ui-fg-subtle">
                    {text.price}{" "}
                    {p.price.currency
                      ? formatXcoverAmount(p.price.amount, p.price.currency)
                      : p.price.amount}
                  </Text>
                )}
                <div className="flex flex-wrap gap-x-4 gap-y-1">
                  <PolicyLink href={p.coi_url ?? p.coi_pdf}>
                    {text.certificate}
                  </PolicyLink>
                  <PolicyLink href={p.pds_url}>{text.planTerms}</PolicyLink>
                  {p.status === "confirmed" && (
                    <PolicyLink href={p.claim_url}>{text.claim}</PolicyLink>
                  )}
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </Container>
  )
}

function PolicyLink({
  href,
  children,
}: {
  href: string | null
  children: string
}) {
  if (!href) {
    return null
  }
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover underline"
    >
      {children}
    </a>
  )
}
