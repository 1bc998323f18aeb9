import type { Api } from "../../integration-tests/helpers/storefront"

/**
 * The storefront helpers' `Api` over `fetch`, for a Medusa server outside jest. Like the axios
 * client the tests use, it throws on a non-2xx answer, with Medusa's message.
 */
export function httpApi(baseUrl: string): Api {
  const call = async (method: string, url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    const data = text ? JSON.parse(text) : null
    if (!res.ok) {
      throw new Error(`${method} ${url} answered ${res.status}: ${data?.message ?? text}`)
    }
    return { status: res.status, data }
  }
  return {
    get: (url, config) => call("GET", url, undefined, config?.headers),
    post: (url, body, config) => call("POST", url, body ?? {}, config?.headers),
  }
}
