import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answeringConflicts } from "../../../../../conflict"
import {
  hasOfferRequestHook,
  quoteXcoverOfferWorkflow,
} from "../../../../../../workflows/quote-xcover-offer"
import { prepareOfferQuote } from "../../../../../../workflows/steps/prepare-offer-quote"
import {
  offerRequestInput,
  requestXcoverOffer,
  type QuoteResult,
} from "../../../../../../workflows/steps/request-xcover-offer"
import type { StoreQuoteOfferBody } from "../../../../../middlewares"

/**
 * An XCover offer for one line of the cart, priced by XCover, with the copy to render.
 * `xcover_offer: null` means XCover offers no cover for this item (not an error).
 * A line quoted before and unchanged since is answered from the ledger without running the
 * workflow (nothing to ask, no hook to call); so is a new quote when no store registered a
 * `setOfferRequest` hook (the workflow's step is called directly); otherwise the workflow gets
 * what was read.
 * `Server-Timing: xcover-quote;dur=<ms>` says how long the handler took (XCover's answer
 * included), apart from Medusa's HTTP stack around it: what the plugin adds to the request.
 */
export async function POST(
  req: MedusaRequest<StoreQuoteOfferBody>,
  res: MedusaResponse
) {
  const started = performance.now()
  await answeringConflicts(res, async () => {
    const input = {
      cart_id: req.params.id,
      line_item_id: req.validatedBody.line_item_id,
    }
    const prepared = await prepareOfferQuote(req.scope, input)
    if (prepared.reused) {
      answerQuote(
        res,
        { kind: "offer", offer: prepared.reused, reused: true },
        started
      )
      return
    }
    if (prepared.rate_limited) {
      answerQuote(
        res,
        {
          kind: "rate_limited",
          retry_after_ms: prepared.rate_limited.retry_after_ms,
        },
        started
      )
      return
    }
    if (!hasOfferRequestHook()) {
      // Nothing to let change the request: the workflow's step, without the workflow's run.
      answerQuote(
        res,
        await requestXcoverOffer(
          req.scope,
          offerRequestInput(prepared, prepared.request)
        ),
        started
      )
      return
    }
    const { result } = await quoteXcoverOfferWorkflow(req.scope).run({
      input: { ...input, prepared },
    })
    answerQuote(res, result, started)
  })
}

function answerQuote(
  res: MedusaResponse,
  result: QuoteResult,
  started: number
): void {
  res.setHeader(
    "server-timing",
    `xcover-quote;dur=${(performance.now() - started).toFixed(2)}`
  )
  switch (result.kind) {
    case "offer":
      res.json({ xcover_offer: result.offer })
      return
    case "no_cover":
      res.json({ xcover_offer: null })
      return
    case "unavailable":
      if (result.retry_after_ms !== null) {
        res.setHeader(
          "retry-after",
          String(Math.ceil(result.retry_after_ms / 1000))
        )
      }
      res.status(503).json({
        type: "xcover_unavailable",
        message:
          "XCover cannot be reached right now: no cover can be offered. Try again shortly; the cart is unchanged.",
      })
      return
    case "rate_limited":
      res.setHeader(
        "retry-after",
        String(Math.max(1, Math.ceil(result.retry_after_ms / 1000)))
      )
      res.status(429).json({
        type: "too_many_quotes",
        message:
          "This cart asked for too many XCover quotes in the last minute. Try again after the time in Retry-After; the cart is unchanged.",
      })
      return
    case "refused":
      res.status(502).json({
        type: "xcover_refused",
        message:
          "XCover refused the quote request; the store's logs say why. The cart is unchanged.",
      })
      return
  }
}
