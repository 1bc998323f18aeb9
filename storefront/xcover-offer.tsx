"use client"

import {
  Button,
  Container,
  Heading,
  Label,
  RadioGroup,
  Text,
  clx,
} from "@medusajs/ui"
import { useCallback, useEffect, useId, useRef, useState } from "react"
import {
  xcoverCoverOf,
  type XcoverCart,
  type XcoverQuotedOffer as Offer,
  type XcoverStoreActions,
} from "./api.js"
import { xcoverLabels, type XcoverLabels } from "./labels.js"

/** The radio value of "no thanks". Quote ids are XCover's, never this. */
const DECLINE = "xcover:decline"

export type XcoverOfferProps = {
  /** The cart as the page has it; the chosen plan is read from its cover lines. */
  cart: XcoverCart
  /** The cart line to offer cover for. */
  lineItemId: string
  actions: Pick<XcoverStoreActions, "quote" | "select" | "deselect">
  /** Called with the cart after each select or deselect (a page that re-fetches the cart itself may ignore it). */
  onCartChange?: (cart: XcoverCart) => void
  /** While XCover is unavailable, ask again after this long (ms, default 30000), at most `maxRetries` times (default 3). */
  retryUnavailableMs?: number
  maxRetries?: number
  /** The component's own words (XCover's copy is XCover's). */
  labels?: Partial<XcoverLabels>
  className?: string
}

type QuoteState =
  | { kind: "loading" }
  | { kind: "offer"; offer: Offer }
  | { kind: "none" }
  | { kind: "unavailable" }
  | { kind: "error" }

/**
 * XCover's offer for one cart line: XCover's title, heading and plans (each with XCover's price and
 * its terms), "no thanks", the disclaimer. Nothing is chosen until the shopper chooses: a plan
 * puts its cover line into the cart, "no thanks" takes it out. Renders nothing when XCover has no
 * cover for the line; nothing either while XCover cannot be asked (503, or the cart's quote limit),
 * asking again a little later, and when the line changes or the page loads.
 */
export function XcoverOffer({
  cart,
  lineItemId,
  actions,
  onCartChange,
  retryUnavailableMs = 30_000,
  maxRetries = 3,
  labels,
  className,
}: XcoverOfferProps) {
  const text = xcoverLabels(labels)
  const line = cart.items?.find((i) => i.id === lineItemId)
  // A changed line (quantity, price) is quoted again; the plugin replaces its offer.
  const lineKey = line
    ? `${line.id}:${line.quantity ?? ""}:${line.unit_price ?? ""}`
    : null
  const [state, setState] = useState<QuoteState>({ kind: "loading" })
  const [attempt, setAttempt] = useState(0)
  // The latest actions, without re-quoting when only their identity changes (server actions are
  // new functions after each refresh of a Next.js page).
  const latest = useRef(actions)
  latest.current = actions

  useEffect(() => {
    if (!lineKey) {
      return
    }
    let live = true
    setState({ kind: "loading" })
    latest.current.quote(cart.id, lineItemId).then(
      (result) => {
        if (live) {
          setState(
            result.kind === "unavailable"
              ? { kind: "unavailable" }
              : result.kind === "offer" && result.offer.quotes.length
                ? { kind: "offer", offer: result.offer }
                : { kind: "none" }
          )
        }
      },
      () => live && setState({ kind: "error" })
    )
    return () => {
      live = false
    }
  }, [cart.id, lineItemId, lineKey, attempt])

  // XCover unavailable: nothing to show now, ask again later (a few times, not forever).
  const retries = useRef(0)
  useEffect(() => {
    if (state.kind !== "unavailable" || retries.current >= maxRetries) {
      return
    }
    const timer = setTimeout(() => {
      retries.current += 1
      setAttempt((n) => n + 1)
    }, retryUnavailableMs)
    return () => clearTimeout(timer)
  }, [state, retryUnavailableMs, maxRetries])

  if (!line || state.kind === "none" || state.kind === "unavailable") {
    return null
  }
  if (state.kind === "loading") {
    return (
      <Container
        className={clx("flex flex-col gap-y-2", className)}
        aria-busy="true"
        data-testid="xcover-offer-loading"
      >
        <Text size="small" className="text-ui-fg-subtle">
          {text.loading}
        </Text>
        <div className="bg-ui-bg-component h-16 w-full animate-pulse rounded-lg" />
      </Container>
    )
  }
  if (state.kind === "error") {
    return (
      <Container
        className={clx("flex items-center justify-between gap-x-4", className)}
        data-testid="xcover-offer-error"
      >
        <Text size="small" role="alert" className="text-ui-fg-error">
          {text.loadFailed}
        </Text>
        <Button
          variant="secondary"
          size="small"
          onClick={() => setAttempt((n) => n + 1)}
        >
          {text.tryAgain}
        </Button>
      </Container>
    )
  }
  return (
    <OfferChoices
      offer={state.offer}
      cart={cart}
      actions={actions}
      onCartChange={onCartChange}
      text={text}
      className={className}
    />
  )
}

function OfferChoices({
  offer,
  cart,
  actions,
  onCartChange,
  text,
  className,
}: { offer: Offer; cart: XcoverCart; text: XcoverLabels } & Pick<
  XcoverOfferProps,
  "actions" | "onCartChange" | "className"
>) {
  const baseId = useId()
  const inCart =
    cart.items?.map(xcoverCoverOf).find((c) => c?.offerId === offer.offer_id)
      ?.quoteId ?? null
  // What the shopper chose last; the cart's cover line wins once the cart reflects it.
  const [choice, setChoice] = useState<string | null>(inCart)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const wanted = useRef<string | null>(inCart)
  const running = useRef(false)

  useEffect(() => {
    if (!running.current) {
      setChoice((current) => inCart ?? (current === DECLINE ? DECLINE : null))
      wanted.current = inCart
    }
  }, [inCart])

  const { select, deselect } = actions
  // Choices are sent one at a time, the latest last: arrow keys move through the plans quickly.
  const choose = useCallback(
    async (value: string) => {
      setChoice(value)
      setError(null)
      wanted.current = value
      if (running.current) {
        return
      }
      running.current = true
      setBusy(true)
      let sent: string | null = null
      try {
        while (wanted.current !== sent) {
          const target: string = wanted.current ?? DECLINE
          const updated =
            target === DECLINE
              ? await deselect(cart.id, offer.offer_id)
              : await select(cart.id, offer.offer_id, target)
          sent = target
          onCartChange?.(updated)
        }
      } catch {
        setError(
          wanted.current === DECLINE ? text.removeFailed : text.addFailed
        )
        setChoice(sent ?? inCart)
        wanted.current = sent ?? inCart
      } finally {
        running.current = false
        setBusy(false)
      }
    },
    [cart.id, offer.offer_id, inCart, select, deselect, onCartChange, text]
  )

  const { content } = offer
  const headingId = `${baseId}-heading`
  const ctaId = `${baseId}-cta`
  return (
    <Container
      className={clx("flex flex-col gap-y-4", className)}
      data-testid="xcover-offer"
      data-offer-id={offer.offer_id}
    >
      <div className="flex flex-col gap-y-1">
        {content?.title && (
          <Heading level="h3" className="txt-medium-plus text-ui-fg-base">
            {content.title}
          </Heading>
        )}
        {content?.heading && (
          <Text id={headingId} size="small" className="text-ui-fg-subtle">
            {content.heading}
          </Text>
        )}
        {content?.positive_cta && (
          <Text
            id={ctaId}
            size="small"
            weight="plus"
            className="text-ui-fg-base"
          >
            {content.positive_cta}
          </Text>
        )}
      </div>
      <RadioGroup
        value={choice ?? ""}
        onValueChange={(value) => void choose(value)}
        aria-label={content?.heading ?? content?.title ?? text.protection}
        aria-describedby={content?.positive_cta ? ctaId : undefined}
        aria-busy={busy}
        className="gap-y-2"
      >
        {offer.quotes.map((q, i) => {
          const id = `${baseId}-q${i}`
          return (
            <div
              key={q.id}
              className={clx(
                "shadow-borders-base bg-ui-bg-base flex items-start gap-x-3 rounded-lg p-3",
                {
                  "shadow-borders-interactive-with-shadow": choice === q.id,
                }
              )}
              data-testid="xcover-plan"
            >
              <RadioGroup.Item
                id={id}
                value={q.id}
                aria-describedby={
                  q.description ? `${id}-description` : undefined
                }
                className="mt-0.5"
              />
              <div className="flex min-w-0 flex-1 flex-col gap-y-0.5">
                <Label
                  htmlFor={id}
                  size="small"
                  weight="plus"
                  className="flex cursor-pointer justify-between gap-x-2"
                >
                  <span>{q.title ?? content?.title ?? text.protection}</span>
                  <span data-testid="xcover-plan-price">
                    {q.price.formatted ??
                      `${q.price.amount} ${q.price.currency}`}
                  </span>
                </Label>
                {q.description && (
                  <Text
                    id={`${id}-description`}
                    size="small"
                    className="text-ui-fg-subtle"
                  >
                    {q.description}
                  </Text>
                )}
                {q.pds_url && (
                  <a
                    href={q.pds_url}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover w-fit underline"
                  >
                    {text.planTerms}
                  </a>
                )}
              </div>
            </div>
          )
        })}
        <div
          className="flex items-center gap-x-3 rounded-lg p-3"
          data-testid="xcover-decline"
        >
          <RadioGroup.Item id={`${baseId}-decline`} value={DECLINE} />
          <Label
            htmlFor={`${baseId}-decline`}
            size="small"
            className="cursor-pointer"
          >
            {content?.negative_cta ?? text.noThanks}
          </Label>
        </div>
      </RadioGroup>
      {busy && (
        <Text size="xsmall" className="text-ui-fg-muted" aria-live="polite">
          {text.updating}
        </Text>
      )}
      {error && (
        <Text size="small" role="alert" className="text-ui-fg-error">
          {error}
        </Text>
      )}
      {content?.disclaimer && (
        <Text
          size="xsmall"
          className="text-ui-fg-muted"
          data-testid="xcover-disclaimer"
        >
          {content.disclaimer}
        </Text>
      )}
    </Container>
  )
}
