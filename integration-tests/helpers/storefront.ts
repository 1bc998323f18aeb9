import type { SeededStore } from "./seed-store"

/** The slice of axios the test runner's `api` offers that these helpers use. */
export type Api = {
  get(
    url: string,
    config?: { headers?: Record<string, string> }
  ): Promise<{ status: number; data: any }>
  post(
    url: string,
    body?: unknown,
    config?: { headers?: Record<string, string> }
  ): Promise<{ status: number; data: any }>
  delete(
    url: string,
    config?: { headers?: Record<string, string> }
  ): Promise<{ status: number; data: any }>
}

/** An HTTP answer as axios gives it (headers in lower case). */
export type HttpAnswer = {
  status: number
  data: any
  headers?: Record<string, unknown>
}

/** Resolves with the HTTP answer whatever its status (the runner's axios throws on 4xx/5xx). */
export async function answer(
  call: Promise<{ status: number; data: any }>
): Promise<HttpAnswer> {
  try {
    return await call
  } catch (err) {
    const response = (err as { response?: HttpAnswer }).response
    if (!response) {
      throw err
    }
    return response
  }
}

/** A shopper's checkout, done through the store API exactly as a storefront does it. */
export class Storefront {
  constructor(
    private readonly api: Api,
    private readonly store: SeededStore
  ) {}

  private get headers() {
    return { headers: { "x-publishable-api-key": this.store.publishableKey } }
  }

  async createCart(metadata?: Record<string, unknown>): Promise<string> {
    const { data } = await this.api.post(
      "/store/carts",
      {
        region_id: this.store.regionId,
        // One guest per cart: concurrent carts with one email race to create the same customer.
        email: `shopper-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`,
        shipping_address: {
          first_name: "Ada",
          last_name: "L",
          address_1: "Street 2",
          city: "Berlin",
          country_code: "de",
          postal_code: "10115",
        },
        items: [{ variant_id: this.store.variantId, quantity: 1 }],
        ...(metadata ? { metadata } : {}),
      },
      this.headers
    )
    return data.cart.id
  }

  recordOffer(cartId: string, offerId: unknown) {
    return this.api.post(
      `/store/carts/${cartId}/xcover-offers`,
      { offer_id: offerId },
      this.headers
    )
  }

  listOffers(cartId: string) {
    return this.api.get(`/store/carts/${cartId}/xcover-offers`, this.headers)
  }

  setMetadata(cartId: string, metadata: Record<string, unknown>) {
    return this.api.post(`/store/carts/${cartId}`, { metadata }, this.headers)
  }

  /** The shopper takes an offer: the insurance line item names it in its metadata. */
  takeOffer(cartId: string, offerId: string, quoteIds: string[] | null = null) {
    return this.api.post(
      `/store/carts/${cartId}/line-items`,
      {
        variant_id: this.store.insuranceVariantId,
        quantity: 1,
        metadata: {
          xcover_offer_id: offerId,
          // The quotes to confirm (storefront-created offers).
          ...(quoteIds ? { xcover_quote_ids: quoteIds } : {}),
        },
      },
      this.headers
    )
  }

  // ---- Cover through the plugin's quotes ----

  quote(cartId: string, lineItemId: string) {
    return answer(
      this.api.post(
        `/store/carts/${cartId}/xcover-offers/quote`,
        { line_item_id: lineItemId },
        this.headers
      )
    )
  }

  select(cartId: string, offerId: string, body: Record<string, unknown>) {
    return answer(
      this.api.post(
        `/store/carts/${cartId}/xcover-offers/${offerId}/select`,
        body,
        this.headers
      )
    )
  }

  /** An order whose first line is covered through the plugin's quote (its first quote taken). */
  async orderCovered(): Promise<{ orderId: string; offer: any }> {
    const cartId = await this.createCart()
    const line = (await this.cart(cartId)).items[0]
    const offer = (await this.quote(cartId, line.id)).data.xcover_offer
    await this.select(cartId, offer.offer_id, { quote_id: offer.quotes[0].id })
    return { orderId: await this.complete(cartId), offer }
  }

  deselect(cartId: string, offerId: string) {
    return answer(
      this.api.delete(
        `/store/carts/${cartId}/xcover-offers/${offerId}/select`,
        this.headers
      )
    )
  }

  async cart(cartId: string): Promise<any> {
    const { data } = await this.api.get(
      `/store/carts/${cartId}?fields=*items,+items.metadata`,
      this.headers
    )
    return data.cart
  }

  addItem(cartId: string, quantity = 1, metadata?: Record<string, unknown>) {
    return this.api.post(
      `/store/carts/${cartId}/line-items`,
      {
        variant_id: this.store.variantId,
        quantity,
        ...(metadata ? { metadata } : {}),
      },
      this.headers
    )
  }

  /** Medusa's own line-item update, with whatever a storefront sends (quantity, metadata). */
  updateLine(cartId: string, lineId: string, update: Record<string, unknown>) {
    return answer(
      this.api.post(
        `/store/carts/${cartId}/line-items/${lineId}`,
        update,
        this.headers
      )
    )
  }

  setQuantity(cartId: string, lineId: string, quantity: number) {
    return this.api.post(
      `/store/carts/${cartId}/line-items/${lineId}`,
      { quantity },
      this.headers
    )
  }

  /**
   * A customer account signed up and signed in as a storefront does (Medusa's emailpass auth):
   * returns the customer's id and a token that names it.
   */
  async signUpCustomer(
    email: string,
    password = "shopper-password-1"
  ): Promise<{ customerId: string; token: string }> {
    const { data: registered } = await this.api.post(
      "/auth/customer/emailpass/register",
      { email, password }
    )
    const bearer = (token: string) => ({
      headers: { ...this.headers.headers, authorization: `Bearer ${token}` },
    })
    const { data } = await this.api.post(
      "/store/customers",
      { email },
      bearer(registered.token)
    )
    const { data: signedIn } = await this.api.post("/auth/customer/emailpass", {
      email,
      password,
    })
    return { customerId: data.customer.id, token: signedIn.token }
  }

  /** Medusa's `POST /store/carts/:id/customer`: the signed-in customer takes over the cart. */
  transferCart(cartId: string, token: string) {
    return this.api.post(
      `/store/carts/${cartId}/customer`,
      {},
      { headers: { ...this.headers.headers, authorization: `Bearer ${token}` } }
    )
  }

  removeItem(cartId: string, lineId: string) {
    return this.api.delete(
      `/store/carts/${cartId}/line-items/${lineId}`,
      this.headers
    )
  }

  /** Shipping, payment session, completion. Returns the order id. */
  async complete(cartId: string): Promise<string> {
    await this.prepareCompletion(cartId)
    return this.completeAgain(cartId)
  }

  /** Everything before completion: shipping method and a payment session. */
  async prepareCompletion(cartId: string): Promise<void> {
    await this.api.post(
      `/store/carts/${cartId}/shipping-methods`,
      { option_id: this.store.shippingOptionId },
      this.headers
    )
    const {
      data: { payment_collection },
    } = await this.api.post(
      "/store/payment-collections",
      { cart_id: cartId },
      this.headers
    )
    await this.api.post(
      `/store/payment-collections/${payment_collection.id}/payment-sessions`,
      { provider_id: "pp_system_default" },
      this.headers
    )
  }

  /** Medusa's completion, answered whatever its status (a refusal included). */
  tryComplete(cartId: string) {
    return answer(
      this.api.post(`/store/carts/${cartId}/complete`, {}, this.headers)
    )
  }

  async completeAgain(cartId: string): Promise<string> {
    const { data } = await this.api.post(
      `/store/carts/${cartId}/complete`,
      {},
      this.headers
    )
    if (data.type !== "order") {
      throw new Error(
        `cart ${cartId} did not complete: ${JSON.stringify(data.error ?? data)}`
      )
    }
    return data.order.id
  }
}
