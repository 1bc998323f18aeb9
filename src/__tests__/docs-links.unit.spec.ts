import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"

const ROOT = path.resolve(__dirname, "../..")

/**
 * Link targets that may be missing, each with why. Remove an entry once its file exists.
 */
/** Link targets that may be missing, with why (none today). */
const ALLOWED_MISSING: Record<string, string> = {}

function markdownFiles(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir)).flatMap((name) => {
      const rel = path.join(dir, name)
      if (statSync(path.join(ROOT, rel)).isDirectory()) {
        return docs(rel)
      }
      return name.endsWith(".md") ? [rel] : []
    })
  return [
    "README.md",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
    "bench/README.md",
    ...docs("docs"),
  ]
}

/** The file's lines, blank inside fenced code blocks, inline code removed: links are in the rest. */
function proseLines(text: string): string[] {
  let inFence = false
  return text.split("\n").map((line) => {
    if (/^\s*```/.test(line)) {
      inFence = !inFence
      return ""
    }
    return inFence ? "" : line.replace(/`[^`]*`/g, "CODE")
  })
}

/** GitHub's heading anchor: the rendered text in lower case, punctuation dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-")
}

/** Every anchor a Markdown file's headings make, numbered as GitHub numbers repeats (`-1`, `-2`). */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), "utf8")
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  let inFence = false
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence
      continue
    }
    const heading = !inFence && /^#{1,6} (.*)$/.exec(line)
    if (heading) {
      const slug = githubSlug(heading[1])
      const n = seen.get(slug) ?? 0
      seen.set(slug, n + 1)
      anchors.add(n === 0 ? slug : `${slug}-${n}`)
    }
  }
  return anchors
}

type Link = { file: string; line: number; target: string }

function relativeLinks(file: string): Link[] {
  const links: Link[] = []
  proseLines(readFileSync(path.join(ROOT, file), "utf8")).forEach((text, i) => {
    for (const m of text.matchAll(/\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) {
        links.push({ file, line: i + 1, target: m[1] })
      }
    }
  })
  return links
}

/** What is wrong with a link, or null. */
function brokenLink({ file, target }: Link): string | null {
  if (target === "") {
    return "empty link"
  }
  const [pathPart, anchor] = target.split("#", 2)
  const resolved = pathPart
    ? path.normalize(
        path.join(path.dirname(file), decodeURIComponent(pathPart))
      )
    : file
  if (!existsSync(path.join(ROOT, resolved))) {
    return ALLOWED_MISSING[resolved] ? null : `${resolved} does not exist`
  }
  if (anchor !== undefined) {
    if (!resolved.endsWith(".md")) {
      return `an anchor into ${resolved}, which is not Markdown`
    }
    if (!anchorsOf(resolved).has(anchor)) {
      return `${resolved} has no heading for #${anchor}`
    }
  }
  return null
}

describe("the documentation's links", () => {
  const files = markdownFiles()

  it("reads the README, CONTRIBUTING, the CHANGELOG, the benchmarks' README and docs/", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/store-api.md",
        "docs/admin.md",
      ])
    )
    expect(files.flatMap(relativeLinks).length).toBeGreaterThan(50)
  })

  it("point to files that exist and to headings that exist in them", () => {
    const broken = files
      .flatMap(relativeLinks)
      .map((link) => ({ link, why: brokenLink(link) }))
      .filter(({ why }) => why !== null)
      .map(
        ({ link, why }) =>
          `${link.file} line ${link.line}: [..](${link.target}): ${why}`
      )
    expect(broken).toEqual([])
  })

  it("slug headings as GitHub does", () => {
    expect(githubSlug("Settings → XCover")).toBe("settings--xcover")
    expect(
      githubSlug("The quote: `POST /store/carts/:id/xcover-offers/quote`")
    ).toBe("the-quote-post-storecartsidxcover-offersquote")
    expect(githubSlug("What happens to an order, in ten lines")).toBe(
      "what-happens-to-an-order-in-ten-lines"
    )
    expect(
      githubSlug(
        "Selecting and deselecting: `POST` / `DELETE /store/carts/:id/xcover-offers/:offer_id/select`"
      )
    ).toBe(
      "selecting-and-deselecting-post--delete-storecartsidxcover-offersoffer_idselect"
    )
  })

  it("allow a missing file only from the commented list", () => {
    for (const missing of Object.keys(ALLOWED_MISSING)) {
      expect(missing).toMatch(/^docs\/[a-z-]+\.md$/)
    }
  })
})
