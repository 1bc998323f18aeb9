import { createReadStream, existsSync, statSync } from "node:fs"
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http"
import type { AddressInfo } from "node:net"
import path from "node:path"

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
}

/**
 * Serves a built admin dashboard (`medusa build --admin-only`) under `/app` and forwards every
 * other path to the Medusa server, so the dashboard and the API share one origin as in a
 * normal deployment. The test runner boots Medusa with its admin disabled; this puts it back.
 */
export class AdminUiServer {
  private server: Server | null = null

  constructor(
    private readonly adminDir: string,
    private readonly backendUrl: string,
    private readonly basePath = "/app"
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`
  }

  async start(): Promise<this> {
    if (!existsSync(path.join(this.adminDir, "index.html"))) {
      throw new Error(
        `no admin build in ${this.adminDir}: run \`npx medusa build --admin-only\` first`
      )
    }
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x")
      if (
        url.pathname === this.basePath ||
        url.pathname.startsWith(`${this.basePath}/`)
      ) {
        this.serveStatic(url.pathname.slice(this.basePath.length), res)
      } else {
        this.forward(req, res)
      }
    })
    await new Promise<void>((resolve) =>
      this.server?.listen(0, "127.0.0.1", resolve)
    )
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    server?.closeAllConnections()
    await new Promise((resolve) =>
      server ? server.close(resolve) : resolve(undefined)
    )
  }

  private serveStatic(relative: string, res: ServerResponse): void {
    const file = path.join(this.adminDir, path.normalize(relative || "/"))
    const inside = file.startsWith(this.adminDir + path.sep)
    const target =
      inside && existsSync(file) && statSync(file).isFile()
        ? file
        : path.join(this.adminDir, "index.html")
    res.writeHead(200, {
      "content-type": TYPES[path.extname(target)] ?? "application/octet-stream",
    })
    createReadStream(target).pipe(res)
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend = new URL(this.backendUrl)
    const upstream = request(
      {
        host: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: backend.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on("error", () => res.writeHead(502).end())
    req.pipe(upstream)
  }
}
