export * from "./opt-out-declined-offers"
export * from "./record-cart-offer"
export * from "./find-missed-orders"
