import type { Api } from "./storefront"

/**
 * The axios-like `Api` the storefront helper expects, over `fetch`, for a Medusa server the test
 * runner did not start (the installed app). Like axios, a non-2xx answer throws an error that
 * carries `response`. Headers come back as axios gives them (lower-case names).
 */
export function httpApi(baseUrl: string): Api {
  const request = async (
    method: string,
    url: string,
    body: unknown,
    headers: Record<string, string> = {}
  ) => {
    const res = await fetch(new URL(url, baseUrl), {
      method,
      headers:
        body === undefined
          ? headers
          : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    const response = {
      status: res.status,
      data: parseJson(text),
      headers: Object.fromEntries(res.headers),
    }
    if (!res.ok) {
      throw Object.assign(
        new Error(
          `${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`
        ),
        { response }
      )
    }
    return response
  }
  return {
    get: (url, config) => request("GET", url, undefined, config?.headers),
    post: (url, body, config) =>
      request("POST", url, body ?? {}, config?.headers),
    delete: (url, config) => request("DELETE", url, undefined, config?.headers),
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return text
  }
}
