"use strict"
// Preloaded into benchmark 6's Medusa server (NODE_OPTIONS=--require): installs bench/sql-counter.ts
// there and answers its figures on 127.0.0.1:XCOVER_BENCH_SQL_PORT, so the bench can count the
// statements of one request in the process that serves it (`GET` reads them, `POST` also clears
// the breakdown). Plain JavaScript because it runs before Medusa's CLI registers ts-node: the
// counter is transpiled here rather than registering a second TypeScript loader.
const port = Number(process.env.XCOVER_BENCH_SQL_PORT)
if (port) {
  const fs = require("node:fs")
  const http = require("node:http")
  const Module = require("node:module")
  const path = require("node:path")
  const ts = require("typescript")

  const file = path.join(__dirname, "sql-counter.ts")
  const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2021,
      esModuleInterop: true,
    },
  })
  const counterModule = new Module(file, module)
  counterModule.filename = file
  counterModule.paths = Module._nodeModulePaths(__dirname)
  counterModule._compile(outputText, file)
  const counter = counterModule.exports.installSqlCounter()

  const server = http.createServer((req, res) => {
    const figures = {
      statements: counter.statements,
      samples: counter.samples(),
    }
    if (req.method === "POST") {
      counter.resetSamples()
    }
    res.setHeader("content-type", "application/json")
    res.end(JSON.stringify(figures))
  })
  // A process Medusa starts from this one inherits NODE_OPTIONS: only the first gets the port.
  server.on("error", () => undefined)
  server.listen(port, "127.0.0.1")
  server.unref()
}
